"""Every cell is read as people mean it before any check: the full-width, look-alike
and padded spellings of a phone, an e-mail or a name are the same value, so they are
found as duplicates (property tests)."""

from datetime import date

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from integrity.rosters import RosterContext, check_roster, get_form
from integrity.rosters.normalise import text
from integrity.rosters.workbook import ROW, SheetText

EXTERNAL = get_form("external")
DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212\ufe63\uff0d"
SPACES = " \u3000\u00a0\t"
INVISIBLE = "\u200b\u200c\u200d\ufeff\u00ad"


@st.composite
def look_alike(draw, value: str) -> str:
    """``value`` as it might be typed or pasted: any character full-width, hyphens as any
    dash, spaces as any space, invisible marks here and there, padding around it."""
    out = []
    for ch in value:
        if ch == "-":
            ch = draw(st.sampled_from(DASHES))
        elif ch == " ":
            ch = draw(st.sampled_from(SPACES)) * draw(st.integers(1, 2))
        elif "!" <= ch <= "~" and draw(st.booleans()):
            ch = chr(ord(ch) + 0xFEE0)  # the full-width form
        out.append(ch + (draw(st.sampled_from(INVISIBLE)) if draw(st.integers(0, 5)) == 0 else ""))
    pad = st.text(alphabet=SPACES, max_size=2)
    return draw(pad) + "".join(out) + draw(pad)


phones = st.builds(lambda a, b: f"010-{a:04d}-{b:04d}", st.integers(2000, 9999), st.integers(0, 9999))
emails = st.builds(lambda u, d: f"{u}@{d}.kr", st.from_regex(r"[a-z][a-z0-9.]{0,10}", fullmatch=True),
                   st.from_regex(r"[a-z]{2,8}", fullmatch=True))
names = st.builds(lambda family, given: f"{family} {given}", st.sampled_from(["김", "이", "Kim", "O'Neil"]),
                  st.sampled_from(["민수", "Min-su", "Jo"]))


def _checked(rows: list[dict], m2017):
    frame = pl.DataFrame(
        {key: [r.get(key) for r in rows] for key in ("name", "phone", "email", "experienced_on", "litigant")},
        schema={k: pl.Utf8 for k in ("name", "phone", "email", "experienced_on", "litigant")},
    ).with_columns(pl.Series(ROW, list(range(2, 2 + len(rows))), dtype=pl.Int64))
    sheet = SheetText(frame=frame, headers={c.key: c.header for c in EXTERNAL.columns})
    return check_roster(EXTERNAL, sheet, RosterContext(fieldwork=m2017.fieldwork, quota=1, census=True))


@settings(max_examples=60, deadline=None)
@given(data=st.data(), phone=phones, email=emails, name=names)
def test_look_alike_spellings_are_the_same_value_and_duplicates(m2017, data, phone, email, name):
    typed = {"name": data.draw(look_alike(name)), "phone": data.draw(look_alike(phone)),
             "email": data.draw(look_alike(email))}
    plain = {"name": name, "phone": phone, "email": email}
    day = {"experienced_on": date(2017, 1, 2).isoformat(), "litigant": "아니오"}
    result = _checked([plain | day, typed | day], m2017)
    entries = result.entries
    assert entries["name"][0] == entries["name"][1]
    assert entries["phone"][0] == entries["phone"][1] is not None
    assert entries["email"][0] == entries["email"][1] is not None
    duplicates = {(p.row, p.column) for p in result.problems if "2행에도 있습니다" in p.message}
    assert duplicates == {(3, "휴대전화"), (3, "전자우편")}


@given(value=st.text(max_size=30))
def test_normalising_twice_changes_nothing(value):
    once = text(pl.Series([value], dtype=pl.Utf8))
    assert text(once).to_list() == once.to_list()
