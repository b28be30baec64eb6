"""Regions (시·도) of the registry: what lists filter by. A body's region is the one its
registry row gives, else its supervisor's (a 시·군·구 under its 광역, a 교육지원청 under its
시·도교육청); national bodies (central agencies, most public-service organisations) have
none and are listed as 전국."""

from __future__ import annotations

from collections.abc import Mapping

# The 17 시·도 in the statistical order (KOSIS), as the registry and the lists name them.
REGIONS = ("서울", "부산", "대구", "인천", "광주", "대전", "울산", "세종", "경기", "강원",
           "충북", "충남", "전북", "전남", "경북", "경남", "제주")
NATIONWIDE = "전국"


def inherited(own: Mapping[str, str], supervisor: Mapping[str, str | None]) -> dict[str, str]:
    """Every body's region: its own where given, else the nearest supervisor's (cycles and
    unknown supervisors end the search); "" where none has one."""
    out: dict[str, str] = {}
    for code in supervisor.keys() | own.keys():
        seen, current = set(), code
        region = ""
        while current and current not in seen:
            seen.add(current)
            if own.get(current):
                region = own[current]
                break
            current = supervisor.get(current)
        out[code] = region
    return out


def choices(present) -> list[tuple[str, str]]:
    """Filter options: the regions in use in the statistical order, then 전국."""
    used = set(present)
    options = [(r, r) for r in REGIONS if r in used]
    options += sorted((r, r) for r in used - set(REGIONS) if r)
    if "" in used:
        options.append(("-", NATIONWIDE))
    return options


def keep(region: str, chosen: str) -> bool:
    return (region or "") == ("" if chosen == "-" else chosen)
