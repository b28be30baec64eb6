"""PDF reports (the institution's report, the programme's briefing) are drawn with a Korean
font found through fontconfig. Without one, WeasyPrint prints every Korean letter as an
empty box and only logs it: `check --deploy` says so before anyone downloads such a PDF."""

from __future__ import annotations

import shutil
import subprocess

from django.core.checks import Warning, register
from django.utils.translation import gettext as _

# The PDF templates' font-family list, in their order (report_pdf.html, briefing_pdf.html).
PDF_FAMILIES = ("Noto Sans CJK KR", "Noto Sans KR", "NanumGothic")


def korean_fonts() -> set[str] | None:
    """Families with Korean letters that fontconfig knows; None when fc-list is not there to ask."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        out = subprocess.run([fc_list, ":lang=ko", "family"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return {name.strip() for line in out.splitlines() for name in line.split(",") if name.strip()}


@register(deploy=True)
def korean_font_for_pdfs(app_configs, **kwargs):
    found = korean_fonts()
    if found is None or found & set(PDF_FAMILIES):
        return []
    return [Warning(
        _("PDF 보고서에 쓸 한글 글꼴(%(fonts)s)이 서버에 없습니다: 보고서의 한글이 모두 빈 네모로 인쇄됩니다.")
        % {"fonts": ", ".join(PDF_FAMILIES)},
        hint=_("Debian/Ubuntu에서는 apt-get install fonts-noto-cjk 로 설치하세요 (make fonts)."),
        id="integrity.W002",
    )]
