"""Reading and writing the interchange tables: CSV, Parquet and xlsx.

Reads never coerce codes to numbers behind the caller's back: text columns are
read as text (leading zeros kept). Writes are atomic: a temporary file in the
target directory is renamed over the target only when complete, so a failed
run never leaves a partial output file.
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
from pathlib import Path

import polars as pl

from ..exports import write_frame
from .errors import InputError, InputProblem

FORMATS = ("csv", "parquet", "xlsx")
_INTEGRAL_FLOAT = re.compile(r"^(-?\d+)\.0+$")


def format_of(path: Path, explicit: str | None = None) -> str:
    if explicit:
        return explicit
    suffix = path.suffix.lower().lstrip(".")
    return {"xls": "xlsx", "xlsm": "xlsx", "pq": "parquet", "txt": "csv"}.get(suffix, suffix)


def _fail(label: str, message: str) -> InputError:
    return InputError([InputProblem(label, message)])


def _csv_source(path: Path) -> Path | bytes:
    """CSV as UTF-8: files saved by Korean Excel are often CP949 (EUC-KR)."""
    with path.open("rb") as fh:
        head = fh.read(1 << 16)
    try:
        head.decode("utf-8")
        return path
    except UnicodeDecodeError as exc:
        if exc.start > len(head) - 4:  # a multi-byte character cut by the sample's end
            return path
    try:
        return path.read_bytes().decode("cp949").encode("utf-8")
    except UnicodeDecodeError as exc:
        raise _fail(path.name, "글자 인코딩을 알 수 없습니다 (UTF-8 또는 CP949로 저장하세요)") from exc


def read_columns(path: Path, label: str) -> list[str]:
    """Column names only, without reading the data."""
    kind = _check(path, label)
    try:
        if kind == "csv":
            return pl.read_csv(_csv_source(path), n_rows=0, infer_schema=False).columns
        if kind == "parquet":
            return list(pl.read_parquet_schema(path))
        return read_table(path, label).columns
    except InputError:
        raise
    except Exception as exc:
        raise _fail(label, f"파일을 읽을 수 없습니다 ({kind} 형식이 아닌 것 같습니다): {_short(exc)}") from exc


def _check(path: Path, label: str) -> str:
    if not path.exists():
        raise _fail(label, "파일이 없습니다")
    if path.is_dir():
        raise _fail(label, "파일이 아니라 폴더입니다")
    kind = format_of(path)
    if kind not in FORMATS:
        raise _fail(label, f"지원하지 않는 파일 형식입니다 (허용: {', '.join(FORMATS)})")
    return kind


def read_table(path: Path, label: str) -> pl.DataFrame:
    """Every column as text (xlsx numbers as their integral text: 1.0 -> "1")."""
    kind = _check(path, label)
    try:
        if kind == "csv":
            return pl.read_csv(_csv_source(path), infer_schema=False)
        if kind == "parquet":  # floats that are whole read as integers' text (1.0 -> "1"), as in xlsx
            return pl.read_parquet(path).with_columns(
                pl.col(pl.Float32, pl.Float64).cast(pl.Utf8).str.replace(_INTEGRAL_FLOAT.pattern, "${1}")
            ).with_columns(pl.all().cast(pl.Utf8))
        frame = pl.read_excel(path, engine="calamine", infer_schema_length=0)
        return frame.with_columns(
            pl.all().cast(pl.Utf8).str.strip_chars().str.replace(_INTEGRAL_FLOAT.pattern, "${1}")
        )
    except InputError:
        raise
    except Exception as exc:
        raise _fail(label, f"파일을 읽을 수 없습니다 ({kind} 형식이 아닌 것 같습니다): {_short(exc)}") from exc


def read_typed(path: Path, label: str, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """The fast path for large files: CSV/Parquet read straight into ``schema``'s types.

    A value that does not fit raises ``TypeMismatch``; the caller then re-reads the
    file as text to name the exact rows. xlsx always takes the text path.
    """
    kind = _check(path, label)
    if kind == "xlsx":
        raise TypeMismatch("xlsx")
    try:
        if kind == "csv":
            return pl.read_csv(_csv_source(path), schema_overrides=schema, infer_schema_length=0)
        frame = pl.read_parquet(path)
        _no_fractions(frame, schema)
        return frame.with_columns(pl.col(c).cast(t, strict=True) for c, t in schema.items() if c in frame.columns)
    except TypeMismatch:
        raise
    except (pl.exceptions.ComputeError, pl.exceptions.InvalidOperationError) as exc:
        raise TypeMismatch(str(exc)) from exc
    except Exception as exc:
        raise _fail(label, f"파일을 읽을 수 없습니다 ({kind} 형식이 아닌 것 같습니다): {_short(exc)}") from exc


def _no_fractions(frame: pl.DataFrame, schema: dict[str, pl.DataType]) -> None:
    """A cast from float to integer truncates (1.5 -> 1) without complaint: a float column
    meant as integer codes must hold whole numbers only, else the text path names the rows."""
    for c, t in schema.items():
        if c in frame.columns and frame[c].dtype.is_float() and t.is_integer():
            values = frame[c].drop_nulls()
            if not (values == values.floor()).all():  # NaN and 1.5 alike
                raise TypeMismatch(f"{c}: not whole numbers")


class TypeMismatch(Exception):
    """A typed read met a value of another type; the caller re-reads as text to locate it."""


def _short(exc: Exception) -> str:
    return str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__


def write_table(frame: pl.DataFrame, path: Path, fmt: str | None = None, *, sheet: str = "결과") -> Path:
    kind = format_of(path, fmt)
    if kind not in FORMATS:
        raise _fail(str(path), f"지원하지 않는 출력 형식입니다 (허용: {', '.join(FORMATS)})")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a result file is shared like any other
    try:
        # The one writer (BOM, text kept as text); machine codes as headers: the engine reads these files.
        write_frame(kind, frame, Path(tmp), sheet=sheet, machine_headers=True)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def check_output(path: Path, fmt: str | None, label: str) -> str:
    """The format an output will be written in, after making sure it can be: known
    format, an existing folder we can create a file in (tried, not guessed from the
    permission bits, which say yes to root and know nothing of read-only mounts), not a
    folder itself, not a read-only file. Bad paths are found before any work is done
    (InputError, Korean)."""
    kind = format_of(path, fmt)
    problems = []
    if kind not in FORMATS:
        problems.append(f"출력 형식을 알 수 없습니다: '{path.name}' (허용: {', '.join(FORMATS)}; --format으로 정할 수 있습니다)")
    if path.is_dir():
        problems.append(f"파일이 아니라 폴더입니다: {path}")
    elif not path.parent.is_dir():
        problems.append(f"폴더가 없습니다: {path.parent}")
    elif (reason := _cannot_create_in(path.parent)) is not None:
        problems.append(f"이 폴더에 파일을 만들 수 없습니다 ({reason}): {path.parent}")
    elif path.exists() and not os.access(path, os.W_OK):
        problems.append(f"쓸 수 없는 파일입니다: {path}")
    if problems:
        raise InputError([InputProblem(label, p) for p in problems], heading=OUTPUT_HEADING)
    return kind


OUTPUT_HEADING = "결과 파일을 쓸 수 없어 아무것도 쓰지 않았습니다."


def _cannot_create_in(folder: Path) -> str | None:
    """Why no file can be created in ``folder`` (Korean), or None: found by creating one."""
    try:
        fd, probe = tempfile.mkstemp(prefix=".integrity-probe.", dir=folder)
    except OSError as exc:
        return os_reason(exc)
    os.close(fd)
    os.unlink(probe)
    return None


_OS_REASONS = {
    errno.EACCES: "권한이 없습니다", errno.EPERM: "권한이 없습니다", errno.EROFS: "읽기 전용 저장장치입니다",
    errno.ENOSPC: "저장 공간이 부족합니다", errno.EDQUOT: "저장 할당량을 넘었습니다", errno.ENOENT: "폴더가 없습니다",
    errno.ENOTDIR: "폴더가 아닙니다", errno.EISDIR: "폴더입니다", errno.EEXIST: "이미 있습니다",
    errno.ENAMETOOLONG: "이름이 너무 깁니다", errno.EIO: "입출력 오류입니다",
}


def os_reason(exc: OSError) -> str:
    """An operating-system error in Korean (the system's own words for the rare rest)."""
    return _OS_REASONS.get(exc.errno, exc.strerror or type(exc).__name__)


def write_together(outputs: list[tuple]) -> None:
    """Write several outputs all or none: each to a hidden temporary file beside its
    target, then all renamed into place; any failure (or an interruption) removes every
    temporary file and whatever was already renamed, so no output of this run stays.
    A failure of the disk is an InputError naming the output; anything else is re-raised."""
    written: list[tuple[Path, Path]] = []
    placed: list[Path] = []
    target = None
    try:
        for frame, path, kind, *sheet in outputs:  # (frame, path, format[, xlsx sheet name])
            target = path
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
            os.close(fd)
            written.append((Path(tmp), path))
            write_table(frame, Path(tmp), kind, **({"sheet": sheet[0]} if sheet else {}))
        for tmp, path in written:
            target = path
            os.replace(tmp, path)
            placed.append(path)
    except BaseException as exc:
        for tmp, _ in written:
            tmp.unlink(missing_ok=True)
        for path in placed:  # a later rename failed: none of this run's outputs stays
            path.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise InputError([InputProblem(str(target or ""), f"결과 파일을 쓸 수 없습니다 ({os_reason(exc)}); "
                                                              "결과 파일은 하나도 만들지 않았습니다")],
                             heading=OUTPUT_HEADING) from exc
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
