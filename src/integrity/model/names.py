"""Names the model file gives in Korean (``name``) and may give in English (``name_en``).

Korean is the default and the fallback: a file without English still loads, and its
pages show the Korean name in English mode.
"""

from __future__ import annotations

__all__ = ["Named", "english", "in_language", "english_text", "english_names"]


def english(language: str | None) -> bool:
    """Whether a page in ``language`` (Django's code: "en", "en-us" ...) reads English names."""
    return bool(language) and str(language).lower().startswith("en")


def in_language(names: dict[str, str], names_en: dict[str, str], code: str, language: str | None = "ko") -> str:
    """A name kept in a code -> name table (기관 계열, 직위 ...): English where the model gives it."""
    name = names.get(code, code)
    return names_en.get(code) or name if english(language) else name


class Named:
    """Something the model file names in Korean (``name``) and may name in English (``name_en``)."""

    name: str
    name_en: str

    def title(self, language: str | None = "ko") -> str:
        """The name in the page's language; Korean where the file gives no English."""
        return self.name_en if english(language) and self.name_en else self.name


def english_text(check, raw, key: str, path: str) -> str:
    """An optional English text (``name_en`` ...): absent is "", anything but a string is a fault."""
    if not isinstance(raw, dict) or raw.get(key) is None:
        return ""
    value = raw[key]
    if not isinstance(value, str):
        check.fail(f"{path}.{key}" if path else key, f"영문 표기는 문자열이어야 합니다 (값: {value!r})")
        return ""
    return value.strip()


def english_names(check, raw, key: str, path: str, codes) -> dict[str, str]:
    """An optional code -> English name table (``family_names_en`` ...) for the codes of
    its Korean table: strings only, no code the Korean table lacks."""
    if not isinstance(raw, dict) or raw.get(key) is None:
        return {}
    table = raw[key]
    if not isinstance(table, dict):
        check.fail(f"{path}.{key}" if path else key, "코드 -> 영문 이름 목록이어야 합니다")
        return {}
    out = {}
    for code, value in table.items():
        where = f"{path}.{key}.{code}" if path else f"{key}.{code}"
        if code not in codes:
            check.fail(where, "한국어 이름 목록에 없는 코드입니다")
        elif not isinstance(value, str):
            check.fail(where, f"영문 이름은 문자열이어야 합니다 (값: {value!r})")
        else:
            out[str(code)] = value.strip()
    return out
