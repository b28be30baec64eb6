"""Year-on-year change of the overall score for a run's table, the API and open data:
last year's published score and whether the change exceeds the two years' combined
uncertainty (integrity.scoring.change)."""

from __future__ import annotations

from dataclasses import dataclass

from integrity.scoring.change import significant_change

from .models import InstitutionResult, ScoringRun


@dataclass(frozen=True)
class Change:
    previous_year: int
    previous: float | None
    difference: float | None
    significant: bool | None  # None: a year without standard errors, or no score


def previous_run(run: ScoringRun) -> ScoringRun | None:
    return ScoringRun.objects.filter(year=run.year - 1, published_at__isnull=False).first()


def changes(run: ScoringRun, confidence: float) -> dict[str, Change]:
    """Per institution code of ``run``: its change from last year's published run. None
    across the model change (a 10-point 2021 score against a 100-point 2022 one): scores
    on different scales are never subtracted (parts.same_scale)."""
    from .parts import same_scale

    before = previous_run(run)
    if before is None or not same_scale(run, before):
        return {}
    last = {code: (overall, scores.get("se_overall")) for code, overall, scores in
            before.results.filter(status="scored").values_list("institution_code", "overall", "scores")}
    out = {}
    for code, overall, scores in run.results.values_list("institution_code", "overall", "scores"):
        if code not in last:
            continue
        old, se_old = last[code]
        out[code] = change_of(before.year, overall, scores.get("se_overall"), old, se_old, confidence)
    return out


def change_of(previous_year: int, now, se_now, before, se_before, confidence: float) -> Change:
    difference = None if now is None or before is None else now - before
    return Change(previous_year, before, difference, significant_change(now, se_now, before, se_before, confidence))


def uncertainty_fields(r: InstitutionResult) -> dict:
    s = r.scores
    return {"se": s.get("se_overall"), "ci_low": s.get("ci_low_overall"), "ci_high": s.get("ci_high_overall"),
            "grade_change_probability": s.get("grade_change_probability"), "near_cut": s.get("near_cut")}
