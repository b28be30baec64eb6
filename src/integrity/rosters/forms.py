"""Submission forms (서식) as data: columns, headers, hints, examples, rules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

FORMS_FILE = Path(__file__).with_name("forms.yaml")
TYPES = ("text", "name", "phone", "email", "date", "choice", "yes_no", "int")
YES, NO = "예", "아니오"


DEFAULT_MAX_LENGTH = 200  # a cell of free text; more is a paste gone wrong


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    type: str
    required: bool = False
    pii: bool = False
    example: str | None = None
    hint: str = ""
    choices: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    max_length: int | None = None  # where the value lands in a bounded column; else DEFAULT_MAX_LENGTH

    @property
    def limit(self) -> int:
        """The most characters a cell may hold (checked at upload, row and column named)."""
        return self.max_length or DEFAULT_MAX_LENGTH

    @property
    def allowed(self) -> tuple[str, ...]:
        return (YES, NO) if self.type == "yes_no" else self.choices


@dataclass(frozen=True)
class Form:
    code: str
    title: str
    sheet: str
    columns: tuple[Column, ...]
    rules: tuple[str, ...]
    per_task: bool = False

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)

    @property
    def pii_keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns if c.pii)


def header_key(text: str) -> str:
    """Header text compared without spaces, line breaks or the required mark."""
    return re.sub(r"[\s*※]", "", str(text or ""))


@lru_cache(maxsize=1)
def load_forms() -> dict[str, Form]:
    return forms_from_file(FORMS_FILE)


def forms_from_file(path: Path) -> dict[str, Form]:
    """Forms from a file shaped like forms.yaml (other contexts keep their own forms)."""
    raw = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    forms = {}
    for code, spec in raw["forms"].items():
        columns = []
        for col in spec["columns"]:
            if col["type"] not in TYPES:
                raise ValueError(f"forms.yaml: {code}.{col['key']}: 알 수 없는 형식 {col['type']}")
            columns.append(Column(
                key=col["key"], header=col["header"], type=col["type"], required=bool(col.get("required")),
                pii=bool(col.get("pii")), example=None if col.get("example") is None else str(col["example"]),
                hint=str(col.get("hint", "")), choices=tuple(col.get("choices") or ()), aliases=tuple(col.get("aliases") or ()),
                max_length=col.get("max_length"),
            ))
        forms[code] = Form(code=code, title=spec["title"], sheet=spec["sheet"], columns=tuple(columns),
                           rules=tuple(spec.get("rules") or ()), per_task=bool(spec.get("per_task")))
    return forms


def get_form(code: str) -> Form:
    forms = load_forms()
    if code not in forms:
        raise KeyError(f"알 수 없는 서식 '{code}'")
    return forms[code]
