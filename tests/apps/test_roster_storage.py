"""Roster entries as stored: the other columns' JSON, encoded for a whole batch."""

import json
from datetime import date

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from integrity.apps.rosters.services import attribute_json
from integrity.pii import PIICipher, new_key

TEXT = st.one_of(st.none(), st.text(max_size=12), st.sampled_from(['"k":null,', '\\', '"', "null", ",}", "한글 \"따옴표\""]))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(TEXT, st.one_of(st.none(), st.dates()), st.one_of(st.none(), st.booleans()),
                          st.one_of(st.none(), st.integers(-10**9, 10**9))), min_size=1, max_size=8))
def test_attributes_are_the_rows_values_without_blanks(rows):
    frame = pl.DataFrame(rows, schema={"detail": pl.Utf8, "experienced_on": pl.Date, "litigant": pl.Boolean, "order": pl.Int64},
                         orient="row")
    expected = [{k: (v.isoformat() if isinstance(v, date) else v) for k, v in zip(frame.columns, row) if v is not None}
                for row in rows]
    assert [json.loads(text) for text in attribute_json(frame, frame.columns)] == expected


def test_a_column_of_values_is_encrypted_with_fresh_nonces():
    cipher = PIICipher(new_key())
    sealed = cipher.encrypt_many(["010", None, "010"])
    assert sealed[1] is None and sealed[0] != sealed[2]
    assert [cipher.decrypt(s) for s in sealed] == ["010", None, "010"]
    assert cipher.match_key("010") == cipher.match_key("010") != cipher.match_key("011")
