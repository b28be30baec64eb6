"""Residents and parents as policy customers (실시계획 II.4, III.3), as model data.

They have no roster: a metropolitan government's residents and an education office's
parents are drawn from a population frame by region (시·군·구), age band and sex. Which
institution types poll them is the types' ``policy_groups`` (``resident``, ``parent``);
this section holds the strata, the sample sizes and how the groups weigh in the score.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .names import Named, english_text

FRAME_GROUPS = ("resident", "parent")  # the policy-customer groups drawn from a frame, not a roster


@dataclass(frozen=True)
class FrameGroup(Named):
    code: str
    name: str
    sample_size: int  # completes wanted per body, allocated across strata
    name_en: str = ""


@dataclass(frozen=True)
class PolicyCustomers:
    age_bands: tuple[str, ...] = ("19~29세", "30대", "40대", "50대", "60세 이상")
    sexes: tuple[str, ...] = ("남", "여")
    groups: dict[str, FrameGroup] = field(default_factory=dict)
    draw_multiple: int = 5  # people drawn per complete wanted (refusals, no answer)
    # Weight of each policy-customer group in the policy score; None: every respondent
    # counts alike (pooled), which is what the seed's silence leaves.
    group_weights: dict[str, float] | None = None


def parse_policy_customers(check, raw: Any, type_groups: set[str]) -> PolicyCustomers | None:
    """``check``: the loader's problem collector; ``type_groups``: every group named in
    the institution types' ``policy_groups``."""
    if raw is None:
        return None
    path = "policy_customers"
    if not isinstance(raw, dict):
        check.fail(path, "키-값 목록이어야 합니다")
        return None
    check.no_unknown_keys(raw, {"age_bands", "sexes", "groups", "draw_multiple", "group_weights"}, path)
    lists = {}
    for key in ("age_bands", "sexes"):
        values = check.need(raw, key, path, list) or []
        if not values or len({str(v) for v in values}) != len(values):
            check.fail(f"{path}.{key}", "서로 다른 값이 하나 이상 있어야 합니다")
        lists[key] = tuple(str(v) for v in values)
    groups = {}
    for code, spec in (check.need(raw, "groups", path, dict) or {}).items():
        where = f"{path}.groups.{code}"
        if code not in FRAME_GROUPS:
            check.fail(where, f"주민·학부모 집단이 아닙니다 (가능: {', '.join(FRAME_GROUPS)})")
            continue
        size = check.need(spec, "sample_size", where, int)
        if size is not None and size < 1:
            check.fail(f"{where}.sample_size", "1 이상이어야 합니다")
        groups[code] = FrameGroup(code, str((spec or {}).get("name", code)), size or 0,
                                  english_text(check, spec, "name_en", where))
    for code in sorted(set(FRAME_GROUPS) & type_groups - set(groups)):
        check.fail(f"{path}.groups", f"기관유형의 policy_groups에 있는 '{code}'의 표본 규모가 없습니다")
    multiple = raw.get("draw_multiple", 5)
    if not isinstance(multiple, int) or isinstance(multiple, bool) or multiple < 1:
        check.fail(f"{path}.draw_multiple", f"1 이상의 정수여야 합니다 (값: {multiple!r})")
        multiple = 1
    weights = raw.get("group_weights")
    if weights is not None:
        if not isinstance(weights, dict) or not weights:
            check.fail(f"{path}.group_weights", "집단별 가중치 목록이거나 비워 두어야(null) 합니다")
            weights = None
        else:
            for code, value in weights.items():
                if code not in type_groups:
                    check.fail(f"{path}.group_weights.{code}", "기관유형의 policy_groups에 없는 집단입니다")
                if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
                    check.fail(f"{path}.group_weights.{code}", f"0보다 큰 수여야 합니다 (값: {value!r})")
            weights = {str(k): float(v) for k, v in weights.items() if isinstance(v, (int, float))}
    return PolicyCustomers(age_bands=lists["age_bands"], sexes=lists["sexes"], groups=groups,
                           draw_multiple=multiple, group_weights=weights)
