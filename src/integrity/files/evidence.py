"""Evidence files (증빙자료): which files are accepted (pure). Shared by the incidents'
papers (징계의결서, 처분요구서 사본) and the 청렴노력도 performance reports; each
context says which kinds it takes (``allowed``).

The type is read from the file's first bytes and structure, never trusted from its
name or the browser: a PDF starts with ``%PDF-``, a PNG, JPEG or TIFF with its
signature, an HWP (5.0) is an OLE compound file whose ``FileHeader`` stream says
"HWP Document File", an HWPX, DOCX or XLSX is a ZIP whose parts say what it is. The name's
extension must agree with what the bytes are, so a renamed executable or an HTML page
called ``.pdf`` is refused with a Korean message."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
MAX_NAME = 150

# kind -> (extensions, MIME type sent with the download)
KINDS = {
    "pdf": (("pdf",), "application/pdf"),
    "png": (("png",), "image/png"),
    "jpeg": (("jpg", "jpeg"), "image/jpeg"),
    "tiff": (("tif", "tiff"), "image/tiff"),
    "hwp": (("hwp",), "application/x-hwp"),
    "hwpx": (("hwpx",), "application/hwp+zip"),
    "docx": (("docx",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": (("xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
KIND_LABELS = {"pdf": "PDF", "png": "PNG", "jpeg": "JPG", "tiff": "TIFF", "hwp": "HWP", "hwpx": "HWPX",
               "docx": "DOCX", "xlsx": "XLSX"}


def allowed_text(allowed) -> str:
    """The kinds a context takes, as its upload form says them ("PDF, HWP, …")."""
    return ", ".join(KIND_LABELS[k] for k in allowed)


def accept_attribute(allowed) -> str:
    """The ``accept`` attribute of a file input for these kinds (".pdf,.hwp,…")."""
    return ",".join(f".{x}" for k in allowed for x in KINDS[k][0])


class EvidenceRejected(ValueError):
    """A file that is not accepted, with the Korean reason."""


@dataclass(frozen=True)
class Accepted:
    kind: str
    mime: str
    name: str  # the original name, cleaned for the download header


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def clean_name(name: str) -> str:
    """The base name without path, control characters or quotes, at most MAX_NAME characters."""
    name = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = re.sub(r'[\x00-\x1f\x7f"<>|:*?]', "", name).strip(" .")
    if len(name) > MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: MAX_NAME - len(ext) - 1] + dot + ext) if dot and len(ext) <= 5 else name[:MAX_NAME]
    return name or "증빙"


def sniff(data: bytes) -> str | None:
    """The kind the bytes are, or None."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    if data.startswith(OLE_MAGIC):
        return "hwp" if _is_hwp(data) else None
    if data.startswith(ZIP_MAGIC):
        return _zip_kind(data)
    return None


def _is_hwp(data: bytes) -> bool:
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            return ole.exists("FileHeader") and ole.openstream("FileHeader").read(32).startswith(b"HWP Document File")
    except (OSError, ValueError, IndexError, TypeError):
        return False


def _zip_kind(data: bytes) -> str | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        if "mimetype" in names:
            info = archive.getinfo("mimetype")
            if info.file_size <= 100:  # never inflate more than the declared tiny part
                if archive.read("mimetype").strip() == b"application/hwp+zip":
                    return "hwpx"
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return "docx"
        if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
            return "xlsx"
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, NotImplementedError, EOFError):
        return None
    return None


def check_evidence(name: str, data: bytes, max_bytes: int, allowed=None, allowed_label: str | None = None) -> Accepted:
    """Accept the file or raise ``EvidenceRejected`` saying why (size, type, name).
    ``allowed``: the kinds this context takes (default: all of KINDS)."""
    allowed = tuple(allowed) if allowed is not None else tuple(KINDS)
    ALLOWED_TEXT = allowed_label or allowed_text(allowed)  # noqa: N806 - the message's wording
    if not data:
        raise EvidenceRejected("빈 파일입니다")
    if len(data) > max_bytes:
        raise EvidenceRejected(f"파일이 너무 큽니다 ({len(data) / 1_000_000:,.1f} MB). "
                               f"증빙 파일은 {max_bytes / 1_000_000:g} MB까지 올릴 수 있습니다")
    cleaned = clean_name(name)
    ext = extension(cleaned)
    if not any(ext in KINDS[k][0] for k in allowed):
        raise EvidenceRejected(f"받을 수 없는 파일 형식입니다 ('.{ext or '없음'}'). 허용: {ALLOWED_TEXT}")
    kind = sniff(data)
    if kind is None or kind not in allowed:
        raise EvidenceRejected(f"파일 내용이 {ALLOWED_TEXT} 중 어느 것도 아닙니다 (확장자만 바꾼 파일은 받지 않습니다)")
    exts, mime = KINDS[kind]
    if ext not in exts:
        raise EvidenceRejected(f"파일 이름은 '.{ext}'인데 내용은 {kind.upper()} 파일입니다. 확장자를 바로잡아 올려 주세요")
    return Accepted(kind, mime, cleaned)
