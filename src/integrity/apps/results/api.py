"""JSON API (OpenAPI at /api/v1/openapi.json): published results and a body's
history for everyone; fieldwork status for administrators and analysts."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import django_auth

from integrity.apps.accounts.models import Role
from integrity.apps.accounts.roles import role_of

from .change import Change, changes, uncertainty_fields
from .models import InstitutionResult, ScoringRun
from .parts import effort_areas, effort_indicators, objections_of_year, parts_of, same_scale, scale_label, scale_of

api = NinjaAPI(title="청렴도 측정 API", version="1", urls_namespace="api",
               description="공표된 청렴도 측정 결과와 기관별 연혁, 현장조사 현황(권한 필요).")


class Error(Schema):
    detail: str


@api.exception_handler(ValidationError)
def malformed(request, exc: ValidationError):
    """A malformed path or query value is the client's error: 400, said in Korean."""
    where = ", ".join(".".join(str(p) for p in e.get("loc", ())[1:]) or "?" for e in exc.errors)
    return api.create_response(request, {"detail": f"요청 값이 올바르지 않습니다: {where}", "errors": exc.errors}, status=400)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc: AuthenticationError):
    return api.create_response(request, {"detail": _("로그인이 필요합니다 (관리자·분석가 계정)")}, status=401)


class YearOut(Schema):
    year: int
    model_version: str
    published_at: str
    institutions: int


class UncertaintyOut(Schema):
    se: float | None = Field(None, description="종합 점수의 표준오차(층화 부트스트랩)")
    ci_low: float | None = Field(None, description="구간 하한(모형의 신뢰수준, 2017: 95%)")
    ci_high: float | None = Field(None, description="구간 상한")
    grade_change_probability: float | None = Field(None, description="표본을 다시 뽑았을 때 등급이 달라지는 비율(0~1)")
    near_cut: bool | None = Field(None, description="점수가 등급 기준점에서 1 표준오차 이내")


class ChangeOut(Schema):
    previous_year: int
    previous: float | None = Field(None, description="작년 공표 결과의 종합 점수(반올림 전)")
    difference: float | None = Field(None, description="올해 − 작년")
    significant: bool | None = Field(None, description="두 해 표준오차를 합친 불확실성보다 큰 변화인가(null: 판단 불가)")


class ObjectionOut(Schema):
    indicator: str
    status: str = Field(description="pending(검토 중) | accepted(인용) | rejected(기각)")
    reason: str = Field(description="결정 사유(검토 중이면 빈 글)")
    points_before: float | None = Field(None, description="신청 때 지표 점수")
    points_after: float | None = Field(None, description="결정 후 지표 점수")


class EffortOut(Schema):
    total: float | None = Field(None, description="청렴노력도 총점(0~100)")
    areas: dict[str, float | None] = Field(default_factory=dict, description="영역별 점수(영역 코드별; 채점에 없으면 빈 목록)")
    indicators: dict[str, float | None] = Field(default_factory=dict, description="지표별 점수(지표 코드별)")
    objections: list[ObjectionOut] = Field(default_factory=list, description="이의신청과 그 결과(결정 사유 포함)")


class ResultOut(Schema):
    institution: str
    name: str
    type: str
    type_name: str
    status: str
    overall: float | None
    grade: int | None
    rank_in_type: int | None
    surveys: dict[str, float | None]
    uncertainty: UncertaintyOut | None = None
    change: ChangeOut | None = Field(None, description="작년 대비 변화(척도가 다른 해와는 계산하지 않음: null)")
    scale_max: float | None = Field(None, description="점수 척도의 만점(2017 모형 10, 2022 모형부터 100)")
    grades: dict[str, int | None] | None = Field(
        None, description="2022년부터: 종합(overall)·청렴체감도(perceived)·청렴노력도(effort) 등급, 각각 유형 안에서 매김")
    effort: EffortOut | None = Field(None, description="2022년부터: 청렴노력도 총점과 영역별 점수")


class HistoryOut(Schema):
    year: int
    name: str
    type_name: str
    overall: float | None
    grade: int | None
    rank_in_type: int | None
    model_version: str = ""
    scale_max: float | None = Field(None, description="그해 점수 척도의 만점(10 또는 100)")
    scale: str = Field("", description="척도 설명, 예: '10점 만점'")
    comparable_with_previous: bool | None = Field(
        None, description="바로 앞 행과 같은 척도인가(false: 측정모형이 바뀌어 점수를 비교할 수 없음; 첫 행은 null)")
    grades: dict[str, int | None] | None = Field(None, description="2022년부터: 종합·체감도·노력도 등급")


class FieldworkOut(Schema):
    institution: str
    name: str
    task: str | None
    survey: str
    invited: int
    completed: int
    refused: int
    rr1: float | None
    quota: int | None


def _published(year: int) -> ScoringRun:
    run = ScoringRun.objects.filter(year=year, published_at__isnull=False).first()
    if run is None:
        raise HttpError(404, f"{year}년에 공표된 결과가 없습니다")
    return run


