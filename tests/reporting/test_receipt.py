"""The receipt code: >= 128 bits, typed forgivingly, stored only as a keyed lookup id and
a slow verifier compared in constant time (issue 15)."""

import math
import secrets

import pytest

from integrity.reporting import receipt

KEY = secrets.token_bytes(32)
N = 2**10


def test_the_receipt_code_carries_at_least_128_random_bits_in_typable_groups():
    code = receipt.new_code()
    assert receipt.CODE_CHARS * math.log2(len(receipt.ALPHABET)) >= 128
    groups = code.split("-")
    assert len(groups) == 7 and all(len(g) == 4 for g in groups)
    assert set(code.replace("-", "")) <= set(receipt.ALPHABET)
    assert not set("ILOU") & set(receipt.ALPHABET)
    assert len({receipt.new_code() for _ in range(2000)}) == 2000


def test_codes_are_uniform_over_the_alphabet():
    counts = {}
    for _ in range(400):
        for ch in receipt.new_code().replace("-", ""):
            counts[ch] = counts.get(ch, 0) + 1
    expected = 400 * receipt.CODE_CHARS / len(receipt.ALPHABET)
    assert set(counts) == set(receipt.ALPHABET)
    assert all(abs(n - expected) < expected * 0.35 for n in counts.values())


def test_typing_is_forgiving_lower_case_spaces_and_look_alikes():
    code = receipt.new_code()
    raw = code.replace("-", "")
    assert receipt.normal_code(code.lower()) == raw
    assert receipt.normal_code(" ".join(code.split("-"))) == raw
    assert receipt.normal_code(raw.replace("0", "O").replace("1", "I")) == raw
    for bad in ("", "ABCD", raw + "X", raw[:-1] + "U"):
        with pytest.raises(receipt.ReceiptMalformed):
            receipt.normal_code(bad)


def test_the_lookup_id_is_keyed():
    code = receipt.new_code()
    assert receipt.lookup_id(KEY, code) == receipt.lookup_id(KEY, code.lower())
    assert receipt.lookup_id(KEY, code) != receipt.lookup_id(secrets.token_bytes(32), code)
    assert code.replace("-", "") not in receipt.lookup_id(KEY, code)


def test_the_verifier_needs_code_and_passphrase_and_is_salted():
    code, passphrase = receipt.new_code(), receipt.new_passphrase()
    verifier = receipt.make_verifier(KEY, code, passphrase, N)
    assert receipt.check_verifier(KEY, code, passphrase, verifier, N)
    assert receipt.check_verifier(KEY, code.lower(), passphrase.replace("-", ""), verifier, N)
    assert not receipt.check_verifier(KEY, code, receipt.new_passphrase(), verifier, N)
    assert not receipt.check_verifier(KEY, receipt.new_code(), passphrase, verifier, N)
    assert not receipt.check_verifier(KEY, code, passphrase, None, N)  # no such report
    assert not receipt.check_verifier(KEY, "junk", passphrase, verifier, N)
    assert not receipt.check_verifier(KEY, code, "", verifier, N)
    assert receipt.make_verifier(KEY, code, passphrase, N) != verifier  # a fresh salt each time
    assert passphrase.replace("-", "").encode() not in verifier
