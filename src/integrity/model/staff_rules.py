"""Reading the fieldwork sections about who is listed where (used by ``loader``):
the military rank scope and the transferred-in staff rules (서식 3-3)."""

from __future__ import annotations

from typing import Any

from . import schema as s

SENIOR_ROWS = ("exclude", "refuse")


def senior_rows(check, spec: dict, path: str) -> str:
    value = spec.get("senior_rows", "exclude")
    if value not in SENIOR_ROWS:
        check.fail(f"{path}.senior_rows", f"exclude 또는 refuse여야 합니다 (값: {value!r})")
        return "exclude"
    return value


def military(check, raw: Any) -> s.MilitaryScope | None:
    if raw is None:
        return None
    path = "fieldwork.internal.military"
    if not isinstance(raw, dict):
        check.fail(path, "키-값 목록이어야 합니다")
        return None
    check.no_unknown_keys(raw, {"institution_codes", "institution_names", "ranks", "highest_listed"}, path)
    ranks = tuple(str(r) for r in raw.get("ranks") or ())
    highest = str(raw.get("highest_listed") or "")
    if highest not in ranks:
        check.fail(f"{path}.highest_listed", f"ranks에 없는 계급입니다 (값: {highest!r})")
    if len(set(ranks)) != len(ranks):
        check.fail(f"{path}.ranks", "같은 계급이 두 번 있습니다")
    return s.MilitaryScope(
        institution_codes=tuple(str(c) for c in raw.get("institution_codes") or ()),
        institution_names=tuple(str(n) for n in raw.get("institution_names") or ()),
        ranks=ranks, highest_listed=highest,
    )


def transferred_in(check, raw: Any, types: dict[str, s.InstitutionType]) -> s.TransferRules | None:
    if raw is None:
        return None
    path = "fieldwork.transferred_in"
    if not isinstance(raw, dict):
        check.fail(path, "키-값 목록이어야 합니다")
        return None
    check.no_unknown_keys(raw, {"group", "former_types", "basic_types"}, path)
    group = str(check.need(raw, "group", path, str) or "")
    former = tuple(str(t) for t in raw.get("former_types") or ())
    basic = tuple(str(t) for t in raw.get("basic_types") or ())
    if not former:
        check.fail(f"{path}.former_types", "기관유형이 하나 이상 있어야 합니다")
    for code in former + basic:
        if code not in types:
            check.fail(path, f"알 수 없는 기관유형 '{code}'")
    for code in former:
        t = types.get(code)
        if t is not None and group not in t.policy_groups:
            check.fail(f"{path}.group", f"'{code}'의 정책고객 집단(policy_groups)에 '{group}'이 없습니다")
    return s.TransferRules(group=group, former_types=former, basic_types=basic)
