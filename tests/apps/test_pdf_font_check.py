"""Without a Korean font every Korean letter of a PDF report prints as an empty box
(WeasyPrint only logs it): `check --deploy` says so before anyone downloads one."""

from integrity.apps.results import checks


def test_a_server_without_a_korean_font_is_warned(monkeypatch):
    monkeypatch.setattr(checks, "korean_fonts", lambda: {"DejaVu Sans"})
    found = checks.korean_font_for_pdfs(None)
    assert [w.id for w in found] == ["integrity.W002"] and "한글 글꼴" in found[0].msg


def test_a_server_with_the_pdf_font_or_no_way_to_ask_is_not(monkeypatch):
    monkeypatch.setattr(checks, "korean_fonts", lambda: {"Noto Sans CJK KR", "Noto Sans CJK JP"})
    assert checks.korean_font_for_pdfs(None) == []
    monkeypatch.setattr(checks, "korean_fonts", lambda: None)  # no fc-list to ask: nothing to say
    assert checks.korean_font_for_pdfs(None) == []


def test_fontconfig_is_asked_for_families_with_korean_letters():
    found = checks.korean_fonts()
    assert found is None or all(name == name.strip() and name for name in found)
