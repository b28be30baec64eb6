"""청렴신문고 (issue 15): anonymous reports with a way back, case handling by the
institution's integrity team, and what the database keeps of a reporter."""

from __future__ import annotations

import io
import logging
import re
import uuid
from datetime import date, datetime, timedelta

from django.db import connection
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from integrity.apps.reporting import release, services
from integrity.apps.reporting.models import Attachment, CaseAccess, Message, PendingItem, Report, Status
from tests.reporting.samples import GPS_IFD, docx_with_properties, jpeg_with_gps

ADDRESS = "203.0.113.77"
AGENT = "SecretBrowser/9.9 (reporter-laptop-7)"
CODE_RE = re.compile(r"<code>([0-9A-Z]{4}(?:-[0-9A-Z]{4}){6})</code>")
PASS_RE = re.compile(r"<code>(\d{4}-\d{4}-\d{4})</code>")


def _form(registry, **extra):
    data = {"institution": registry["a"].code, "kind": "corruption", "field": "contracts", "title": "계약 특혜 의혹",
            "what": "입찰 전에 특정 업체에 설계 내용을 알려 주었습니다.", "when": "지난달", "where": "본청 3층"}
    data.update(extra)
    return data


def submit(client, registry, files=(), *, release_now=True, **extra):
    """Post the public form; then (unless ``release_now`` is false) run a release, as the
    next batch or the daily release would, so that the report is a case."""
    data = _form(registry, **extra)
    if files:
        data["attachments"] = [io.BytesIO(f) for f in files]
        for handle, name in zip(data["attachments"], ("evidence.jpg", "memo.docx", "c.pdf")):
            handle.name = name
    response = client.post(reverse("reporting:report"), data, REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=AGENT)
    assert response.status_code == 200, response.content.decode()[:2000]
    html = response.content.decode()
    if release_now:
        release.release()
    return CODE_RE.search(html).group(1), PASS_RE.search(html).group(1), response


def follow(client, code, passphrase, address=ADDRESS):
    return client.post(reverse("reporting:follow"), {"code": code, "passphrase": passphrase}, REMOTE_ADDR=address)


def _columns(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]


def test_public_form_needs_no_account_and_names_the_registry_institutions(client, registry):
    response = client.get(reverse("reporting:report") + f"?institution={registry['a'].code}")
    html = response.content.decode()
    assert response.status_code == 200 and registry["a"].name in html and registry["b"].name in html
    assert "no-store" in response["Cache-Control"] and response["Referrer-Policy"] == "same-origin"
    assert "<script" not in html  # works without JavaScript


def test_a_report_row_cannot_be_tied_to_a_network_address_or_a_precise_time(client, registry, caplog):
    """Every column of the report, message and attachment tables after a submission from
    a known address at a known time: no address, no browser, no time of day, random ids."""
    caplog.set_level(logging.DEBUG)
    before = timezone.now()
    code, passphrase, _ = submit(client, registry, files=[jpeg_with_gps()])
    submit(client, registry, title="두 번째")
    report = Report.objects.get(pk=Report.objects.filter(attachments__isnull=False).values("pk")[:1])
    team = registry_team_user(registry)
    services.ask(report, team, "언제 있었던 일인가요?")
    follow_page = follow(client, code, passphrase)
    token = re.search(r'name="token" value="([^"]+)"', follow_page.content.decode()).group(1)
    client.post(reverse("reporting:follow_reply"), {"token": token, "body": "10월 둘째 주입니다."}, REMOTE_ADDR=ADDRESS,
                HTTP_USER_AGENT=AGENT)
    release.release()
    assert Message.objects.filter(side="reporter").count() == 1
    hhmm = {before.strftime("%H:%M"), timezone.localtime(before).strftime("%H:%M")}
    for table in ("reporting_report", "reporting_message", "reporting_attachment"):
        rows = _columns(table)
        assert rows
        for row in rows:
            for column, value in row.items():
                assert not isinstance(value, datetime), (table, column)  # no timestamp column at all
                text = bytes(value).decode("latin-1") if isinstance(value, (bytes, memoryview)) else str(value)
                assert ADDRESS not in text and "203.0.113" not in text, (table, column)
                assert "SecretBrowser" not in text and "reporter-laptop" not in text, (table, column)
                assert code.replace("-", "") not in text and passphrase.replace("-", "") not in text, (table, column)
                assert not any(t in text for t in hhmm if ":" in text), (table, column, text[:60])
            if "id" in row:
                assert uuid.UUID(str(row["id"])).version == 4, (table, "id")
    for report in Report.objects.all():
        assert report.received_on == services.today_coarse()
    # The texts themselves are encrypted at rest.
    assert "계약 특혜" not in str(_columns("reporting_report"))
    # Nothing in the audit log, no session, and no log line with the code.
    from django.contrib.sessions.models import Session

    from integrity.apps.audit.models import AuditEntry
    assert not AuditEntry.objects.filter(target_type="reporting.Report", action__in=["reporting.submitted"]).exists()
    assert not Session.objects.exists()
    assert not [r for r in caplog.records if code in r.getMessage() or ADDRESS in r.getMessage()]


