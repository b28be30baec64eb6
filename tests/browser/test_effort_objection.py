"""The objection window (이의신청) in a browser: the liaison submits the report with an
evidence file, an administrator releases the preliminary scores, the liaison objects to an
indicator, the administrator decides with a reason, and the published report (three
grades) shows the outcome. axe-core finds nothing serious or critical on any page."""

import dataclasses
from datetime import date

import pytest

from integrity.apps.accounts.models import Profile, Role
from integrity.apps.effort import services
from integrity.apps.effort.models import EvidenceFile, Objection, Score
from integrity.apps.registry.models import AssessmentYear
from integrity.apps.results.services import publish, run_from_database
from integrity.apps.results.year_loader import load_generated_year
from integrity.generate import generate_year
from integrity.generate.mix import MIX_2017
from integrity.model import load_model
from tests.apps.test_effort import complete_evaluation
from tests.browser.helpers import serious, sign_in
from tests.incidents.evidence_samples import PDF
from tests.registry_fixtures import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_liaison_objects_an_administrator_decides_and_the_published_report_shows_it(
        live_server, browser, django_user_model, screenshots, tmp_path, settings):
    settings.INTEGRITY_EFFORT_EVIDENCE_DIR = tmp_path / "effort_evidence"
    year = AssessmentYear.objects.create(year=2022, model_name="2022", open_to_liaisons=True)
    mix = {t: dataclasses.replace(MIX_2017[t], count=3) for t in ("central_2", "pso_5")}
    load_generated_year(year, generate_year(load_model("2022"), seed=5, responses=3_000, mix=mix), effort=False)
    admin = django_user_model.objects.create_user("admin", password=PASSWORD, is_superuser=True, is_staff=True)
    services.set_deadline(year, admin, date(2099, 12, 31))
    bodies = list(year.institutions.order_by("code"))
    body = bodies[0]
    for other in bodies[1:]:
        complete_evaluation(other, admin, today=date(2030, 1, 1))
    liaison = django_user_model.objects.create_user("liaison", password=PASSWORD)
    Profile.objects.create(user=liaison, role=Role.LIAISON, institution=body)
    evidence_file = tmp_path / "추진계획.pdf"
    evidence_file.write_bytes(PDF)

    # 1. the liaison reports every indicator, attaches an evidence file, and submits
    page = sign_in(browser, live_server, "liaison")
    page.goto(f"{live_server.url}/effort/")
    page.set_input_files("[id='file_1.1']", str(evidence_file))
    page.locator("button[form='up-1.1']").click()
    page.wait_for_load_state()
    assert "증빙자료를 올렸습니다" in page.inner_text("main") and "추진계획.pdf" in page.inner_text("main")
    for ind in year.model.effort.indicators:
        if ind.needs_figure and not ind.source:  # a sourced figure (cluster activity) is counted, not typed
            page.fill(f"[id='figure_{ind.code}']", "90")
        if ind.kind != "survey":
            page.fill(f"[id='narrative_{ind.code}']", f"{ind.name} 추진 실적")
    page.screenshot(path=screenshots / "objection-1-report-with-evidence.png", full_page=True)
    assert serious(page) == []
    page.click("button[value=submit]")
    page.wait_for_load_state()
    assert services.submission_of(body).status == "submitted"
    assert EvidenceFile.objects.filter(institution=body, indicator="1.1").count() == 1
    for ind in year.model.effort.indicators:  # the panel's scores (panels are another screen)
        if ind.panel_scored:
            services.record_score(body, ind.code, admin, level="C", value="70", reason="서면평가")

    # 2. the administrator releases the preliminary scores with an objection deadline
    page = sign_in(browser, live_server, "admin")
    page.goto(f"{live_server.url}/effort/evaluation/?year=2022")
    page.fill("#objection_deadline", "2099-12-31")
    page.click("button:has-text('잠정 점수 통보')")
    page.wait_for_load_state()
    assert "잠정 점수를 기관에 통보했습니다" in page.inner_text("main")
    page.screenshot(path=screenshots / "objection-2-release.png", full_page=True)
    assert serious(page) == []

    # 3. the liaison reads its preliminary scores and objects to 3.2 with a reason and a file
    page = sign_in(browser, live_server, "liaison")
    page.goto(f"{live_server.url}/effort/preliminary/")
    page.locator("details:has([id='reason_3.2']) summary").click()
    page.fill("[id='reason_3.2']", "취약분야 개선과제 3건의 효과가 증빙 3쪽에 수치로 있습니다.")
    page.set_input_files("[id='file_3.2']", str(evidence_file))
    page.locator("form:has([id='reason_3.2']) button").click()
    page.wait_for_load_state()
    assert "이의신청을 접수했습니다" in page.inner_text("main")
    page.screenshot(path=screenshots / "objection-3-liaison-objects.png", full_page=True)
    assert serious(page) == []
    objection = Objection.objects.get(institution=body, indicator="3.2")
    assert objection.evidence.count() == 1

    # 4. the administrator decides: accepted, one level up, with the reason
    page = sign_in(browser, live_server, "admin")
    page.goto(f"{live_server.url}/effort/objections/?year=2022")
    assert body.name in page.inner_text("table.results")
    page.screenshot(path=screenshots / "objection-4-list.png", full_page=True)
    page.click(f"a[href$='/effort/objections/{objection.pk}/']")
    page.check("input[value=accepted]")
    page.select_option("#level", "B")
    page.fill("#reason", "증빙 3쪽의 개선 효과를 확인하여 한 단계 올립니다.")
    page.click("form button.primary")
    page.wait_for_load_state()
    assert "이의신청을 결정했습니다" in page.inner_text("main")
    assert Score.objects.get(institution=body, indicator="3.2").level == "B"
    page.screenshot(path=screenshots / "objection-5-decided.png", full_page=True)
    assert serious(page) == []

    # 5. the liaison sees the decision; the published report shows the outcome beside three grades
    page = sign_in(browser, live_server, "liaison")
    page.goto(f"{live_server.url}/effort/preliminary/")
    assert "증빙 3쪽의 개선 효과를 확인하여" in page.inner_text("main")
    publish(run_from_database(year), None)
    page.goto(f"{live_server.url}/results/{body.code}/?year=2022")
    text = page.inner_text("main")
    assert "지표별 점수와 이의신청 결과" in text and "인용" in text and "증빙 3쪽의 개선 효과를 확인하여" in text
    assert "청렴체감도" in text and "청렴노력도" in text
    page.screenshot(path=screenshots / "objection-6-published-report.png", full_page=True)
    assert serious(page) == []
