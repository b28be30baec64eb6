"""서식 3-3: staff transferred in are invited as policy customers of their former body."""

import io

import pytest
from django.test import TestCase
from django.urls import reverse

from integrity.apps.fieldwork import services
from integrity.apps.fieldwork.models import Invitation, Response
from integrity.apps.fieldwork.monitoring import responses_frame
from integrity.apps.rosters.models import RosterUpload
from integrity.apps.sampling.services import draw_sample
from tests.apps.test_fieldwork import _go
from tests.rosters.helpers import filled


@pytest.fixture(autouse=True)
def _release_each_completion(settings):
    settings.INTEGRITY_RELEASE_BATCH = 1


def _upload_transferred(client, registry, users, rows, institution="b"):
    client.force_login(users[f"liaison_{institution}"])
    data = io.BytesIO(filled("transferred_3_3", rows))
    data.name = "전입.xlsx"
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("rosters:upload", kwargs={"institution_id": registry[institution].pk}),
                    {"form_code": "transferred_3_3", "file": data, "password": ""})
    client.logout()
    return RosterUpload.objects.filter(form_code="transferred_3_3").latest("pk")


def _rows(n, **overrides):
    from datetime import date

    return [{"name": f"전입{i}", "previous_institution": "가람부", "transferred_on": date(2016, 5, 1),
             "email": f"t{i}@korea.kr", **overrides} for i in range(n)]


def test_transferred_in_staff_rate_their_former_body_as_its_policy_customers(client, registry, users):
    upload = _upload_transferred(client, registry, users, _rows(4))
    assert upload.status == "accepted", upload.problems
    assert upload.entries.first().attributes["previous_code"] == "0100001"
    made = services.invite_draw(draw_sample(upload, users["admin"]))
    assert made == 4
    invitations = Invitation.objects.all()
    assert {(i.institution_id, i.survey, i.group) for i in invitations} == {(registry["a"].pk, "policy", "expert")}
    token = "tok-transferred"
    Invitation.objects.filter(pk=invitations[0].pk).update(token_hash=services.token_hash(token))
    page = client.get(f"/s/{token}/").content.decode()
    assert "가람부" in page and "누리시" not in page
    _go(client, f"/s/{token}/")
    response = Response.objects.get()
    assert (response.institution_id, response.survey, response.group) == (registry["a"].pk, "policy", "expert")
    frame = responses_frame(registry["year"])  # what the scoring engine reads: the former body's policy survey
    assert frame.select("institution", "survey", "group").rows() == [("0100001", "policy", "expert")]


def test_transferred_in_rows_from_an_unknown_body_are_refused_at_upload(client, registry, users):
    rows = _rows(2)
    rows[1]["previous_institution"] = "없는청"
    upload = _upload_transferred(client, registry, users, rows)
    assert upload.status == "rejected"
    assert upload.problems == [{"row": 3, "column": "이전 재직기관",
                                "message": "올해 측정대상기관 등록부에 없는 기관입니다. 등록부의 기관명이나 기관코드로 적어 주세요 (값: 없는청)"}]


def test_transferred_in_staff_of_a_body_gone_from_the_registry_get_no_invitation(client, registry, users):
    upload = _upload_transferred(client, registry, users, _rows(2))
    registry["a"].code = "0100099"
    registry["a"].save()
    assert services.invite_draw(draw_sample(upload, users["admin"])) == 0


def test_a_person_is_asked_once_per_body_among_its_experts_and_transferred_staff(client, registry, users):
    """가람부 lists a former official among its experts (퇴직·전출자); 누리시 lists the same
    person as transferred in from 가람부: one invitation to rate 가람부."""
    client.force_login(users["liaison_a"])
    data = io.BytesIO(filled("experts_3_1", [{"name": "전입0", "category": "퇴직·전출자", "organisation": "누리시",
                                              "email": "t0@korea.kr"}]))
    data.name = "전문가.xlsx"
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("rosters:upload", kwargs={"institution_id": registry["a"].pk}),
                    {"form_code": "experts_3_1", "file": data, "password": ""})
    client.logout()
    experts = RosterUpload.objects.get(form_code="experts_3_1", status="accepted")
    assert services.invite_draw(draw_sample(experts, users["admin"])) == 1
    transferred = _upload_transferred(client, registry, users, _rows(3))
    assert services.invite_draw(draw_sample(transferred, users["admin"])) == 2  # t0@korea.kr is already asked
    assert Invitation.objects.filter(institution=registry["a"], survey="policy").count() == 3
