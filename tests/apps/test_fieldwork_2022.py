"""The web questionnaire of a 2022+ year (9 external and 9 internal items): invited,
answered, released and scored by the 2022 engine, the same way as a 2017 year."""

import io
from datetime import date

import polars as pl
import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from integrity.apps.fieldwork import messenger, services, sms
from integrity.apps.fieldwork.models import Invitation, Response
from integrity.apps.fieldwork.monitoring import responses_frame
from integrity.apps.fieldwork.sending import send
from integrity.interchange.validate import check_responses
from integrity.scoring import score_year
from tests.apps.test_fieldwork import _answers_for
from tests.registry_fixtures import LINK


@pytest.fixture(autouse=True)
def _release_each_completion(settings):
    settings.INTEGRITY_RELEASE_BATCH = 1


@pytest.fixture
def year2022(registry):
    """The test registry's year run on the 2022 model."""
    year = registry["year"]
    year.year, year.model_name = 2022, "2022"
    year.save()
    registry["a"].staff = 40  # a small staff: the whole list is the internal sample
    registry["a"].save()
    return registry


def _invite(client, registry, users, form_code, rows, task=None) -> list[str]:
    from integrity.apps.rosters.models import RosterUpload
    from integrity.apps.sampling.services import draw_sample
    from tests.rosters.helpers import filled

    client.force_login(users["liaison_a"])
    data = io.BytesIO(filled(form_code, rows))
    data.name = "r.xlsx"
    post = {"form_code": form_code, "file": data, "password": ""}
    if task is not None:
        post["task"] = task.pk
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("rosters:upload", kwargs={"institution_id": registry["a"].pk}), post)
    client.logout()
    upload = RosterUpload.objects.filter(form_code=form_code).latest("pk")
    assert upload.status == "accepted", upload.problems[:5]
    draw = draw_sample(upload, users["admin"])
    assert services.invite_draw(draw) > 0
    mail.outbox.clear()
    sms.outbox.clear()
    messenger.outbox.clear()
    send(list(Invitation.objects.filter(member__draw=draw).select_related("member__entry", "institution", "task")))
    bodies = [m.body for m in mail.outbox] + [m.body for m in sms.outbox] + [m.text() for m in messenger.outbox]
    return list(dict.fromkeys(LINK.search(b).group(1) for b in bodies))  # one link may go two ways


def _answer(client, token: str, *, yes: bool) -> str:
    url = f"/s/{token}/"
    response = client.get(url)
    assert "설문 시작하기" in response.content.decode()
    response = client.post(url, {"start": "1"}, follow=True)
    while 'name="page"' in response.content.decode():
        html = response.content.decode()
        response = client.post(url, _answers_for(html, yes=yes), follow=True)
    return response.content.decode()


def test_a_respondent_completes_the_2022_external_questionnaire_of_nine_items(client, year2022, users):
    from tests.rosters.helpers import external_rows

    rows = [r | {"email": f"p{i}@example.com"} for i, r in enumerate(external_rows(80, experienced_on=date(2022, 1, 5)))]
    tokens = _invite(client, year2022, users, "external", rows, task=year2022["task_a"])
    url = f"/s/{tokens[0]}/"
    first = client.get(url).content.decode()
    assert "외부 체감도" in first
    done = _answer(client, tokens[0], yes=True)
    assert "응답해 주셔서 감사합니다" in done
    answers = Response.objects.get().answers
    assert set(answers) == {f"E0{i}" for i in range(1, 10)}  # 7 perception, the gate and its frequency
    assert answers["E08"] == 1 and answers["E09"] >= 1


def test_2022_responses_feed_the_2022_engine(client, year2022, users):
    from tests.rosters.helpers import external_rows, staff_rows

    rows = [r | {"email": f"p{i}@example.com"} for i, r in enumerate(external_rows(80, experienced_on=date(2022, 1, 5)))]
    external = _invite(client, year2022, users, "external", rows, task=year2022["task_a"])
    internal = _invite(client, year2022, users, "staff_2_1", staff_rows(40, hired_on=date(2015, 3, 2)))
    for token in external[:3]:
        _answer(client, token, yes=False)
    for token in internal[:2]:
        assert "내부 체감도" in client.get(f"/s/{token}/").content.decode()
        _answer(client, token, yes=False)
    for response in Response.objects.filter(survey="internal"):
        assert set(response.answers) == {f"I0{i}" for i in range(1, 9)}  # "no" to the gate: no frequency question
    year = year2022["year"]
    model = year.model
    frame = responses_frame(year)
    institutions = pl.DataFrame({
        "institution": [year2022["a"].code], "name": ["가람부"], "type": ["central_1"], "staff": [2500],
        "supervisor": [None], "effort": [80.0]}, schema_overrides={"supervisor": pl.Utf8})
    checked = check_responses(model, frame, institutions, "db")
    result = score_year(model, institutions, checked).institutions
    assert result["n_external"][0] == 3 and result["n_internal"][0] == 2
    assert result["status"][0] == "scored"
    assert 0 <= result["overall"][0] <= 100


def test_a_2022_year_is_monitored_keyed_by_phone_and_checked_for_signals(client, year2022, users):
    from integrity.apps.fieldwork.models import CallAssignment
    from integrity.apps.fieldwork.monitoring import fieldwork_rows, quality_signals
    from tests.apps.test_fieldwork import _go
    from tests.rosters.helpers import external_rows

    rows = [r | {"email": f"p{i}@example.com"} for i, r in enumerate(external_rows(80, experienced_on=date(2022, 1, 5)))]
    tokens = _invite(client, year2022, users, "external", rows, task=year2022["task_a"])
    _answer(client, tokens[0], yes=False)
    invitation = Invitation.objects.filter(used=False).first()
    assignment = CallAssignment.objects.create(invitation=invitation, interviewer=users["interviewer"])
    client.force_login(users["interviewer"])
    done = _go(client, reverse("fieldwork:call_survey", kwargs={"assignment_id": assignment.pk}))
    assert "응답을 저장했습니다" in done.content.decode()
    assert Response.objects.filter(mode="phone", survey="external").count() == 1
    row = next(r for r in fieldwork_rows(year2022["year"]) if r["task_id"] == year2022["task_a"].pk)
    assert row["completed"] == 2 and row["modes"] == {"web": 1, "phone": 1}
    assert isinstance(quality_signals(year2022["year"]), list)  # 7 Likert items: the careless checks run
    client.force_login(users["analyst"])
    assert "현장조사 현황" in client.get(reverse("monitoring:index")).content.decode()