def registry_team_user(registry):
    from django.contrib.auth import get_user_model

    from integrity.apps.accounts.models import Profile, Role
    user = get_user_model().objects.create_user("team_x", password="x")
    Profile.objects.create(user=user, role=Role.INTEGRITY_TEAM, institution=registry["a"])
    return user


def test_report_ids_are_random_not_sequential(client, registry):
    for i in range(6):
        submit(client, registry, title=f"신고 {i}")
    ids = [r.pk for r in Report.objects.all()]
    assert all(i.version == 4 for i in ids)
    # The table's order (by key) is not the order of arrival.
    titles_in_key_order = [services.content(r)["title"] for r in sorted(Report.objects.all(), key=lambda r: r.pk.int)]
    assert titles_in_key_order != [f"신고 {i}" for i in range(6)] or len(set(ids)) == 6


def test_the_receipt_page_gives_code_and_passphrase_once_and_they_open_the_case(client, registry):
    code, passphrase, response = submit(client, registry)
    assert "no-store" in response["Cache-Control"]
    page = follow(client, code.lower().replace("-", " "), passphrase)
    html = page.content.decode()
    assert page.status_code == 200 and "계약 특혜 의혹" in html and "접수" in html
    assert code not in html  # not echoed back


def test_a_wrong_code_gives_the_same_answer_as_a_missing_one(client, registry, monkeypatch):
    """Unknown code, wrong passphrase and malformed code: one answer, one scrypt each."""
    code, passphrase, _ = submit(client, registry)
    import hashlib

    calls = []
    real = hashlib.scrypt
    monkeypatch.setattr(hashlib, "scrypt", lambda *a, **k: calls.append(1) or real(*a, **k))
    from integrity.reporting import receipt as receipt_module

    answers = []
    for typed_code, typed_pass in ((code, "0000-0000-0000"), (receipt_module.new_code(), passphrase), ("XYZ", passphrase),
                                   ("", "")):
        calls.clear()
        response = follow(client, typed_code, typed_pass)
        assert response.status_code == 200
        answers.append(re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode()))
        assert len(calls) == (1 if typed_code else 0) or typed_code == ""
    assert answers[0] == answers[1] == answers[2]
    assert "접수번호나 비밀번호가 맞지 않습니다" in answers[0]


def test_wrong_and_missing_codes_take_alike(client, registry, settings):
    import statistics
    import time

    settings.INTEGRITY_REPORT_KDF_N = 2**14  # the slow part dominates, as in production
    code, passphrase, _ = submit(client, registry)
    from integrity.reporting import receipt as receipt_module

    def timed(c, p):
        start = time.perf_counter()
        assert services.find_report(c, p) is None
        return time.perf_counter() - start

    wrong = statistics.median(timed(code, "1111-2222-3333") for _ in range(7))
    missing = statistics.median(timed(receipt_module.new_code(), passphrase) for _ in range(7))
    assert 0.5 < wrong / missing < 2.0


