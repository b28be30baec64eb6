"""A published run's national figures beside the published anchors (DOMAIN.md), for
the demo's closing lines: is the generated year shaped like the real ones?"""

from __future__ import annotations

from statistics import mean

from integrity.generate.mix import NATIONAL_2017, NATIONAL_2022

BASIC_LOCAL = ("basic_city", "basic_county", "basic_district")


def national_figures(run, model) -> list[tuple[str, float | None, float | None]]:
    """(label, generated, published anchor) rows; anchor None where none is published."""
    rows = list(run.results.filter(status="scored").values_list("type_code", "overall", "grade", "scores"))
    if not rows:
        return []

    def avg(values):
        values = [v for v in values if v is not None]
        return round(mean(values), 2) if values else None

    family = {code: t.family for code, t in model.institution_types.items()}
    grade_one = round(100 * sum(1 for _, _, g, _ in rows if g == 1) / len(rows), 1)
    if model.scale_max < 100:
        return [("종합청렴도", avg(o for _, o, _, _ in rows), NATIONAL_2017["overall"]),
                ("외부청렴도", avg(s.get("score_external") for *_, s in rows), NATIONAL_2017["external"]),
                ("내부청렴도", avg(s.get("score_internal") for *_, s in rows), NATIONAL_2017["internal"]),
                ("1등급 비율(%)", grade_one, None)]
    return [
        ("기관 수", run.results.count(), 569),
        ("종합청렴도", avg(o for _, o, _, _ in rows), NATIONAL_2022["overall"]),
        ("  공직유관단체", avg(o for t, o, _, _ in rows if family.get(t) == "public_service"), NATIONAL_2022["public_service"]),
        ("  기초자치단체", avg(o for t, o, _, _ in rows if t in BASIC_LOCAL), NATIONAL_2022["basic_local"]),
        ("청렴체감도 (공표값 2024)", avg(s.get("score_perceived") for *_, s in rows), NATIONAL_2022["perceived"]),
        ("청렴노력도 (공표값 2024)", avg(s.get("input_effort") for *_, s in rows), NATIONAL_2022["effort"]),
        ("1등급 비율(%) (2022: 5.6, 2024: 3.9)", grade_one, 5.6),
    ]
