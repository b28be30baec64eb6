"""A generated year's evaluation panels: one panel per institution family, internal and
external evaluators, a few declared ties, the assignment, both evaluators' scores on every
qualitative indicator and a few on-site notes — consistent with the panel scores
``demo.load_demo_effort`` already decided (both evaluators agree, or, for a few bodies,
differ beyond the gap and the decided score is a reconciliation), so totals do not move.
For the demo (after load_demo_effort) and the evaluator-screen benchmark."""

from __future__ import annotations

from datetime import date

import numpy as np
from django.contrib.auth import get_user_model
from django.db import transaction

from integrity.apps.accounts.models import Profile, Role
from integrity.apps.audit.services import record
from integrity.model.effort import QUALITATIVE

from . import assignments
from .models import Assignment, EvaluatorScore, Score, SiteNote, Tie

EVALUATORS_PER_PANEL = 12  # a third internal
RECONCILED_SHARE = 0.02  # bodies whose first qualitative indicator needed a reconciliation


@transaction.atomic
def load_demo_panels(year, admin=None, *, seed: int = 13, evaluators_per_panel: int = EVALUATORS_PER_PANEL) -> dict:
    framework = year.model.effort
    if framework is None:
        return {"panels": 0}
    rng = np.random.default_rng(seed)
    users = get_user_model()
    families: dict[str, list[str]] = {}
    for t in year.model.institution_types.values():
        families.setdefault(t.family, []).append(t.code)
    names = year.model.family_names
    panels = []
    for family, codes in families.items():
        present = [c for c in codes if year.institutions.filter(type_code=c).exists()]
        if not present:
            continue
        panel = assignments.create_panel(year, admin, f"{names.get(family, family)} 평가단", present)
        for n in range(evaluators_per_panel):
            user, _ = users.objects.get_or_create(username=f"eval-{year.year}-{family}-{n + 1:02d}")
            Profile.objects.update_or_create(user=user, defaults={"role": Role.EVALUATOR, "institution": None})
            assignments.add_member(panel, admin, user, "internal" if n % 3 == 0 else "external", chair=n == 0)
        members = list(panel.members.values_list("user_id", flat=True))
        bodies = list(assignments.institutions_of(panel).order_by("code"))
        for body in rng.choice(bodies, size=min(2, len(bodies)), replace=False):  # a couple of declared ties
            Tie.objects.create(user_id=int(rng.choice(members)), institution=body, reason="데모: 과거 자문위원 활동")
        assignments.run_assignment(panel, admin)
        panels.append(panel)
    qualitative = [i for i in framework.indicators if i.kind == QUALITATIVE]
    decided = {(s.institution_id, s.indicator): s for s in Score.objects.filter(institution__year=year)}
    pairs: dict[int, list[int]] = {}
    for inst_id, user_id in Assignment.objects.filter(institution__year=year).values_list("institution_id", "user_id"):
        pairs.setdefault(inst_id, []).append(user_id)
    scores, notes, reconciled = [], [], 0
    for inst_id, pair in sorted(pairs.items()):
        first, second = sorted(pair)[:2]
        for n, ind in enumerate(qualitative):
            score = decided.get((inst_id, ind.code))
            if score is None or not score.level:
                continue
            at = [lv.code for lv in ind.levels].index(score.level)
            a = b = score.level
            if n == 0 and rng.random() < RECONCILED_SHARE * 2 and 0 < at < len(ind.levels) - 1:
                a, b = ind.levels[at - 1].code, ind.levels[at + 1].code  # two steps apart: reconciled to the middle
                score.reason, score.scored_by = "데모: 두 평가의 차이가 커 평가단장이 조정", admin
                score.save(update_fields=["reason", "scored_by"])
                reconciled += 1
            scores += [EvaluatorScore(institution_id=inst_id, indicator=ind.code, user_id=first, level=a, reason="데모: 실적보고서 서면평가"),
                       EvaluatorScore(institution_id=inst_id, indicator=ind.code, user_id=second, level=b, reason="데모: 실적보고서 서면평가")]
        if rng.random() < 0.1:
            notes.append(SiteNote(institution_id=inst_id, indicator=qualitative[0].code if qualitative else "",
                                  visited_on=date(year.year, 9, 15), text="데모: 증빙 원본과 담당자 면담으로 확인", author_id=first))
    EvaluatorScore.objects.bulk_create(scores, batch_size=2000)
    SiteNote.objects.bulk_create(notes, batch_size=2000)
    record(admin, "effort.demo_panels_loaded", year, f"{year} 청렴노력도 데모 평가단 {len(panels)}개, 평가위원 평가 {len(scores)}건",
           panels=len(panels), scores=len(scores), reconciled=reconciled)
    return {"panels": len(panels), "evaluators": len(panels) * evaluators_per_panel, "scores": len(scores),
            "notes": len(notes), "reconciled": reconciled}