def test_follow_up_is_rate_limited_per_network_and_overall(client, registry, settings):
    code, passphrase, _ = submit(client, registry)
    settings.INTEGRITY_REPORT_FOLLOW_PER_NETWORK = 3
    for _ in range(3):
        assert follow(client, "AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA", "1", address="198.51.100.5").status_code == 200
    limited = follow(client, code, passphrase, address="198.51.100.9")  # same /24 network, right code
    assert limited.status_code == 429 and "계약 특혜" not in limited.content.decode()
    assert follow(client, code, passphrase, address="192.0.2.1").status_code == 200  # another network
    settings.INTEGRITY_REPORT_FOLLOW_FAILURES = 3  # three wrong codes seen overall this hour
    assert follow(client, code, passphrase, address="192.0.2.200").status_code == 429


def test_submissions_are_rate_limited_per_network(client, registry, settings):
    settings.INTEGRITY_REPORT_SUBMIT_PER_NETWORK = 2
    submit(client, registry)
    submit(client, registry)
    response = client.post(reverse("reporting:report"), _form(registry), REMOTE_ADDR=ADDRESS)
    release.release()
    assert response.status_code == 429 and Report.objects.count() == 2


def test_bad_input_is_named_and_nothing_is_written(client, registry):
    response = client.post(reverse("reporting:report"), _form(registry, what="", institution="nope"), REMOTE_ADDR=ADDRESS)
    assert response.status_code == 400 and Report.objects.count() == 0
    response = client.post(reverse("reporting:report"), _form(registry, name="홍길동"), REMOTE_ADDR=ADDRESS)
    assert response.status_code == 400 and "실명으로 신고합니다" in response.content.decode()
    exe = io.BytesIO(b"MZ\x90\x00" * 100)
    exe.name = "a.jpg"
    response = client.post(reverse("reporting:report"), {**_form(registry), "attachments": [exe]}, REMOTE_ADDR=ADDRESS)
    assert response.status_code == 400 and "받을 수 없는 형식" in response.content.decode()
    assert Report.objects.count() == 0 and Attachment.objects.count() == 0 and not PendingItem.objects.exists()


def test_attachments_are_stored_encrypted_without_metadata(client, registry, users):
    submit(client, registry, files=[jpeg_with_gps(), docx_with_properties()])
    report = Report.objects.get()
    stored = list(report.attachments.all())
    assert [a.name for a in stored] == ["첨부1.jpg", "첨부2.docx"]
    raw = bytes(stored[0].data_enc)
    assert not raw.startswith(b"\xff\xd8") and b"SecretCam" not in raw
    client.force_login(users["team_a"])
    response = client.get(reverse("reporting:case_file", args=[report.pk, 1]))
    image = Image.open(io.BytesIO(response.content))
    assert response["Content-Type"] == "image/jpeg" and not image.getexif().get_ifd(GPS_IFD)
    docx = client.get(reverse("reporting:case_file", args=[report.pk, 2]))
    assert b"Hong Gildong" not in docx.content and b"docProps" not in docx.content
    assert CaseAccess.objects.filter(report=report, user=users["team_a"], action="file").count() == 2


