"""Residents and parents as policy customers, end to end: frame and panel imports (all
or nothing, Korean problems naming row and column, contacts encrypted), allocation
from the model's sample size, the reproducible draw, invitations to the policy
questionnaire, redraws, and who may see what."""

import io
import re

import openpyxl
import pytest
from django.core import mail
from django.urls import reverse

from integrity.apps.fieldwork.models import Invitation, InvitationStatus, Response
from integrity.apps.fieldwork.sending import send
from integrity.apps.registry.models import Institution
from integrity.apps.residents import services
from integrity.apps.residents.models import FrameImport, ImportStatus, PanelMember, Stratum
from integrity.apps.rosters.models import RosterEntry
from integrity.apps.rosters.services import cipher
from integrity.apps.sampling.models import Draw
from integrity.apps.sampling.services import AlreadyDrawn, draw_sample, undrawn_uploads
from tests.registry_fixtures import LINK

FRAME_HEADER = ["시·군·구", "연령대", "성별", "인구수"]
PANEL_HEADER = ["시·군·구", "연령대", "성별", "성명", "휴대전화", "전자우편"]
STRATA = [("종로구", "30대", "여", 3000), ("종로구", "30대", "남", 1000), ("중구", "60세 이상", "여", 0), ("중구", "40대", "남", 2000)]


@pytest.fixture(autouse=True)
def _release_each_completion(settings):
    settings.INTEGRITY_RELEASE_BATCH = 1


def _xlsx(header, rows, sheet) -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(header)
    for r in rows:
        ws.append(list(r))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def frame_file(strata=STRATA) -> bytes:
    return _xlsx(FRAME_HEADER, strata, "인구")


def panel_file(per_stratum=40) -> bytes:
    rows, n = [], 0
    for district, age, sex, _ in STRATA:
        for _ in range(per_stratum):
            n += 1
            rows.append((district, age, sex, f"주민{n}", f"010-5{n:03d}-{n:04d}", f"r{n}@example.com" if n % 2 else None))
    return _xlsx(PANEL_HEADER, rows, "패널")


@pytest.fixture
def metro(registry):
    return Institution.objects.create(year=registry["year"], code="0300001", name="한빛광역시", type_code="metropolitan", staff=9000)


@pytest.fixture
def education(registry):
    return Institution.objects.create(year=registry["year"], code="0700001", name="한빛도교육청", type_code="provincial_education",
                                      staff=9000)


@pytest.fixture
def loaded(metro, users):
    services.import_file(metro, "population_frame", frame_file(), "frame.xlsx", None, users["admin"])
    services.import_file(metro, "panel", panel_file(), "panel.xlsx", None, users["admin"])
    return metro


def test_only_metropolitan_governments_and_education_offices_poll_residents_or_parents(registry, metro, education):
    assert services.frame_group(metro) == "resident" and services.frame_group(education) == "parent"
    assert services.frame_group(registry["a"]) is None and services.frame_group(registry["b"]) is None
    assert [b.code for b in services.polling_bodies(registry["year"])] == ["0300001", "0700001"]
    with pytest.raises(ValueError):
        services.import_file(registry["a"], "population_frame", frame_file(), "f.xlsx", None, None)


def test_administrator_imports_a_frame_and_a_panel_whose_contacts_are_encrypted_at_rest(client, users, metro):
    client.force_login(users["admin"])
    for kind, data, name in (("population_frame", frame_file(), "frame.xlsx"), ("panel", panel_file(), "panel.xlsx")):
        upload = io.BytesIO(data)
        upload.name = name
        response = client.post(reverse("residents:import"), {"institution": metro.pk, "kind": kind, "file": upload})
        assert response.status_code == 302
        assert "접수되었습니다" in client.get(response["Location"]).content.decode()
    assert Stratum.objects.count() == 4 and PanelMember.objects.count() == 160
    member = PanelMember.objects.order_by("row_number").first()
    assert b"5001" not in bytes(member.phone_enc) and "주민" not in bytes(member.name_enc).decode("latin-1")
    assert cipher().decrypt(member.name_enc) == "주민1" and cipher().decrypt(member.phone_enc) == "+821050010001"


