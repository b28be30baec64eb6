"""The institution's programme (seeds 003, 004): targets against the published results,
the plan and its progress, copy from last year, the diagnosis, the dashboard and PDF,
and who may do what."""

import io
from datetime import date, timedelta

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from integrity.apps.audit.models import AuditEntry
from integrity.apps.programme import services
from integrity.apps.programme.models import CoreTask, ProgressReport, Strategy, SubTask, Target
from integrity.apps.results.models import InstitutionResult, ScoringRun

A = "0100001"


def _scores(external, items, se=None, areas=None):
    s = {"n_external": 100, "score_external": external, **{f"item_{k}": v for k, v in items.items()},
         **{f"score_{k}": v for k, v in (areas or {}).items()}}
    if se is not None:
        s |= {"se_external": se, "ci_low_external": external - 2 * se, "ci_high_external": external + 2 * se}
    return s


@pytest.fixture
def published(registry):
    return _publish(se_a=0.05)


def _publish(se_a, year=2017, external_a=7.6, e02_a=5.0):
    """2017 published: A (grade 2, 7.6) against two other 중앙행정기관 1 bodies; E02 is A's weakest item."""
    from integrity.model import load_model

    run = ScoringRun.objects.create(year=year, model_version="2017", input_fingerprint="0" * 64,
                                    model_text=load_model("2017").text)  # a 2016 run scored on the 2017 model
    rows = [(A, "가람부", 7.6, 2, _scores(external_a, {"E01": 8.0, "E02": e02_a, "E03": 8.2}, se=se_a,
                                          areas={"ext_transparency": 6.0, "ext_accountability": 8.1})),
            ("0100002", "나래부", 8.4, 1, _scores(8.5, {"E01": 8.2, "E02": 8.0, "E03": 7.9}, se=0.05,
                                                 areas={"ext_transparency": 8.0, "ext_accountability": 8.0})),
            ("0100003", "다솜부", 8.0, 2, _scores(8.1, {"E01": 8.4, "E02": 8.0, "E03": 8.0}, se=0.05,
                                                 areas={"ext_transparency": 8.0, "ext_accountability": 8.0}))]
    for code, name, overall, grade, scores in rows:
        InstitutionResult.objects.create(run=run, institution_code=code, name=name, type_code="central_1",
                                         type_name="중앙행정기관 1", status="scored", overall=overall, grade=grade, scores=scores)
    ScoringRun.objects.filter(pk=run.pk).update(published_at=timezone.now())
    return run


@pytest.fixture
def evidence_dir(settings, tmp_path):
    settings.INTEGRITY_EVIDENCE_DIR = tmp_path / "evidence"
    return settings.INTEGRITY_EVIDENCE_DIR


def _url(name, **kw):
    return reverse(f"programme:{name}", kwargs={"code": A, "year": 2017} | kw)


def test_target_achieved_is_computed_from_the_published_run(client, users, published):
    client.force_login(users["team_a"])
    client.post(_url("targets"), {"measure": "overall", "kind": "grade", "value": "1"})
    client.post(_url("targets"), {"measure": "external", "kind": "score", "value": "7.5"})
    assert Target.objects.filter(institution_code=A, year=2017).count() == 2
    page = client.get(_url("dashboard")).content.decode()
    assert "종합청렴도" in page and "외부청렴도" in page  # the model file's names
    assert "1등급 이내" in page and "2등급" in page and "미달성" in page  # grade 2 misses grade 1
    assert "7.50점 이상" in page and "7.60" in page and ">달성<" in page
    assert "1 / 2" in page


def test_a_target_out_of_the_model_is_refused_in_korean(client, users, published):
    client.force_login(users["team_a"])
    page = client.post(_url("targets"), {"measure": "external", "kind": "grade", "value": "1"}, follow=True).content.decode()
    assert "등급이 매겨지지 않습니다" in page and not Target.objects.exists()
    page = client.post(_url("targets"), {"measure": "overall", "kind": "score", "value": "열"}, follow=True).content.decode()
    assert "목표값에는 숫자를 적으세요" in page


def _plan(user, deadline=None):
    strategy = services.add_strategy(A, 2017, "반부패·청렴제도의 내재화", user)
    core = services.add_core_task(strategy, "기관장 주관의 청렴 리더십 강화", user)
    return services.add_sub_task(core, user, title="청렴 서약", owner="감사실", deadline=deadline, kpi_name="서약률",
                                 kpi_target=100, kpi_unit="%")


