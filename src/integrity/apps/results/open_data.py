"""The published table as open data: Korean headers for people (CSV, xlsx, with the
machine codes in the xlsx's 열 설명 sheet), codes for machines (Parquet). The data set is
one publication, the same whoever downloads it, so the model's names stay Korean here in
English mode too."""

from __future__ import annotations

from integrity.exports import Column

from .change import changes, previous_run
from .parts import graded_parts, part_key, same_scale
from .services import STATUS_LABELS as STATUS

POINTS = {"incident_external_points": "외부 부패사건 감점", "incident_internal_points": "내부 부패사건 감점",
          "credibility_points": "신뢰도 저해행위 감점"}


def columns(run) -> list[Column]:
    model = run.model
    names = {}
    for sv in model.surveys:
        names[f"score_{sv.code}"] = sv.name
        names[f"n_{sv.code}"] = f"{sv.name} 응답 수"
        for node in sv.root.walk():
            names.setdefault(f"score_{node.code}", node.name)
    keys = sorted({k for r in run.results.all().only("scores") for k in r.scores
                   if k.startswith(("score_", "n_")) or k in POINTS}, key=lambda k: (not k.startswith("score_"), k))
    base = [
        Column("institution", "기관코드", meaning="기관을 나타내는 코드"),
        Column("name", "기관명"),
        Column("type", "기관유형 코드", meaning="측정모형의 기관유형 코드"),
        Column("type_name", "기관유형"),
        Column("status", "상태", meaning="채점 / 미채점 / 무효 / 상급기관에 포함(교육지원청: 점수는 내역, 등급·순위 없음) / 측정 제외(순환)"),
        Column("overall", model.overall_name, "score", meaning=f"공표 점수 (소수 {model.publish_decimals}자리, 반올림)",
               decimals=model.publish_decimals),
        Column("grade", "등급", "int", meaning="유형 안에서 표준편차로 정한 1~5등급"),
        Column("rank_in_type", "유형 내 순위", "int"),
    ]
    extra = [Column(k, names.get(k) or POINTS.get(k) or k, "int" if k.startswith("n_") else "score",
                    meaning="응답 수" if k.startswith("n_") else f"점수 (소수 {model.publish_decimals}자리, 반올림)",
                    decimals=model.publish_decimals) for k in keys]
    return base + extra + _part_columns(model, keys) + _uncertainty_columns(run, model)


def _part_columns(model, already: list[str]) -> list[Column]:
    """2022+: the parts graded beside the overall score, each score and grade (체감도, 노력도)."""
    cols = []
    for code, name in graded_parts(model, "ko"):
        key = part_key(model, code)
        if key not in already:
            cols.append(Column(key, name, "score", meaning=f"점수 (소수 {model.publish_decimals}자리, 반올림)",
                               decimals=model.publish_decimals))
        cols.append(Column(f"grade_{code}", f"{name} 등급", "int", meaning=f"{name}로 유형 안에서 표준편차로 정한 등급"))
    return cols


def _uncertainty_columns(run, model) -> list[Column]:
    """Standard error, interval, grade stability and the change from last year, where the
    run has standard errors (runs scored before they were stored have none)."""
    if not run.results.filter(scores__has_key="se_overall").exists():
        return []
    p = round(model.uncertainty.confidence * 100)
    cols = [
        Column("se_overall", f"{model.overall_name} 표준오차", "float", meaning="층화 부트스트랩 표준오차", decimals=4),
        Column("ci_low_overall", f"{model.overall_name} {p}% 구간 하한", "float", decimals=4),
        Column("ci_high_overall", f"{model.overall_name} {p}% 구간 상한", "float", decimals=4),
        Column("grade_change_probability", "등급 변동 확률", "float",
               meaning="표본을 다시 뽑았을 때 등급이 달라지는 비율(0~1)", decimals=3),
        Column("near_cut", "등급 경계 근접", "bool", meaning="점수가 등급 기준점에서 1 표준오차 이내(예/아니오)"),
    ]
    before = previous_run(run)
    if before is not None and same_scale(run, before):  # never a change across the 10/100-point model change
        cols += [Column("change_from_last_year", "작년 대비 변화", "float", meaning="올해 점수 − 작년 공표 점수(반올림 전)",
                        decimals=4),
                 Column("change_significant", "작년 대비 의미 있는 변화", "bool",
                        meaning=f"변화가 두 해 표준오차를 합친 {p}% 불확실성보다 큼(예/아니오, 빈칸: 판단 불가)")]
    return cols


def _yes_no(value, for_people: bool):
    if value is None or not for_people:
        return value
    return "예" if value else "아니오"


def rows(run, cols: list[Column], *, for_people: bool):
    codes = [c.code for c in cols[8:]]
    moved = changes(run, run.model.uncertainty.confidence) if "change_from_last_year" in codes else {}

    def value(r, code):
        if code == "change_from_last_year":
            return moved[r.institution_code].difference if r.institution_code in moved else None
        if code == "change_significant":
            return _yes_no(moved[r.institution_code].significant if r.institution_code in moved else None, for_people)
        if code == "near_cut":
            return _yes_no(r.scores.get(code), for_people)
        return r.scores.get(code)

    for r in run.results.order_by("type_code", "rank_in_type", "institution_code").iterator(chunk_size=500):
        yield (r.institution_code, r.name, r.type_code, r.type_name, STATUS.get(r.status, r.status) if for_people else r.status,
               r.overall_published, r.grade, r.rank_in_type, *[value(r, k) for k in codes])