def test_two_way_anonymous_exchange(client, registry, users):
    """The handler asks, the reporter reads it with the code and answers; the handler
    reads the answer; the reporter sees status and outcome."""
    code, passphrase, _ = submit(client, registry)
    report = Report.objects.get()
    staff = client.__class__()
    staff.force_login(users["team_a"])
    staff.post(reverse("reporting:case_act", args=[report.pk]), {"action": "accept"})
    staff.post(reverse("reporting:case_act", args=[report.pk]), {"action": "ask", "body": "설계 내용을 알려 준 날짜를 아시나요?"})
    page = follow(client, code, passphrase).content.decode()
    assert "설계 내용을 알려 준 날짜를 아시나요?" in page and "조사 중" in page
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    photo = io.BytesIO(jpeg_with_gps())
    photo.name = "p.jpg"
    answer = client.post(reverse("reporting:follow_reply"), {"token": token, "body": "10월 7일입니다.", "attachments": [photo]},
                         REMOTE_ADDR=ADDRESS)
    assert answer.status_code == 200 and "10월 7일입니다." in answer.content.decode()  # shown as sent, waiting
    assert "10월 7일입니다." not in staff.get(reverse("reporting:case", args=[report.pk])).content.decode()
    release.release()
    case_page = staff.get(reverse("reporting:case", args=[report.pk])).content.decode()
    assert "10월 7일입니다." in case_page and "첨부1.jpg" in case_page
    staff.post(reverse("reporting:case_act", args=[report.pk]), {"action": "close", "outcome": "관련자를 징계 요구했습니다."})
    report.refresh_from_db()
    assert report.status == Status.CLOSED and report.finished_on == timezone.localdate()
    page = follow(client, code, passphrase).content.decode()
    assert "처리 완료" in page and "관련자를 징계 요구했습니다." in page and 'name="token"' not in page
    # A token from before the close no longer takes answers.
    late = client.post(reverse("reporting:follow_reply"), {"token": token, "body": "추가"}, REMOTE_ADDR=ADDRESS)
    assert late.status_code == 400 and "종결된 신고" in late.content.decode()


def test_a_forged_or_stale_token_opens_nothing(client, registry):
    submit(client, registry)
    response = client.post(reverse("reporting:follow_reply"), {"token": str(Report.objects.get().pk), "body": "x"})
    assert response.status_code == 200 and "계약 특혜" not in response.content.decode()
    assert not Message.objects.exists() and not PendingItem.objects.exists()


def test_a_named_reporters_identity_is_encrypted_and_shown_only_to_the_case_owner(client, registry, users):
    submit(client, registry, named="on", name="홍길동", contact="010-1234-5678")
    report = Report.objects.get()
    assert report.named and "홍길동".encode() not in bytes(report.identity_enc)
    team = client.__class__()
    team.force_login(users["team_a"])
    assert "홍길동" not in team.get(reverse("reporting:case", args=[report.pk])).content.decode()
    assert team.post(reverse("reporting:case_identity", args=[report.pk])).status_code == 403
    team.post(reverse("reporting:case_act", args=[report.pk]), {"action": "assign", "assignee": users["team_a"].pk})
    shown = team.post(reverse("reporting:case_identity", args=[report.pk]))
    assert shown.status_code == 200 and "홍길동" in shown.content.decode() and "010-1234-5678" in shown.content.decode()
    admin = client.__class__()
    admin.force_login(users["admin"])
    assert admin.post(reverse("reporting:case_identity", args=[report.pk])).status_code == 403
    assert CaseAccess.objects.filter(report=report, user=users["team_a"], action="identity").count() == 1


def test_every_access_to_a_case_is_logged(client, registry, users):
    submit(client, registry)
    report = Report.objects.get()
    client.force_login(users["team_a"])
    client.get(reverse("reporting:case", args=[report.pk]))
    client.get(reverse("reporting:case", args=[report.pk]))
    client.post(reverse("reporting:case_act", args=[report.pk]), {"action": "accept"})
    actions = list(CaseAccess.objects.filter(report=report).order_by("pk").values_list("user__username", "action"))
    assert actions == [("team_a", "viewed"), ("team_a", "viewed"), ("team_a", "accepted")]


def test_another_institutions_team_gets_403(client, registry, users):
    submit(client, registry)
    report = Report.objects.get()
    client.force_login(users["team_b"])
    assert client.get(reverse("reporting:case", args=[report.pk])).status_code == 403
    assert client.post(reverse("reporting:case_act", args=[report.pk]), {"action": "accept"}).status_code == 403
    listing = client.get(reverse("reporting:cases")).content.decode()
    assert report.reference not in listing
    assert not CaseAccess.objects.exists()


def test_the_same_body_in_another_year_is_the_teams_own(client, registry, users):
    """Registry rows are per year; a team member works for the body (its code)."""
    from integrity.apps.accounts.models import Profile, Role
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("team_old")
    Profile.objects.create(user=user, role=Role.INTEGRITY_TEAM, institution=registry["closed"])  # 2016 row of A
    submit(client, registry)
    client.force_login(user)
    assert client.get(reverse("reporting:case", args=[Report.objects.get().pk])).status_code == 200


