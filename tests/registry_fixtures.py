"""A small registry with one user per role, for the application's tests."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from integrity.apps.accounts.models import Profile, Role
from integrity.apps.registry.models import AssessmentYear, Institution, Officer, TargetTask

PASSWORD = "correct-horse-battery-9"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache, link context in a per-process one; each
    test starts with none (SQLite reuses ids between tests)."""
    from django.core.cache import cache

    from integrity.apps.fieldwork.services import forget_cached

    cache.clear()
    forget_cached()
    yield
    cache.clear()
    forget_cached()


@pytest.fixture
def registry(db):
    year = AssessmentYear.objects.create(year=2017, model_name="2017", open_to_liaisons=True)
    officer = Officer.objects.create(name="원현심", title="사무관", phone="044-200-7632")
    a = Institution.objects.create(year=year, code="0100001", name="가람부", type_code="central_1", staff=2500, officer=officer)
    b = Institution.objects.create(year=year, code="0400001", name="누리시", type_code="basic_city", staff=800, supervisor=a)
    task_a = TargetTask.objects.create(institution=a, code="T1", name="보조금 지원", quota=5)
    task_b = TargetTask.objects.create(institution=b, code="T1", name="건축 인허가", quota=5)
    closed = AssessmentYear.objects.create(year=2016, model_name="2017", open_to_liaisons=False)
    old = Institution.objects.create(year=closed, code="0100001", name="가람부", type_code="central_1", staff=2500)
    return {"year": year, "a": a, "b": b, "task_a": task_a, "task_b": task_b, "closed": old}


def _user(username, role=None, institution=None, superuser=False):
    user = get_user_model().objects.create_user(username, password=PASSWORD, is_superuser=superuser, is_staff=superuser)
    if role:
        Profile.objects.create(user=user, role=role, institution=institution)
    return user


@pytest.fixture
def users(registry):
    return {
        "admin": _user("admin", superuser=True),
        "analyst": _user("analyst", Role.ANALYST),
        "interviewer": _user("interviewer", Role.INTERVIEWER),
        "liaison_a": _user("liaison_a", Role.LIAISON, registry["a"]),
        "liaison_b": _user("liaison_b", Role.LIAISON, registry["b"]),
        "liaison_closed": _user("liaison_closed", Role.LIAISON, registry["closed"]),
        "evaluator": _user("evaluator", Role.EVALUATOR),
        "secretariat": _user("secretariat", Role.SECRETARIAT),
        "team_a": _user("team_a", Role.INTEGRITY_TEAM, registry["a"]),
        "team_b": _user("team_b", Role.INTEGRITY_TEAM, registry["b"]),
    }


LINK = re.compile(r"http://[^/\s]+/s/([A-Za-z0-9_-]+)/")


@pytest.fixture
def invited(client, registry, users):
    """Task A (quota 5): 80 on the roster, 25 drawn, invited by e-mail. Returns the links' tokens."""
    return invite_task_a(client, registry, users, roster=80)


def invite_task_a(client, registry, users, *, roster: int) -> list[str]:
    """Upload ``roster`` people for task A, draw, invite by e-mail; the links' tokens."""
    from integrity.apps.fieldwork import services
    from integrity.apps.fieldwork.models import Invitation
    from integrity.apps.fieldwork.sending import send
    from integrity.apps.rosters.models import RosterUpload
    from integrity.apps.sampling.services import draw_sample
    from tests.rosters.helpers import external_rows, filled

    client.force_login(users["liaison_a"])
    rows = [r | {"email": f"p{i}@example.com"} for i, r in enumerate(external_rows(roster))]
    data = io.BytesIO(filled("external", rows))
    data.name = "r.xlsx"
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("rosters:upload", kwargs={"institution_id": registry["a"].pk}),
                    {"form_code": "external", "task": registry["task_a"].pk, "file": data, "password": ""})
    client.logout()
    draw = draw_sample(RosterUpload.objects.get(status="accepted"), users["admin"])
    made = services.invite_draw(draw)
    mail.outbox.clear()
    send(list(Invitation.objects.select_related("member__entry", "institution", "task")))
    assert made == len(mail.outbox)
    return [LINK.search(m.body).group(1) for m in mail.outbox]