def test_overdue_tasks_show_on_the_dashboard_and_in_the_filtered_list(client, users, registry):
    late = _plan(users["team_a"], deadline=date.today() - timedelta(days=1))
    services.add_sub_task(late.core_task, users["team_a"], title="간부 청렴교육", deadline=date.today() + timedelta(days=30))
    client.force_login(users["team_a"])
    page = client.get(_url("dashboard")).content.decode()
    assert "기한이 지난 과제" in page and "청렴 서약" in page.split("기한이 지난 과제")[-1]
    listing = client.get(_url("tasks") + "?overdue=yes").content.decode()
    assert "청렴 서약" in listing and "간부 청렴교육" not in listing and "1건 (전체 2건)" in listing
    assert "간부 청렴교육" in client.get(_url("tasks") + "?q=교육").content.decode()


def test_the_team_adds_strategy_core_and_sub_task_through_the_plan_page(client, users, registry):
    client.force_login(users["team_a"])
    client.post(_url("plan"), {"level": "strategy", "title": "부패 취약 분야 집중 개선"})
    strategy = Strategy.objects.get(institution_code=A, year=2017)
    client.post(_url("plan"), {"level": "core", "parent": strategy.pk, "title": "자체감사 기능 확충"})
    core = CoreTask.objects.get(strategy=strategy)
    client.post(_url("plan"), {"level": "sub", "parent": core.pk, "title": "계약·공사 자체감사", "owner": "감사실",
                               "deadline": "2017-09-30", "kpi_name": "감사 건수", "kpi_target": "12", "kpi_unit": "건"})
    sub = SubTask.objects.get(core_task=core)
    assert (sub.owner, sub.deadline, sub.kpi_target, sub.kpi_unit) == ("감사실", date(2017, 9, 30), 12.0, "건")
    page = client.post(_url("plan"), {"level": "sub", "parent": core.pk, "title": "x", "deadline": "30/09/2017"},
                       follow=True).content.decode()
    assert "기한은(는) 2025-06-30처럼 적으세요" in page and SubTask.objects.count() == 1
    assert AuditEntry.objects.filter(action="programme.sub_task_added").count() == 1


def test_progress_report_with_evidence_stored_encrypted(client, users, registry, evidence_dir,
                                                        django_capture_on_commit_callbacks):
    sub = _plan(users["team_a"])
    client.force_login(users["team_a"])
    pdf = b"%PDF-1.4 secret evidence of the pledge"
    upload = io.BytesIO(pdf)
    upload.name = "서약서.pdf"
    client.post(_url("progress", task_id=sub.pk), {"progress": "60", "narrative": "전 직원 서약 진행", "evidence": upload})
    report = ProgressReport.objects.get()
    sub.refresh_from_db()
    assert sub.progress == 60 and sub.status == "in_progress"
    stored = (evidence_dir / report.evidence_stored).read_bytes()
    assert b"secret evidence" not in stored and "서약서".encode() not in bytes(report.evidence_name_enc)
    response = client.get(_url("evidence", report_id=report.pk))
    assert response.content == pdf and "attachment" in response["Content-Disposition"]
    bad = io.BytesIO(b"<html>not a pdf</html>")
    bad.name = "x.pdf"
    page = client.post(_url("progress", task_id=sub.pk), {"progress": "70", "narrative": "n", "evidence": bad},
                       follow=True).content.decode()
    assert ProgressReport.objects.count() == 1 and "PDF" in page
    page = client.post(_url("progress", task_id=sub.pk), {"progress": "170", "narrative": "n"}, follow=True).content.decode()
    assert "진척률은 0부터 100 사이로 적으세요" in page
    with django_capture_on_commit_callbacks(execute=True):
        Strategy.objects.all().delete()  # the plan deleted (admin): its evidence file goes too
    assert not (evidence_dir / report.evidence_stored).exists()


def test_copy_from_last_year_moves_deadlines_and_clears_progress(client, users, registry):
    user = users["team_a"]
    strategy = services.add_strategy(A, 2016, "청렴 정책의 확산", user)
    core = services.add_core_task(strategy, "청렴 소통", user)
    old = services.add_sub_task(core, user, title="청렴 콘서트", owner="총무과", deadline=date(2016, 2, 29), status="done")
    services.add_progress(old, user, reported_on=date(2016, 2, 1), progress=100, narrative="개최")
    client.force_login(user)
    client.post(_url("copy"))
    new = SubTask.objects.get(core_task__strategy__year=2017)
    assert (new.title, new.owner, new.deadline) == ("청렴 콘서트", "총무과", date(2017, 2, 28))
    assert (new.progress, new.status, new.reports.count()) == (0, "planned", 0)
    assert new.core_task.title == "청렴 소통" and new.core_task.strategy.title == "청렴 정책의 확산"
    page = client.post(_url("copy"), follow=True).content.decode()
    assert "올해 계획이 이미 있습니다" in page and SubTask.objects.filter(core_task__strategy__year=2017).count() == 1