def test_triage_transfer_dismiss_and_deadline(client, registry, users, settings):
    settings.INTEGRITY_REPORT_DEADLINE_DAYS = 30
    submit(client, registry)
    submit(client, registry, title="둘")
    first, second = Report.objects.order_by("id")
    assert first.due_on == first.received_on + timedelta(days=30)
    client.force_login(users["team_a"])
    act = lambda r, **d: client.post(reverse("reporting:case_act", args=[r.pk]), d)  # noqa: E731
    act(first, action="transfer", to="")
    first.refresh_from_db()
    assert first.status == Status.RECEIVED  # refused: where to
    act(first, action="transfer", to="국민권익위원회")
    act(second, action="dismiss", reason="")
    act(second, action="extend", due_on=(second.due_on + timedelta(days=10)).isoformat(), reason="보완 조사")
    first.refresh_from_db(), second.refresh_from_db()
    assert first.status == Status.TRANSFERRED and "국민권익위원회" in first.outcome
    assert second.status == Status.RECEIVED and second.due_on == second.received_on + timedelta(days=40)
    act(second, action="dismiss", reason="신고 내용이 구체적이지 않습니다")
    second.refresh_from_db()
    assert second.status == Status.DISMISSED
    assert not services.is_overdue(second, second.due_on + timedelta(days=99))


def test_overdue_cases_are_found_in_the_list(client, registry, users):
    submit(client, registry)
    Report.objects.update(due_on=date(2000, 1, 1))
    client.force_login(users["team_a"])
    html = client.get(reverse("reporting:cases") + "?due=overdue").content.decode()
    assert "지남" in html and "계약 특혜 의혹" in html
    assert "계약 특혜 의혹" not in client.get(reverse("reporting:cases") + "?q=없는말").content.decode()


def test_reporter_protection_measures_are_recorded(client, registry, users):
    submit(client, registry)
    report = Report.objects.get()
    client.force_login(users["team_a"])
    client.post(reverse("reporting:case_act", args=[report.pk]),
                {"action": "protect", "measure": "confidentiality", "description": "인적사항 비공개 지시", "decided_on": "2026-11-02"})
    measure = report.protections.get()
    assert measure.measure == "confidentiality" and measure.decided_on == date(2026, 11, 2)
    assert "신분비밀보장" in client.get(reverse("reporting:case", args=[report.pk])).content.decode()


def test_monthly_counts_by_field_and_month(registry):
    def make(day, field, institution):
        services.submit_report(institution=institution, kind="corruption", field=field, title="t", what="w", when="",
                               where="", today=day)
    make(date(2026, 1, 5), "contracts", registry["a"])
    make(date(2026, 1, 20), "contracts", registry["a"])
    make(date(2026, 2, 1), "personnel", registry["b"])
    make(date(2025, 12, 31), "contracts", registry["a"])
    release.release()
    rows = services.monthly_counts(2026)
    assert [(r.month, r.field, r.count) for r in rows] == [("2026-01", "contracts", 2), ("2026-02", "personnel", 1)]
    assert [(r.month, r.count) for r in services.monthly_counts(institution_codes=[registry["a"].code])] == [
        ("2025-12", 1), ("2026-01", 2)]
    by_body = services.monthly_counts(2026, by_institution=True)
    assert {r.institution_code for r in by_body} == {registry["a"].code, registry["b"].code}


def test_statistics_page_shows_the_teams_own_counts(client, registry, users):
    services.submit_report(institution=registry["a"], kind="gapjil", field="personnel", title="t", what="w", when="", where="")
    services.submit_report(institution=registry["b"], kind="gapjil", field="personnel", title="t", what="w", when="", where="")
    release.release()
    client.force_login(users["team_a"])
    response = client.get(reverse("reporting:statistics"))
    assert response.status_code == 200 and response.context["grand"] == 1
    client.force_login(users["analyst"])
    assert client.get(reverse("reporting:statistics")).context["grand"] == 2
    csv = client.get(reverse("reporting:statistics") + "?fmt=csv")
    assert csv.status_code == 200 and b"\xef\xbb\xbf" == b"".join(csv.streaming_content)[:3]


