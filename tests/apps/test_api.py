"""The JSON API: what it answers, who may see fieldwork, and a fuzz of every operation."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from integrity.apps.registry.models import AssessmentYear
from integrity.apps.results.services import publish, run_from_database
from integrity.apps.results.year_loader import load_generated_year
from integrity.generate import generate_year
from integrity.web.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def published(db, m2017):
    year = AssessmentYear.objects.create(year=2017, model_name="2017")
    load_generated_year(year, generate_year(m2017, seed=9, responses=12_000))
    return publish(run_from_database(year), None)


def test_published_results_and_history(client, published):
    years = client.get("/api/v1/years").json()
    assert [y["year"] for y in years] == [2017] and years[0]["institutions"] == 572
    rows = client.get("/api/v1/results/2017?type=central_1").json()
    assert len(rows) == 18 and rows[0]["rank_in_type"] in (1, None) and "external" in rows[0]["surveys"]
    code = rows[0]["institution"]
    assert client.get(f"/api/v1/institutions/{code}/history").json()[0]["year"] == 2017
    assert client.get("/api/v1/results/1999").status_code == 404
    assert client.get("/api/v1/results/abc").status_code == 400  # a malformed value is the client's error


def test_fieldwork_status_needs_an_authorised_role(client, users):
    assert client.get("/api/v1/fieldwork/2017").status_code == 401
    client.force_login(users["liaison_a"])
    assert client.get("/api/v1/fieldwork/2017").status_code == 403
    client.force_login(users["analyst"])
    assert client.get("/api/v1/fieldwork/2017").status_code == 200


def test_unpublished_runs_are_not_in_the_api(client, db, m2017):
    year = AssessmentYear.objects.create(year=2017, model_name="2017")
    load_generated_year(year, generate_year(m2017, seed=9, responses=5_000))
    run_from_database(year)
    assert client.get("/api/v1/results/2017").status_code == 404


@pytest.fixture
def keep_test_connection():
    """Schemathesis calls the WSGI application directly; like Django's test client, keep
    the request signals from closing the test's database connection."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_fuzz_no_server_error(case, published, keep_test_connection):
    response = case.call()
    assert response.status_code < 500, (case.path, case.query, response.text[:300])
    case.validate_response(response, checks=(schemathesis.checks.not_a_server_error,))


def test_the_api_docs_work_offline(client, db):
    page = client.get("/api/v1/docs").content.decode()
    assert "cdn.jsdelivr" not in page and "swagger-ui-bundle.js" in page
    import re

    assets = re.findall(r'(?:src|href)="(/static/ninja/[^"]+)"', page)
    assert len(assets) >= 2
    for asset in assets:
        assert client.get(asset).status_code == 200, asset
