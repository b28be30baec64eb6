"""Bad input never reaches a 500: str.isdigit() is true for '²' and '٣' but int() refuses
the first, so every number typed into a form or a query string is checked as plain ASCII
digits (review of the clusters, 청렴신문고 and effort pages)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from integrity.apps.clusters import services as cluster_services
from integrity.apps.clusters.models import Cluster
from integrity.apps.effort import assignments
from integrity.apps.registry.models import AssessmentYear
from integrity.apps.reporting import release, services as reporting_services

SUPERSCRIPT = "²"


@pytest.fixture
def cluster(registry, users):
    c = Cluster.objects.create(name="경남 청렴 클러스터", region="경남")
    c.secretariat_users.add(users["secretariat"])
    cluster_services.add_member(c, None, kind="public", institution_code=registry["a"].code, joined_on=date(2017, 1, 1))
    return c


def test_reporting_statistics_year_and_assignee_with_a_superscript_digit_are_not_a_server_error(client, registry, users):
    made = reporting_services.submit_report(institution=registry["a"], kind="corruption", field="contracts",
                                            title="계약", what="내용", when="", where="")
    release.release()
    report = reporting_services.find_report(made.code, made.passphrase)
    client.force_login(users["admin"])
    assert client.get(reverse("reporting:statistics"), {"year": SUPERSCRIPT}).status_code == 200
    client.force_login(users["team_a"])
    response = client.post(reverse("reporting:case_act", args=[report.pk]), {"action": "assign", "assignee": SUPERSCRIPT})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.assigned_to_id is None


def test_cluster_ids_year_and_staff_with_a_superscript_digit_are_not_a_server_error(client, cluster, users):
    client.force_login(users["secretariat"])
    assert client.get(reverse("clusters:dues", args=[cluster.pk]), {"year": SUPERSCRIPT}).status_code == 200
    response = client.post(reverse("clusters:detail", args=[cluster.pk]), {"action": "leave", "member": SUPERSCRIPT})
    assert response.status_code == 404
    assert cluster.members.filter(left_on__isnull=True).count() == 1
    response = client.post(reverse("clusters:application", args=[cluster.pk]),
                           {"kind": "civic", "name": "시민모임", "staff": SUPERSCRIPT, "founded_on": "2010-01-01"})
    assert response.status_code == 400 and not cluster.applications.exists()


def test_effort_year_and_evaluator_with_superscript_digits_are_not_a_server_error(client, users):
    year = AssessmentYear.objects.create(year=2022, model_name="2022", open_to_liaisons=True)
    client.force_login(users["admin"])
    for name in ("effort:index", "effort:panels", "effort:objections", "effort:reconciliation"):
        assert client.get(reverse(name), {"year": SUPERSCRIPT * 4}).status_code == 200, name
    panel = assignments.create_panel(year, users["admin"], "평가단", ["central_2"])
    response = client.post(reverse("effort:panel_member", args=[panel.pk]), {"user": SUPERSCRIPT, "kind": "external"})
    assert response.status_code == 302 and not panel.members.exists()