def test_a_reporters_file_downloads_through_the_attachment_path_never_cached_or_rendered(client, registry, users):
    """Downloads go through the one attachment path (integrity.web.encrypted_files.attachment):
    a reporter's evidence is kept in no cache, rendered by no browser, and its name is
    written as RFC 6266 asks (not as a MIME-encoded word no browser reads)."""
    submit(client, registry, files=[jpeg_with_gps()])
    report = Report.objects.get()
    client.force_login(users["team_a"])
    response = client.get(reverse("reporting:case_file", args=[report.pk, 1]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;") and "=?utf-8?" not in response["Content-Disposition"]
    assert "filename*=UTF-8''%EC%B2%A8%EB%B6%801.jpg" in response["Content-Disposition"]


def test_a_case_and_a_named_reporters_identity_are_kept_in_no_browser_cache(client, registry, users):
    """Only the case owner sees a named reporter's identity: the page that shows it (and
    the case itself) carries no-store, so a shared office computer keeps no copy."""
    submit(client, registry, named="on", name="홍길동", contact="010-1234-5678")
    report = Report.objects.get()
    client.force_login(users["team_a"])
    assert "no-store" in client.get(reverse("reporting:case", args=[report.pk]))["Cache-Control"]
    client.post(reverse("reporting:case_act", args=[report.pk]), {"action": "assign", "assignee": users["team_a"].pk})
    shown = client.post(reverse("reporting:case_identity", args=[report.pk]))
    assert "홍길동" in shown.content.decode() and "no-store" in shown["Cache-Control"]
def test_the_accepted_file_types_are_marked_for_translation_as_the_core_words_them():
    """The public form's list of accepted files is the core's text; the marked msgid must stay the same words."""
    from integrity.apps.reporting.public_views import ACCEPTED_MSGID
    from integrity.reporting.scrub import ACCEPTED_TEXT

    assert ACCEPTED_MSGID == ACCEPTED_TEXT


def test_a_cases_access_log_is_searched_filtered_and_paged(client, registry, users):
    """The whole log, not the latest fifty; each look at the page is itself one more row."""
    from integrity.web.listing import PER_PAGE

    from .listing_checks import count_line, get, rows_shown

    submit(client, registry)
    report = Report.objects.get()
    CaseAccess.objects.bulk_create([CaseAccess(report=report, user=users["admin"] if i < 5 else users["team_a"],
                                               action="viewed" if i % 2 else "asked", detail=f"기록 {i}")
                                    for i in range(PER_PAGE + 10)])
    client.force_login(users["team_a"])
    url = reverse("reporting:case", args=[report.pk])
    page = get(client, url)
    accesses = page[page.index('id="accesses"'):]
    assert rows_shown(accesses) == PER_PAGE and "다음 쪽" in accesses and "1 / 2쪽" in accesses
    assert count_line(PER_PAGE + 11, PER_PAGE + 11) in accesses
    assert count_line(5, PER_PAGE + 12) in get(client, url + "?user=admin")
    assert count_line(1, PER_PAGE + 13) in get(client, url + "?q=기록 17")
    assert count_line(PER_PAGE // 2 + 5 + 4, PER_PAGE + 14) in get(client, url + "?kind=read")  # 30 old + the 4 looks
    both = get(client, url + "?q=team_a&kind=change")
    assert count_line(sum(1 for i in range(5, PER_PAGE + 10) if i % 2 == 0), PER_PAGE + 15) in both
    assert "?q=%EA%B8%B0%EB%A1%9D&amp;sort=-at&amp;user=team_a&amp;page=2" in get(client, url + "?q=기록&user=team_a")
    assert "1 / 2쪽" in get(client, url + "?page=abc") and "2 / 2쪽" in get(client, url + "?page=9999")
