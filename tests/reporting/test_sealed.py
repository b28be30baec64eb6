"""A waiting report or answer is one blob whose length says nothing but its size class."""

import pytest

from integrity.reporting import sealed


def test_a_frame_carries_the_header_and_the_files_back():
    header = {"type": "report", "title": "계약", "files": [{"kind": "jpeg"}, {"kind": "pdf"}]}
    framed = sealed.frame(header, [b"\xff\xd8abc", b"%PDF-1.7 x"], overhead=28)
    assert sealed.unframe(framed) == (header, [b"\xff\xd8abc", b"%PDF-1.7 x"])


@pytest.mark.parametrize("size", [0, 10, 5_000, 60_000, 65_536, 100_000, 1_000_000, 29_999_999])
def test_sealed_sizes_fall_on_power_of_two_buckets(size):
    framed = sealed.frame({"what": "x"}, [b"a" * size], overhead=28)
    total = len(framed) + 28  # nonce and tag of AES-GCM
    assert total >= sealed.MIN_BUCKET and total & (total - 1) == 0  # a power of two
    assert total < 2 * max(size + 200, sealed.MIN_BUCKET)  # at most doubled


def test_texts_of_every_length_a_form_allows_share_one_size():
    short = sealed.frame({"what": "가"}, [], overhead=28)
    long = sealed.frame({"what": "가" * 5000, "title": "나" * 200, "when": "다" * 200, "where": "라" * 200}, [], overhead=28)
    assert len(short) == len(long) == sealed.MIN_BUCKET - 28


def test_a_damaged_frame_is_refused():
    with pytest.raises(ValueError):
        sealed.unframe(b"\x00\x00\xff\xff{}")
