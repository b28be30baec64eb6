"""Charts as inline SVG (pages and PDFs alike), drawn at a fixed size in CSS pixels so
labels stay legible: 13 px text; a narrow screen scrolls the chart sideways (div.chart-scroll)
rather than shrinking its text."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

FONT = 13
BAR = "#1f5fbf"
FRAME = "#9aa6b8"


def _svg(width: int, height: int, label: str, body: str) -> SafeString:
    return format_html('<svg class="chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{}" '
                       'xmlns="http://www.w3.org/2000/svg">{}</svg>',
                       label, mark_safe(body), w=width, h=height)


def share_bars(rows: Sequence[tuple[str, float | None, str]], label: str, *, width: int = 760) -> SafeString:
    """One bar per row, for a share between 0 and 1 (shown with a full-width frame).
    A row: (label, share or None, the text written after the bar)."""
    if not rows:
        return mark_safe("")
    name_w, right_w, line = 260, 110, 26
    span = width - name_w - right_w
    parts = []
    for i, (name, share, caption) in enumerate(rows):
        y = i * line
        w = 0.0 if share is None else max(0.0, min(1.0, share)) * span
        parts.append(format_html(
            '<text x="0" y="{}" font-size="{}">{}</text>'
            '<rect x="{}" y="{}" width="{}" height="16" fill="{}"><title>{} {}</title></rect>'
            '<rect x="{}" y="{}" width="{}" height="16" fill="none" stroke="{}" stroke-width="1"></rect>'
            '<text x="{}" y="{}" font-size="{}">{}</text>',
            y + 17, FONT, name, name_w, y + 4, f"{w:.1f}", BAR, name, caption, name_w, y + 4, span, FRAME,
            name_w + span + 8, y + 17, FONT, caption))
    return _svg(width, len(rows) * line + 4, label, "".join(parts))


def daily_columns(days: Sequence[tuple[date, int]], label: str, *, total: int | None = None,
                  width: int = 760, height: int = 220) -> SafeString:
    """Completions per day as columns, with the running total as a line (and, given the
    number invited, the response rate it reaches) and dates on the axis."""
    if not days:
        return mark_safe("")
    left, bottom, top = 8, 34, 22
    plot_h = height - bottom - top
    step = (width - 2 * left) / len(days)
    peak = max(n for _, n in days) or 1
    running, cumulative = 0, []
    for _, n in days:
        running += n
        cumulative.append(running)
    cols = format_html_join("", '<rect x="{}" y="{}" width="{}" height="{}" fill="#a9c1e8"><title>{} {}건</title></rect>', (
        (f"{left + i * step:.1f}", f"{top + plot_h * (1 - n / peak):.1f}", f"{max(step - 1, 1):.1f}",
         f"{plot_h * n / peak:.1f}", d.isoformat(), f"{n:,}") for i, (d, n) in enumerate(days)))
    points = " ".join(f"{left + (i + .5) * step:.1f},{top + plot_h * (1 - c / running):.1f}" for i, c in enumerate(cumulative))
    line = format_html('<polyline points="{}" fill="none" stroke="{}" stroke-width="2"></polyline>', points, BAR)
    ticks = max(1, len(days) // 6)
    axis = format_html_join("", '<text x="{}" y="{}" font-size="{}" text-anchor="middle">{}</text>', (
        (f"{left + (i + .5) * step:.1f}", height - 12, FONT, f"{d.month}/{d.day}")
        for i, (d, _) in enumerate(days) if i % ticks == 0))
    summary = f"누적 {running:,}건"
    if total and running <= total:  # a rate only where the invitations account for every completion
        summary += f" · 응답률 {running / total:.1%}"
    head = format_html('<text x="{}" y="{}" font-size="{}" text-anchor="end" fill="{}">{}</text>'
                       '<text x="{}" y="{}" font-size="{}">하루 최대 {}건</text>',
                       width - left, FONT + 2, FONT, BAR, summary, left, FONT + 2, FONT, f"{peak:,}")
    return _svg(width, height, label, head + cols + line + axis)


def month_columns(months: Sequence[tuple[str, int, bool]], label: str, *, width: int = 760,
                  height: int = 200) -> SafeString:
    """Counts per month as columns, a month inside a marked period (e.g. a calendar event)
    darker. A row: ("2025-01", count, marked)."""
    if not months:
        return mark_safe("")
    left, bottom, top = 24, 34, 22
    plot_h = height - bottom - top
    step = (width - 2 * left) / len(months)
    peak = max(n for _, n, _ in months) or 1
    cols = format_html_join("", '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{} {}건</title></rect>', (
        (f"{left + i * step:.1f}", f"{top + plot_h * (1 - n / peak):.1f}", f"{max(step - 2, 1):.1f}",
         f"{plot_h * n / peak:.1f}", BAR if marked else "#a9c1e8", m, f"{n:,}") for i, (m, n, marked) in enumerate(months)))
    ticks = max(1, len(months) // 8)
    axis = format_html_join("", '<text x="{}" y="{}" font-size="{}" text-anchor="middle">{}</text>', (
        (f"{left + (i + .5) * step:.1f}", height - 12, FONT, m) for i, (m, _, _) in enumerate(months) if i % ticks == 0))
    head = format_html('<text x="{}" y="{}" font-size="{}">월 최대 {}건</text>', left, FONT + 2, FONT, f"{peak:,}")
    return _svg(width, height, label, head + cols + axis)
