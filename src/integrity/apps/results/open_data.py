"""The published table as open data: Korean headers for people (CSV, xlsx, with the
machine codes in the xlsx's 열 설명 sheet), codes for machines (Parquet)."""

from __future__ import annotations

from integrity.exports import Column

STATUS = {"scored": "채점", "not_scored": "미채점", "voided": "무효", "in_parent": "상급기관에 포함",
          "not_measured": "측정 제외(순환)"}
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
    return base + extra


def rows(run, cols: list[Column], *, for_people: bool):
    extra = [c.code for c in cols[8:]]
    for r in run.results.order_by("type_code", "rank_in_type", "institution_code").iterator(chunk_size=500):
        yield (r.institution_code, r.name, r.type_code, r.type_name, STATUS.get(r.status, r.status) if for_people else r.status,
               r.overall_published, r.grade, r.rank_in_type, *[r.scores.get(k) for k in extra])