def test_a_bad_frame_file_stores_nothing_and_reports_each_row_and_column_in_korean(client, users, metro):
    client.force_login(users["admin"])
    services.import_file(metro, "population_frame", frame_file(), "good.xlsx", None, users["admin"])
    bad = io.BytesIO(frame_file([("종로구", "30대", "여", 10), ("종로구", "삼십대", "여", 5), ("중구", "40대", "남", "많이")]))
    bad.name = "bad.xlsx"
    response = client.post(reverse("residents:import"), {"institution": metro.pk, "kind": "population_frame", "file": bad})
    page = client.get(response["Location"]).content.decode()
    assert "접수하지 않았습니다" in page and "연령대가 맞지 않습니다" in page and "숫자가 아닙니다" in page
    rejected = FrameImport.objects.get(filename="bad.xlsx")
    assert rejected.status == ImportStatus.REJECTED and {(p["row"], p["column"]) for p in rejected.problems} == {(3, "연령대"), (4, "인구수")}
    # the accepted frame stays, untouched: all or nothing
    assert services.active(metro, "population_frame").filename == "good.xlsx" and Stratum.objects.count() == 4
    report = client.get(reverse("residents:import_report", args=[rejected.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(report.streaming_content))).active
    assert any("연령대가 맞지 않습니다" in str(c.value) for row in sheet.iter_rows() for c in row)


def test_a_panel_needs_the_frame_first_and_its_strata(metro, users):
    made = services.import_file(metro, "panel", panel_file(), "panel.xlsx", None, users["admin"])
    assert made.status == ImportStatus.REJECTED and "모집단" in made.problems[0]["message"]
    assert PanelMember.objects.count() == 0


def test_a_new_frame_replaces_the_previous_one(metro, users):
    first = services.import_file(metro, "population_frame", frame_file(), "one.xlsx", None, users["admin"])
    second = services.import_file(metro, "population_frame", frame_file(STRATA[:2]), "two.xlsx", None, users["admin"])
    first.refresh_from_db()
    assert first.status == ImportStatus.SUPERSEDED and services.active(metro, "population_frame") == second


def test_a_new_frame_under_a_panel_says_how_many_panel_members_fall_outside_it(loaded, users):
    made = services.import_file(loaded, "population_frame", frame_file(STRATA[:2]), "two.xlsx", None, users["admin"])
    assert made.status == ImportStatus.ACCEPTED
    assert any("80명은 새 모집단에 없는 층" in n for n in made.notices)


def test_allocation_per_body_takes_the_models_sample_size_and_sums_exactly(loaded):
    plan = services.body_plan(loaded)
    rules = loaded.year.model.policy_customers
    assert plan.sample_size == rules.groups["resident"].sample_size == 200
    assert sum(p.allocated for p in plan.strata) == 200
    assert [p.allocated for p in plan.strata] == [100, 33, 0, 67]  # 3000:1000:0:2000, largest remainder
    assert [p.wanted for p in plan.strata] == [p.allocated * rules.draw_multiple for p in plan.strata]


def test_the_draw_is_reproducible_from_its_stored_seed(loaded, users):
    draw = services.draw_body(loaded, users["admin"], seed=42)
    assert draw.seed == 42 and draw.method == "stratified_panel"
    drawn = sorted(RosterEntry.objects.filter(upload=draw.upload).values_list("attributes__panel_member", flat=True))
    assert services.recompute(draw) == drawn
    # each stratum gives its target, or its whole panel where that is smaller (40 per stratum here)
    per_stratum = {tuple(a[:3]): a[7] for a in draw.parameters["allocation"]}
    assert per_stratum == {("종로구", "30대", "여"): 40, ("종로구", "30대", "남"): 40, ("중구", "60세 이상", "여"): 0,
                           ("중구", "40대", "남"): 40}


def test_drawn_residents_are_invited_to_the_policy_questionnaire_and_answer_it(client, loaded, users):
    draw = services.draw_body(loaded, users["admin"], seed=1)
    invitations = Invitation.objects.filter(member__draw=draw)
    assert invitations.count() == draw.drawn == draw.panel_draw.invited
    assert set(invitations.values_list("survey", "group")) == {("policy", "resident")}
    assert set(invitations.values_list("channel", flat=True)) == {"email", "sms"}
    mail.outbox.clear()
    send(list(invitations.filter(channel="email").select_related("member__entry", "institution", "task")))
    token = LINK.search(mail.outbox[0].body).group(1)
    url = f"/s/{token}/"
    response = client.post(url, {"start": "1"}, follow=True)
    html = response.content.decode()
    assert "예산을 낭비한다고" in html  # P01: the policy questionnaire, from the model
    while 'name="page"' in html:
        page = re.search(r'name="page" value="(-?\d+)"', html).group(1)
        answers = {"page": page}
        for name in dict.fromkeys(re.findall(r'type="radio" name="([^"]+)" value="', html)):
            answers[name] = "2" if re.findall(rf'name="{re.escape(name)}" value="(\d+)"', html) == ["1", "2"] else "3"
        html = client.post(url, answers, follow=True).content.decode()
    stored = Response.objects.get()
    assert (stored.survey, stored.group, stored.institution_id) == ("policy", "resident", loaded.pk)


def test_a_redraw_needs_a_reason_withdraws_open_links_and_skips_people_who_answered(loaded, users):
    first = services.draw_body(loaded, users["admin"], seed=5)
    with pytest.raises(services.DrawRefused):
        services.draw_body(loaded, users["admin"])
    answered = Invitation.objects.filter(member__draw=first).first()
    Invitation.objects.filter(pk=answered.pk).update(used=True, status=InvitationStatus.COMPLETED)
    person = answered.member.entry.attributes["panel_member"]
    second = services.draw_body(loaded, users["admin"], reason="패널 갱신", seed=6)
    first.refresh_from_db()
    assert first.superseded_reason == "패널 갱신" and first.upload.status == "superseded"
    assert not Invitation.objects.filter(member__draw=first, used=False).exclude(status=InvitationStatus.WITHDRAWN).exists()
    assert person not in RosterEntry.objects.filter(upload=second.upload).values_list("attributes__panel_member", flat=True)
    assert services.recompute(second) == sorted(
        RosterEntry.objects.filter(upload=second.upload).values_list("attributes__panel_member", flat=True))


def test_a_draw_without_frame_and_panel_is_refused(metro, users):
    with pytest.raises(services.DrawRefused):
        services.draw_body(metro, users["admin"])


def test_liaisons_never_see_the_upload_a_residents_draw_makes(client, loaded, users):
    draw = services.draw_body(loaded, users["admin"], seed=3)
    client.force_login(users["admin"])
    assert client.get(reverse("rosters:upload_detail", args=[draw.upload_id])).status_code == 404
    page = client.get(reverse("rosters:dashboard", args=[loaded.pk])).content.decode()
    assert "panel_resident" not in page
    listed = client.get(reverse("rosters:uploads")).content.decode()
    assert "panel_resident" not in listed and "panel.xlsx" not in listed


def test_the_roster_draw_screen_and_command_leave_residents_draws_alone(loaded, users, registry):
    draw = services.draw_body(loaded, users["admin"], seed=3)
    draw.superseded_at = draw.created_at  # no active draw: a roster upload would now be "undrawn"
    draw.save()
    assert draw.upload not in undrawn_uploads(registry["year"])
    with pytest.raises(AlreadyDrawn):
        draw_sample(draw.upload, users["admin"])


def test_screens_list_bodies_and_strata_searchable_filterable_and_paged(client, loaded, users, education):
    client.force_login(users["admin"])
    page = client.get(reverse("residents:index")).content.decode()
    assert "한빛광역시" in page and "한빛도교육청" in page and "지역주민" in page
    assert "한빛도교육청" not in client.get(reverse("residents:index") + "?group=resident").content.decode().split("</form>")[-1]
    assert "한빛광역시" in client.get(reverse("residents:index") + "?q=한빛광역").content.decode()
    body = reverse("residents:body", args=[loaded.pk])
    strata = client.get(body).content.decode()
    assert "종로구" in strata and "중구" in strata
    filtered = client.get(body + "?district=중구").content.decode()
    assert "2건 (전체 4건)" in filtered
    response = client.post(reverse("residents:draw", args=[loaded.pk]), follow=True)
    html = response.content.decode()
    assert "명을 추출하고 초대" in html and "초대 120건" in html
    download = client.get(reverse("residents:allocation_download", args=[loaded.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))["층별배분"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, r in enumerate(values) if "시·군·구" in r)
    assert values[header][:6] == ["시·군·구", "연령대", "성별", "인구수", "정확한 몫", "배분"]
    assert sum(r[5] for r in values[header + 1:] if isinstance(r[5], int)) == 200


def test_the_import_and_draw_commands(loaded, tmp_path, registry, education, capsys):
    from django.core.management import CommandError, call_command

    path = tmp_path / "frame.csv"
    path.write_bytes("시·군·구,연령대,성별,인구수\n가구,30대,여,10\n가구,40대,중,5\n".encode("cp949"))
    with pytest.raises(CommandError):
        call_command("import_population", str(path), "--year", "2017", "--institution", education.code)
    assert "3행 '성별' 열" in capsys.readouterr().err
    call_command("draw_residents", "--year", "2017")
    assert Draw.objects.filter(method="stratified_panel").count() == 1


def test_a_frame_upload_over_the_limit_is_refused_before_it_is_read(settings, users, metro):
    from django.test import Client

    from tests.apps.test_upload_limits import _post_through_the_stack

    settings.INTEGRITY_MAX_UPLOAD_BYTES = 2_000_000
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["admin"])
    response, body = _post_through_the_stack(client, reverse("residents:import"), 2_050_000)
    assert response.status_code == 413 and "파일이 너무 큽니다" in response.content.decode()
    assert body.read_bytes <= 2_300_000 and not FrameImport.objects.exists()


def test_every_frame_column_fits_the_field_it_lands_in():
    from integrity.apps.residents.models import PanelMember, Stratum
    from integrity.sampling.population import frame_forms

    for form in frame_forms().values():
        for key in ("district", "age_band", "sex"):
            limit = form.column(key).limit
            assert limit <= Stratum._meta.get_field(key).max_length and limit <= PanelMember._meta.get_field(key).max_length
