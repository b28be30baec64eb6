"""Error pages: Korean, in the site's layout with its navigation, with the reason
the code gives (never Django's bare English pages)."""

import pytest
from django.core.exceptions import BadRequest
from django.test import RequestFactory
from django.urls import reverse

from integrity.web import errors

LAYOUT = "공공기관 청렴도 측정"  # the site's header


@pytest.fixture(autouse=True)
def _production_errors(settings):
    settings.DEBUG = False  # with DEBUG, Django shows its technical pages instead


def test_an_unknown_address_gets_the_korean_404_in_the_layout(client, db):
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404 and "찾을 수 없습니다" in html and LAYOUT in html
    assert "Not Found" not in html and 'lang="ko"' in html


def test_a_liaison_of_another_institution_is_told_why(client, registry, users):
    client.force_login(users["liaison_b"])
    response = client.get(reverse("rosters:dashboard", kwargs={"institution_id": registry["a"].pk}))
    html = response.content.decode()
    assert response.status_code == 403 and "볼 권한이 없습니다" in html and LAYOUT in html
    assert "처음 화면으로" in html


def test_djangos_english_messages_are_replaced_by_a_korean_one(client, users):
    client.force_login(users["admin"])
    response = client.get("/results/runs/?a=999999&b=999998")
    html = response.content.decode()
    assert response.status_code == 404 and "No ScoringRun matches" not in html and "찾을 수 없습니다" in html


def test_bad_request_and_server_error_pages(db):
    request = RequestFactory().get("/x/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    bad = errors.bad_request(request, BadRequest("연도는 숫자로 적어 주세요"))
    assert bad.status_code == 400 and "연도는 숫자로 적어 주세요" in bad.content.decode()
    crash = errors.server_error(request)
    assert crash.status_code == 500 and "잠시 문제가 생겼습니다" in crash.content.decode()
    assert LAYOUT in crash.content.decode()


def test_the_server_error_page_survives_a_broken_layout(db, monkeypatch):
    request = RequestFactory().get("/x/")

    def broken(*args, **kwargs):
        raise RuntimeError("database is down")

    monkeypatch.setattr(errors, "render_to_string", broken)
    crash = errors.server_error(request)
    assert crash.status_code == 500 and "잠시 문제가 생겼습니다" in crash.content.decode()


@pytest.mark.parametrize("url", ["/results/runs/start/", "/registry/rotation/set/", "/warnings/issue/"])
def test_a_wrong_method_gets_a_korean_405_that_names_the_allowed_one(client, users, url):
    """A form's address opened in the address bar: Django's bare 405 had an empty body."""
    client.force_login(users["admin"])
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert "허용되지 않는 요청 방식입니다" in html and LAYOUT in html


def test_a_wrong_method_on_a_respondent_link_sets_no_cookie(client, invited):
    response = client.get(f"/s/{invited[0]}/opt-in/")
    assert response.status_code == 405 and "허용되지 않는 요청 방식입니다" in response.content.decode()
    assert not response.cookies  # respondents get no cookie, not even on an error page


def test_the_api_says_its_401_and_405_in_korean(client, db):
    unauthorised = client.get("/api/v1/fieldwork/2017")
    assert unauthorised.status_code == 401 and "로그인" in unauthorised.json()["detail"]
    wrong = client.post("/api/v1/years")
    assert wrong.status_code == 405 and wrong["Allow"] == "GET" and "GET" in wrong.json()["detail"]
    assert "허용되지 않는" in wrong.json()["detail"]


def test_a_failed_form_token_is_the_korean_403_in_the_layout(users, settings):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(users["admin"])
    response = client.post("/registry/rotation/set/", {"year": "2017"})
    html = response.content.decode()
    assert response.status_code == 403 and LAYOUT in html and "Forbidden" not in html
    assert "보안 확인" in html and 'lang="ko"' in html


def test_the_api_answers_an_unknown_address_in_json(client, db):
    """An API client reads JSON: an unknown address under /api/ was the HTML page."""
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")
    assert "찾을 수 없습니다" in response.json()["detail"] or "없습니다" in response.json()["detail"]


@pytest.mark.parametrize("method", ["TRACE", "PUT", "DELETE", "PATCH"])
def test_methods_no_page_takes_are_a_405_not_the_page_or_a_form_token_error(client, db, method):
    """TRACE answered with the page and PUT with 'no permission' (the CSRF check)."""
    response = client.generic(method, "/results/")
    assert response.status_code == 405 and "허용되지 않는 요청 방식입니다" in response.content.decode()
    assert response["Allow"] == "GET, HEAD, POST, OPTIONS"