@api.get("/years", response=list[YearOut], summary="공표된 연도")
def years(request: HttpRequest):
    return [YearOut(year=r.year, model_version=r.model_version, published_at=r.published_at.isoformat(),
                    institutions=r.results.count())
            for r in ScoringRun.objects.filter(published_at__isnull=False).order_by("-year")]


@api.get("/results/{year}", response={200: list[ResultOut], 404: Error}, summary="한 해의 공표 결과")
def results(request: HttpRequest, year: int, type: str | None = None):
    run = _published(year)
    rows = run.results.order_by("type_code", "rank_in_type", "institution_code")
    if type:
        rows = rows.filter(type_code=type)
    model = run.model
    moved = changes(run, model.uncertainty.confidence)
    filed = objections_of_year(run.year) if model.effort is not None else {}
    return [_result(r, moved.get(r.institution_code), model, filed) for r in rows]


def _grades(model, r: InstitutionResult) -> dict[str, int | None] | None:
    """All grades side by side where the model grades parts beside the overall (2022+)."""
    parts = parts_of(model, r)
    return {"overall": r.grade} | {p.code: p.grade for p in parts} if parts else None


def _effort(model, r: InstitutionResult, objections: dict | None = None) -> EffortOut | None:
    entered = {i.code for i in model.inputs}
    effort = next((p for p in parts_of(model, r) if p.code in entered), None)
    if effort is None:
        return None
    lines = effort_indicators(model, r, objections)
    return EffortOut(total=effort.score, areas={a.code: a.score for a in effort_areas(model, r)},
                     indicators={i.code: i.score for i in lines},
                     objections=[ObjectionOut(indicator=i.code, status=i.objection.status,
                                              reason=i.objection.decision_reason if i.objection.status != "pending" else "",
                                              points_before=i.objection.points_before, points_after=i.objection.points_after)
                                 for i in lines if i.objection is not None])


def _result(r: InstitutionResult, change: Change | None, model, objections: dict | None = None) -> ResultOut:
    surveys = {k.removeprefix("score_"): v for k, v in r.scores.items()
               if k in ("score_external", "score_internal", "score_policy", "score_perceived")}
    spread = uncertainty_fields(r)
    return ResultOut(institution=r.institution_code, name=r.name, type=r.type_code, type_name=r.type_name,
                     status=r.status, overall=r.overall_published, grade=r.grade, rank_in_type=r.rank_in_type,
                     surveys=surveys, uncertainty=UncertaintyOut(**spread) if spread["se"] is not None else None,
                     change=ChangeOut(**change.__dict__) if change else None, scale_max=model.scale_max,
                     grades=_grades(model, r), effort=_effort(model, r, objections))


@api.get("/institutions/{code}/history", response={200: list[HistoryOut], 404: Error}, summary="기관의 연도별 결과")
def history(request: HttpRequest, code: str):
    rows = (InstitutionResult.objects.filter(run__published_at__isnull=False, institution_code=code)
            .select_related("run").order_by("run__year"))
    if not rows:
        raise HttpError(404, f"기관코드 '{code}'의 공표 결과가 없습니다")
    out, previous = [], None
    for r in rows:  # each year on its own scale: 2021's 10 points beside 2022's 100, never subtracted
        scale = scale_of(r.run)
        out.append(HistoryOut(year=r.run.year, name=r.name, type_name=r.type_name, overall=r.overall_published,
                              grade=r.grade, rank_in_type=r.rank_in_type, model_version=r.run.model_version,
                              scale_max=scale, scale=scale_label(scale),
                              comparable_with_previous=None if previous is None else same_scale(previous, r.run),
                              grades=_history_grades(r)))
        previous = r.run
    return out


def _history_grades(r: InstitutionResult) -> dict[str, int | None] | None:
    try:
        return _grades(r.run.model, r)
    except Exception:  # a model no longer shipped: the overall grade stands alone
        return None


@api.get("/fieldwork/{year}", response={200: list[FieldworkOut], 403: Error, 404: Error}, auth=django_auth,
         summary="현장조사 현황 (관리자·분석가)")
def fieldwork(request: HttpRequest, year: int):
    from integrity.apps.fieldwork.monitoring import fieldwork_rows
    from integrity.apps.registry.models import AssessmentYear

    if role_of(request.user) not in (Role.ADMIN, Role.ANALYST):
        raise HttpError(403, "현장조사 현황을 볼 권한이 없습니다")
    assessment = AssessmentYear.objects.filter(year=year).first()
    if assessment is None:
        raise HttpError(404, f"{year}년이 등록되어 있지 않습니다")
    return [FieldworkOut(institution=r["institution__code"], name=r["institution__name"], task=r["task__name"],
                         survey=r["survey"], invited=r["invited"], completed=r["completed"], refused=r["refused"],
                         rr1=r["rr1"], quota=r["task__quota"]) for r in fieldwork_rows(assessment)]