def test_diagnosis_orders_weakest_and_words_the_uncertainty(client, users, published):
    client.force_login(users["team_a"])
    page = client.get(_url("diagnosis")).content.decode()
    items = page.split("유형 평균보다 낮은 문항")[1]
    assert items.index("E02") < items.index("E01")  # -3.0 before -0.3
    areas = page.split("유형 평균보다 낮은 영역")[1].split("유형 평균보다 낮은 문항")[0]
    assert areas.index("외부청렴도 · 투명성") < areas.index("<td>외부청렴도</td>")  # -2.0 before -0.7
    assert "오차 범위를 넘는 차이" in areas  # 7.6 vs 8.3 with se 0.05
    assert "이 항목으로 과제 만들기" in page


@pytest.mark.parametrize(("se", "words"), [(0.05, "오차 범위를 넘는 차이"), (0.3, "차이가 오차 범위 안")])
def test_gap_to_the_type_mean_within_error_is_said_so(client, users, registry, se, words):
    """외부청렴도 7.6 against the type's 8.07: ±1.96·0.05 excludes 0, ±1.96·0.3 covers it."""
    _publish(se_a=se)
    client.force_login(users["team_a"])
    page = client.get(_url("diagnosis")).content.decode()
    row = page.split("<td>외부청렴도</td>")[1].split("</tr>")[0]
    assert words in row and "95% 구간" in row


def test_fields_that_moved_most_since_last_year_with_both_years_uncertainty(client, users, registry):
    """2016 → 2017: E02 7.0 → 5.0 (-2.0, an item: no standard error), 외부청렴도 8.2 → 7.6
    (-0.6 against ±1.96·√(0.05²+0.05²) = ±0.14: beyond the error)."""
    _publish(se_a=0.05, year=2016, external_a=8.2, e02_a=7.0)
    _publish(se_a=0.05)
    client.force_login(users["team_a"])
    page = client.get(_url("diagnosis")).content.decode()
    moved = page.split("지난해보다 많이 움직인 분야")[1]
    assert moved.index("E02") < moved.index("<td>외부청렴도</td>")
    row = moved.split("<td>외부청렴도</td>")[1].split("</tr>")[0]
    assert "-0.60" in row and "오차 범위를 넘는 차이" in row
    assert "구간" not in moved.split("E02")[1].split("</tr>")[0]  # no uncertainty claimed for an item


def test_a_weak_item_becomes_a_sub_task(client, users, published):
    client.force_login(users["team_a"])
    response = client.post(_url("diagnosis_task"), {"code": "E02"})
    sub = SubTask.objects.get()
    assert response["Location"] == _url("task", task_id=sub.pk)
    assert "E02" in sub.title and sub.source == "2017년 진단: E02" and "유형 평균" in sub.description
    assert client.post(_url("diagnosis_task"), {"code": "E03"}).status_code == 302  # not weak: refused
    assert SubTask.objects.count() == 1


def test_citizen_auditor_finding_becomes_a_plan_task(registry):
    sub = services.add_task_from_finding(A, 2017, "보조금 정산 점검", "현장 지적", "민간위탁·보조사업", "시민감사관 2차 활동")
    again = services.add_task_from_finding(A, 2017, "인허가 처리기간 공개", "", "인·허가", "")
    assert sub.core_task == again.core_task and sub.core_task.strategy.institution_code == A
    assert (sub.field, sub.source, again.source) == ("민간위탁·보조사업", "시민감사관 2차 활동", "시민감사관 지적")


