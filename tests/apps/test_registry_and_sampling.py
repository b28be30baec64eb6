"""Registry import (all or nothing) and sample draws (reproducible, logged, no silent redraw)."""

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.urls import reverse

from integrity.apps.accounts.models import Profile, Role
from integrity.apps.audit.models import AuditEntry
from integrity.apps.registry.models import AssessmentYear, Institution, TargetTask
from integrity.apps.registry.services import RegistryRejected, import_registry
from integrity.apps.rosters.models import RosterUpload
from integrity.apps.sampling.models import Draw
from integrity.apps.sampling.services import AlreadyDrawn, draw_sample, draw_year, recompute
from integrity.rosters import get_form
from integrity.rosters.template import build_workbook
from tests.rosters.helpers import external_rows, filled

SHEETS = ("registry_institutions", "registry_tasks", "registry_offices", "registry_officers")


def registry_book(institutions, tasks=(), offices=(), officers=(("원현심", "사무관", "044-200-7632", "w@korea.kr"),)) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(build_workbook([get_form(c) for c in SHEETS])))
    for code, rows in zip(SHEETS, (institutions, tasks, offices, officers)):
        sheet = book[get_form(code).sheet]
        sheet.delete_rows(2)
        for row in rows:
            sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def year(db):
    return AssessmentYear.objects.create(year=2017, model_name="2017", open_to_liaisons=True)


GOOD = [
    ("0100001", "가람부", "중앙행정기관", 2500, None, "원현심", "liaison@garam.go.kr"),
    ("0900001", "한국누리공사", "공직유관단체", 1200, "0100001", "원현심", None),
    ("0400001", "누리시", "basic_city", 900, None, None, None),
]


def test_registry_import_classifies_types_by_staff_and_creates_liaisons(year):
    tasks = [("0100001", "T1", "보조금 지원", 60, "아니오", "예"), ("0900001", "T1", "공사 계약", 10, "예", "아니오")]
    summary = import_registry(year, registry_book(GOOD, tasks, [("0100001", "O1", "부산사무소")]), None, None)
    assert (summary.institutions, summary.tasks, summary.offices, summary.liaisons_created) == (3, 2, 1, 1)
    types = dict(Institution.objects.values_list("code", "type_code"))
    assert types == {"0100001": "central_1", "0900001": "pso_2", "0400001": "basic_city"}
    assert Institution.objects.get(code="0900001").supervisor.code == "0100001"
    assert TargetTask.objects.get(institution__code="0100001").sublisting_agreed
    profile = Profile.objects.get(user__username="liaison@garam.go.kr")
    assert profile.role == Role.LIAISON and profile.institution.code == "0100001"
    assert not profile.user.has_usable_password()
    assert AuditEntry.objects.filter(action="registry.import").count() == 1


def test_registry_import_is_all_or_nothing(year):
    bad = GOOD + [
        ("0100001", "중복부", "central_2", 100, None, None, None),
        ("0500001", "어느시", "지방자치단체", 500, "9999999", "없는사람", None),
    ]
    tasks = [("0100001", "T1", "보조금 지원", 20, "아니오", "아니오"), ("7777777", "T1", "x", 60, None, None)]
    with pytest.raises(RegistryRejected) as info:
        import_registry(year, registry_book(bad, tasks), None, None)
    messages = [str(p) for p in info.value.problems]
    assert "5행 '기관코드' 열: [기관] 기관코드가 2행과 중복됩니다" in messages
    assert any("6행 '기관유형' 열: [기관] '지방자치단체'만으로는 기관유형을 정할 수 없습니다" in m for m in messages)
    assert "6행 '상급기관코드' 열: [기관] 상급기관 '9999999'가 등록부에 없습니다" in messages
    assert "6행 '권익위 담당자' 열: [기관] 담당자 '없는사람'가 담당자 시트에 없습니다" in messages
    assert "2행 '조사규모' 열: [업무] 조사규모는 업무당 50명 이상이어야 합니다 (전수조사 업무 제외)" in messages
    assert "3행 '기관코드' 열: [업무] 기관코드 '7777777'가 등록부에 없습니다" in messages
    assert Institution.objects.count() == 0 and TargetTask.objects.count() == 0


def test_registry_page_for_administrators(client, users, registry):
    client.force_login(users["admin"])
    data = io.BytesIO(registry_book(GOOD))
    data.name = "registry.xlsx"
    page = client.post(reverse("registry:import"), {"year": registry["year"].pk, "file": data}, follow=True).content.decode()
    assert "2017년 등록부를 반영했습니다: 기관 3곳" in page


