"""Column normalisation: phone numbers to one canonical form, e-mails, dates,
yes/no, choices and integers. Each returns (values, bad) where ``bad`` marks
non-blank cells that could not be read."""

from __future__ import annotations

from datetime import date

import phonenumbers
import polars as pl

from .forms import NO, YES

# Korean numbers that need no library: mobiles (010, 011, 016-019) and area codes.
# Leading zero optional: Excel drops it when a phone was typed as a number.
_MOBILE = r"^0?(1[016789])(\d{3,4})(\d{4})$"
_SEOUL = r"^0?(2)(\d{3,4})(\d{4})$"
_AREA = r"^0?([3-6][1-5]|70)(\d{3,4})(\d{4})$"
YES_WORDS = ("예", "네", "y", "yes", "o", "1", "true", "해당")
NO_WORDS = ("아니오", "아니요", "n", "no", "x", "0", "false", "해당없음", "미해당")
EXCEL_EPOCH = date(1899, 12, 30)


# Invisible marks pasted with text (zero-width spaces and joiners, the byte-order mark,
# soft hyphens): dropped. Dashes that look like a hyphen and that NFKC leaves alone: "-".
_INVISIBLE = "[\u00ad\u200b-\u200d\u2060\ufeff]"
_DASHES = "[\u2010-\u2015\u2212\u2043\ufe58\ufe63\uff0d]"


def text(values: pl.Series) -> pl.Series:
    """Every cell as typed people mean it: Unicode NFKC (full-width digits and letters,
    compatibility hyphens and spaces become their plain forms), invisible marks dropped,
    dashes as "-", runs of white space as one space, trimmed; an empty cell is blank.
    Done before any check or comparison, so ０１０－７０００－７００１, 010–7000–7001 and
    010-7000-7001 are the same number."""
    cleaned = (values.cast(pl.Utf8).str.normalize("NFKC").str.replace_all(_INVISIBLE, "")
               .str.replace_all(_DASHES, "-").str.replace_all(r"\s+", " ").str.strip_chars())
    return pl.select(pl.when(cleaned != "").then(cleaned)).to_series().alias(values.name)


def phones(values: pl.Series) -> tuple[pl.Series, pl.Series]:
    """Canonical E.164 (+821012345678); unusual numbers go through ``phonenumbers``."""
    digits = values.str.replace(r"\.0+$", "").str.replace_all(r"[^0-9+]", "")  # ASCII digits: after NFKC
    digits = digits.str.replace(r"^\+?82", "0")
    canonical = pl.Series(values.name, [None] * len(values), dtype=pl.Utf8)
    for pattern in (_MOBILE, _SEOUL, _AREA):
        parts = digits.str.extract_groups(pattern)
        number = parts.struct.field("1") + parts.struct.field("2") + parts.struct.field("3")
        canonical = canonical.fill_null("+82" + number)
    unmatched = values.is_not_null() & canonical.is_null()
    if unmatched.any():
        lookup = {v: _library_phone(v) for v in values.filter(unmatched).unique().to_list()}
        slow = values.replace_strict(lookup, default=None, return_dtype=pl.Utf8)
        canonical = canonical.fill_null(slow)
    return canonical, values.is_not_null() & canonical.is_null()


def _library_phone(text: str) -> str | None:
    try:
        number = phonenumbers.parse(text, "KR")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _keep(values: pl.Series, good: pl.Series) -> pl.Series:
    """``values`` where ``good``, else missing."""
    return pl.select(pl.when(good.fill_null(False)).then(values)).to_series().alias(values.name)


def emails(values: pl.Series) -> tuple[pl.Series, pl.Series]:
    cleaned = values.str.strip_chars().str.to_lowercase()
    good = cleaned.str.contains(r"^[^@\s,;]+@[^@\s,;]+\.[a-z]{2,}$")
    return _keep(cleaned, good), values.is_not_null() & ~good.fill_null(False)


def dates(values: pl.Series) -> tuple[pl.Series, pl.Series]:
    """Dates typed as cells or as unambiguous text: 2017-03-15, 2017.3.15, 2017/03/15,
    20170315, 2017년 3월 15일. Ambiguous forms (3/15/17) are refused."""
    text = values.str.replace(r"\s+00:00:00(\.0+)?$", "")
    text = text.str.replace(r"^(\d{4})(\d{2})(\d{2})$", "${1}-${2}-${3}")
    text = text.str.replace_all(r"\s*[./년월]\s*", "-").str.replace(r"[-일\s]+$", "")
    four_digit_year = text.str.contains(r"^\d{4}-\d{1,2}-\d{1,2}$").fill_null(False)
    parsed = _keep(text, four_digit_year).str.to_date("%Y-%m-%d", strict=False)
    # A date cell formatted as a number shows Excel's day count (e.g. 42809).
    serial = values.str.replace(r"\.0+$", "").cast(pl.Int64, strict=False)
    from_serial = pl.select(
        pl.when(serial.is_between(20000, 80000)).then(pl.lit(EXCEL_EPOCH) + pl.duration(days=serial))
    ).to_series().cast(pl.Date)
    out = parsed.fill_null(from_serial).alias(values.name)
    return out, values.is_not_null() & out.is_null()


def yes_no(values: pl.Series) -> tuple[pl.Series, pl.Series]:
    lowered = values.str.to_lowercase().str.strip_chars()
    out = pl.select(
        pl.when(lowered.is_in(YES_WORDS)).then(pl.lit(YES)).when(lowered.is_in(NO_WORDS)).then(pl.lit(NO))
    ).to_series().alias(values.name)
    return out, values.is_not_null() & out.is_null()


def choices(values: pl.Series, allowed: tuple[str, ...]) -> tuple[pl.Series, pl.Series]:
    squeezed = values.str.replace_all(r"\s+", " ")
    good = squeezed.is_in(allowed)
    return _keep(squeezed, good), values.is_not_null() & ~good.fill_null(False)


def integers(values: pl.Series) -> tuple[pl.Series, pl.Series]:
    out = values.str.replace_all(r"[,\s원명]", "").str.replace(r"\.0+$", "").cast(pl.Int64, strict=False)
    return out.alias(values.name), values.is_not_null() & out.is_null()
