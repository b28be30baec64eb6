"""The English catalogue is complete and compiled (Korean is the source language)."""

from pathlib import Path

import polib

import integrity

PO = Path(integrity.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_every_message_has_an_english_translation():
    # translated(): msgstr, or every plural form for a message with a plural
    untranslated = [e.msgid for e in polib.pofile(PO) if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert untranslated == []


def test_compiled_catalogue_matches_the_source():
    po = {e.msgid: e.msgstr for e in polib.pofile(PO)}
    mo = {e.msgid: e.msgstr for e in polib.mofile(PO.with_suffix(".mo"))}
    assert mo == po, "run `make messages` after editing django.po"