def test_briefing_pdf_is_one_page_with_a_korean_font(client, users, published):
    _plan(users["team_a"], deadline=date.today() - timedelta(days=3))
    Target.objects.create(institution_code=A, year=2017, measure="overall", kind="grade", value=1)
    client.force_login(users["team_a"])
    response = client.get(_url("briefing_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "가람부" in text and "청렴 서약" in text and "종합청렴도" in text
    fonts = [str(f.get_object()["/BaseFont"]) for f in (reader.pages[0]["/Resources"].get("/Font") or {}).values()]
    assert any("CJK" in f or "KR" in f or "Nanum" in f for f in fonts), fonts


def test_access_team_of_another_body_gets_403_and_analysts_only_read(client, users, registry):
    sub = _plan(users["admin"])
    for role in ("team_b", "liaison_b", "liaison_closed", "evaluator"):
        client.force_login(users[role])
        assert client.get(_url("dashboard")).status_code == 403, role
        assert client.get(_url("task", task_id=sub.pk)).status_code == 403, role
    client.force_login(users["analyst"])
    assert client.get(_url("task", task_id=sub.pk)).status_code == 200
    assert client.post(_url("plan"), {"level": "strategy", "title": "x"}).status_code == 403
    assert Strategy.objects.count() == 1


def test_the_team_works_on_its_body_in_every_year_and_lands_on_it(client, users, registry):
    client.force_login(users["team_a"])
    assert client.get(reverse("programme:dashboard", kwargs={"code": A, "year": 2016})).status_code == 200
    assert client.get(reverse("programme:index"))["Location"] == _url("dashboard")
    assert client.get("/")["Location"] == reverse("programme:index")
    client.force_login(users["liaison_a"])
    assert client.get(reverse("programme:index"))["Location"] == _url("dashboard")


def test_staff_list_of_bodies_is_searchable_and_filterable(client, users, registry):
    _plan(users["admin"])
    client.force_login(users["analyst"])
    page = client.get(reverse("programme:index") + "?plan=yes").content.decode()
    assert "가람부" in page and "누리시" not in page and "1건 (전체 2건)" in page
    assert "누리시" in client.get(reverse("programme:index") + "?q=누리").content.decode()


def test_plan_imported_from_a_workbook_into_an_empty_plan_only(client, users, registry):
    from tests.programme.test_plan_file import workbook

    data = io.BytesIO(workbook([["반부패·청렴제도의 내재화", "청렴 리더십", "청렴 서약", "감사실", "", "2017-06-30", "", "", ""],
                                [None, None, "청렴 메시지", "감사실", "", "", "", "", ""]]))
    data.name = "plan.xlsx"
    client.force_login(users["team_a"])
    page = client.post(_url("import"), {"file": data}, follow=True).content.decode()
    assert "세부과제 2개를 가져왔습니다" in page
    assert list(SubTask.objects.values_list("title", flat=True)) == ["청렴 서약", "청렴 메시지"]
    assert Strategy.objects.count() == 1 and CoreTask.objects.count() == 1
    data.seek(0)
    page = client.post(_url("import"), {"file": data}, follow=True).content.decode()
    assert "올해 계획이 이미 있습니다" in page and SubTask.objects.count() == 2
    Strategy.objects.all().delete()
    bad = io.BytesIO(workbook([["전략", "핵심", "과제", "", "", "6월 말", "", "", ""]]))
    bad.name = "bad.xlsx"
    page = client.post(_url("import"), {"file": bad}, follow=True).content.decode()
    assert "2행 &#x27;기한&#x27;: 날짜는 2025-06-30처럼 적으세요" in page and not SubTask.objects.exists()


def test_result_columns_name_their_scale_when_the_model_changed(client, users, published):
    """2017 results are out of 10 and 2022's out of 100: the targets table says so beside each year."""
    from integrity.model import load_model

    run = ScoringRun.objects.create(year=2022, model_version="2022", input_fingerprint="1" * 64,
                                    model_text=load_model("2022").text)
    InstitutionResult.objects.create(run=run, institution_code=A, name="가람부", type_code="central_1",
                                     type_name="중앙행정기관 1", status="scored", overall=84.9, grade=2, scores={})
    ScoringRun.objects.filter(pk=run.pk).update(published_at=timezone.now())
    Target.objects.create(institution_code=A, year=2022, measure="overall", kind="grade", value=1)
    client.force_login(users["team_a"])
    page = client.get(reverse("programme:dashboard", kwargs={"code": A, "year": 2022})).content.decode()
    assert "2017년 결과 <small>(10점 만점)</small>" in page and "2022년 결과 <small>(100점 만점)</small>" in page


def test_result_columns_of_one_scale_say_no_scale(client, users, published):
    Target.objects.create(institution_code=A, year=2017, measure="overall", kind="grade", value=1)
    client.force_login(users["team_a"])
    page = client.get(_url("dashboard")).content.decode()
    assert "2017년 결과</th>" in page and "점 만점" not in page
