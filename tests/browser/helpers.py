"""What the browser walks share: signing in, and axe-core's serious or critical findings."""

from axe_playwright_python.sync_playwright import Axe

from tests.registry_fixtures import PASSWORD

DESKTOP = {"width": 1280, "height": 900}


def serious(page) -> list[str]:
    return [f"{v['id']}: {v['help']}" for v in Axe().run(page).response["violations"]
            if v["impact"] in ("serious", "critical")]


def sign_in(browser, live_server, username, viewport=None):
    page = browser.new_page(viewport=viewport or DESKTOP, locale="ko-KR")
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('로그인')")
    page.wait_for_load_state()
    return page
