"""Staff pages in a browser: a long list searched, filtered and paged with its state in
the address; a run published from the runs page after its confirmation; the Korean
error pages in the site's layout. axe-core finds nothing serious or critical."""

import pytest
from integrity.apps.registry.models import Institution
from integrity.apps.results.models import InstitutionResult, ScoringRun
from integrity.model import load_model
from tests.browser.helpers import serious, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_long_list_is_searched_filtered_and_paged_in_the_address(live_server, browser, registry, users, screenshots):
    year = registry["year"]
    Institution.objects.bulk_create([Institution(year=year, code=f"05{n:05d}", name=f"시험군{n:03d}", type_code="basic_county",
                                                 staff=300) for n in range(120)])
    page = sign_in(browser, live_server, "admin")
    page.goto(f"{live_server.url}/rosters/")
    assert "1 / 3쪽" in page.inner_text("nav.pager")
    page.click("text=다음 쪽")
    assert "2 / 3쪽" in page.inner_text("nav.pager") and "page=2" in page.url
    page.fill("#q", "가람")
    page.click("form.listing button.primary")
    assert "q=" in page.url and "1건 (전체 122건)" in page.inner_text("main")
    assert "가람부" in page.inner_text("table.results")
    page.goto(f"{live_server.url}/rosters/?type=basic_county&sort=-code")  # a shared, bookmarked address
    assert "120건 (전체 122건)" in page.inner_text("main")
    assert page.locator("table.results tbody tr").first.inner_text().startswith("0500119")
    assert page.locator("#f-type").input_value() == "basic_county"
    page.screenshot(path=screenshots / "s1-rosters.png", full_page=True)
    assert serious(page) == []


def _draft_run(registry, overall=7.5):
    model = load_model("2017")
    run = ScoringRun.objects.create(year=2017, model_version=model.version, input_fingerprint="a" * 64, model_text=model.text)
    InstitutionResult.objects.create(run=run, institution_code=registry["a"].code, name=registry["a"].name,
                                     type_code="central_1", type_name="중앙행정기관 Ⅰ유형", status="scored", overall=overall,
                                     overall_published=round(overall, 2), grade=3, rank_in_type=1, scores={})
    return run


def test_an_administrator_publishes_from_the_runs_page(live_server, browser, registry, users, screenshots):
    draft = _draft_run(registry)
    anonymous = browser.new_page(locale="ko-KR")
    anonymous.goto(f"{live_server.url}/results/")
    assert "아직 공개된 채점 결과가 없습니다" in anonymous.inner_text("main")
    page = sign_in(browser, live_server, "admin")
    page.goto(f"{live_server.url}/results/runs/")
    page.click(f"a[href$='/runs/{draft.pk}/publish/']")
    assert "이번이 첫 공표입니다" in page.inner_text("main")
    assert serious(page) == []
    page.screenshot(path=screenshots / "s2-publish.png", full_page=True)
    page.click("button:has-text('공표')")  # not confirmed: the browser keeps the form (required box)
    assert "/publish/" in page.url
    page.check("input[name=confirm]")
    page.click("button:has-text('공표')")
    page.wait_for_load_state()
    assert "공표했습니다" in page.inner_text("main")
    draft.refresh_from_db()
    assert draft.published_at is not None
    anonymous.reload()
    assert registry["a"].name in anonymous.inner_text("main")


def test_error_pages_are_korean_in_the_sites_layout(live_server, browser, registry, users, screenshots, settings):
    page = sign_in(browser, live_server, "liaison_a")
    response = page.goto(f"{live_server.url}/monitoring/")
    assert response.status == 403
    assert "권한" in page.inner_text("main") and page.locator("header.site nav").count() == 1
    assert serious(page) == []
    page.screenshot(path=screenshots / "s3-403.png", full_page=True)
    response = page.goto(f"{live_server.url}/rosters/uploads/999999/")
    assert response.status in (403, 404) and page.locator("header.site nav").count() == 1
    response = page.goto(f"{live_server.url}/no/such/page/")
    assert response.status == 404 and "찾을 수 없습니다" in page.inner_text("main")
    assert serious(page) == []
    page.screenshot(path=screenshots / "s4-404.png", full_page=True)
