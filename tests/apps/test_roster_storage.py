"""Roster entries as stored: the other columns' JSON, encoded for a whole batch."""

import hmac
import json
from datetime import date

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

import pytest
from cryptography.exceptions import InvalidTag

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


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=40)), max_size=20))
def test_keys_of_a_column_are_the_standard_keyed_hashes(values):
    """The batch keys (two precomputed HMAC states) are exactly HMAC-SHA256 under the
    derived key: keys stored before the change still match."""
    cipher = PIICipher(new_key())
    expected = [None if v is None else hmac.new(cipher._hash_key, v.encode(), "sha256").hexdigest() for v in values]
    assert cipher.match_keys(values) == expected
    assert [cipher.match_key(v) for v in values] == expected


def test_a_batch_is_sealed_with_unique_nonces_and_authenticated():
    """AES-GCM: a nonce is never reused within a batch, and a changed byte is refused."""
    cipher = PIICipher(new_key())
    sealed = cipher.encrypt_many(["같은 값"] * 2000)
    assert len({s[:12] for s in sealed}) == 2000
    tampered = sealed[0][:-1] + bytes([sealed[0][-1] ^ 1])
    with pytest.raises(InvalidTag):
        cipher.decrypt(tampered)