def test_import_registry_command_reports_problems(tmp_path, db):
    path = tmp_path / "registry.xlsx"
    path.write_bytes(registry_book([("0100001", "가람부", "없는유형", 10, None, None, None)]))
    with pytest.raises(CommandError, match="알 수 없는 기관유형 '없는유형'"):
        call_command("import_registry", str(path), "--year", "2017")


# --- sampling --------------------------------------------------------------------

@pytest.fixture
def accepted_roster(client, users, registry):
    client.force_login(users["liaison_a"])
    data = io.BytesIO(filled("external", external_rows(80)))
    data.name = "r.xlsx"
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("rosters:upload", kwargs={"institution_id": registry["a"].pk}),
                    {"form_code": "external", "task": registry["task_a"].pk, "file": data, "password": ""})
    return RosterUpload.objects.get(status="accepted")


def test_draw_takes_quota_times_the_sample_multiple_and_can_be_recomputed_from_its_seed(accepted_roster, users):
    draw = draw_sample(accepted_roster, users["admin"])
    assert (draw.eligible, draw.wanted, draw.drawn) == (80, 25, 25)  # quota 5 x sample_multiple 5
    stored = sorted(draw.members.values_list("entry_id", "contact_order"))
    assert recompute(draw) == stored
    assert sorted(o for _, o in stored) == list(range(25))
    entry = AuditEntry.objects.get(action="sample.drawn")
    assert entry.details["seed"] == draw.seed and entry.actor == users["admin"]


def test_a_drawn_sample_is_not_redrawn_without_a_reason(accepted_roster, users):
    first = draw_sample(accepted_roster, users["admin"])
    with pytest.raises(AlreadyDrawn):
        draw_sample(accepted_roster, users["admin"])
    second = draw_sample(accepted_roster, users["admin"], reason="담당자 요청: 명부 오류 정정")
    first.refresh_from_db()
    assert first.superseded_at is not None and first.superseded_reason == "담당자 요청: 명부 오류 정정"
    assert Draw.objects.filter(superseded_at__isnull=True).get() == second
    assert AuditEntry.objects.filter(action="sample.redrawn").count() == 1


def test_census_tasks_take_the_whole_roster(accepted_roster, users, registry):
    registry["task_a"].census = True
    registry["task_a"].save()
    assert draw_sample(accepted_roster, users["admin"]).drawn == 80


def test_draw_year_draws_each_undrawn_roster_once(accepted_roster, users, registry):
    assert len(draw_year(registry["year"], users["admin"])) == 1
    assert draw_year(registry["year"], users["admin"]) == []


def test_draw_samples_command(accepted_roster, capsys):
    call_command("draw_samples", "--year", "2017")
    assert Draw.objects.count() == 1


def test_draw_year_skips_district_offices_the_rotation_leaves_out_this_year(accepted_roster, users, registry):
    from integrity.apps.registry.models import Institution, MeasurementRotation

    province = Institution.objects.create(year=registry["year"], code="0700001", name="가람교육청",
                                          type_code="provincial_education", staff=5000)
    rotation = MeasurementRotation.objects.create(institution=registry["a"], parent=province, measured=False, rule="cycle",
                                                  cycle_group=0, cycle_position=1, cycle_years=3)
    assert draw_year(registry["year"], users["admin"]) == []
    rotation.measured = True
    rotation.save()
    assert len(draw_year(registry["year"], users["admin"])) == 1


def test_registry_regions_are_inherited_from_the_supervisor_and_checked(year):
    rows = [("0200001", "서울특별시", "metropolitan", 9000, None, None, None, "서울"),
            ("0400001", "누리구", "basic_district", 900, "0200001", None, None, None),
            ("0100001", "가람부", "중앙행정기관", 2500, None, None, None, None)]
    import_registry(year, registry_book(rows), None, None)
    assert dict(Institution.objects.values_list("code", "region")) == {"0200001": "서울", "0400001": "서울", "0100001": ""}
    bad = rows + [("0200002", "어느도", "metropolitan", 3000, None, None, None, "서울시")]
    with pytest.raises(RegistryRejected) as info:
        import_registry(year, registry_book(bad), None, None)
    assert any(str(p).startswith("5행 '시·도' 열: [기관] 알 수 없는 시·도 '서울시'") for p in info.value.problems)


def test_lists_filter_by_region(client, users, registry):
    Institution.objects.filter(pk=registry["a"].pk).update(region="")
    Institution.objects.filter(pk=registry["b"].pk).update(region="경기")
    client.force_login(users["admin"])
    page = client.get("/rosters/?region=경기").content.decode()
    assert registry["b"].name in page and registry["a"].name not in page
    page = client.get("/rosters/?region=-").content.decode()  # 전국: national bodies
    assert registry["a"].name in page and registry["b"].name not in page
