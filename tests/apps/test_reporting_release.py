"""청렴신문고's reports and answers wait sealed and are released together in random
order (docs/reporting.md, "Waiting for release"): what an SQL reader can tell of when a
report or an answer came."""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from integrity.apps.reporting import release, services
from integrity.apps.reporting.models import Attachment, Message, PendingItem, ReleaseDay, Report
from integrity.reporting import sealed
from tests.apps.test_reporting import ADDRESS, AGENT, follow, registry_team_user, submit
from tests.reporting.samples import jpeg_with_gps

CASE_TABLES = ("reporting_report", "reporting_message", "reporting_attachment")


def _report(registry, title="신고", **extra):
    return services.submit_report(institution=registry["a"], kind="corruption", field="contracts", title=title,
                                  what="내용", when="", where="", **extra)


def _noise_png(side: int) -> bytes:
    import io
    import os

    from PIL import Image

    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(out, "PNG")
    return out.getvalue()


def _rows(table, extra=""):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {extra}* FROM {connection.ops.quote_name(table)}")
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]


def _physical_order(table) -> list:
    """The table's ids in the order its rows lie (rowid on SQLite, ctid on PostgreSQL)."""
    order = "rowid" if connection.vendor == "sqlite" else "ctid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {connection.ops.quote_name(table)} ORDER BY {order}")
        return [str(row[0]).replace("-", "") for row in cursor.fetchall()]


def test_no_row_of_a_case_exists_until_the_release(client, registry):
    code, passphrase, _ = submit(client, registry, files=[jpeg_with_gps()], release_now=False)
    assert [len(_rows(t)) for t in CASE_TABLES] == [0, 0, 0] and PendingItem.objects.count() == 1
    assert release.release() == 1 and not PendingItem.objects.exists()
    report = Report.objects.get()
    assert report.attachments.count() == 1 and report.received_on == services.today_coarse()
    services.ask(report, registry_team_user(registry), "언제였나요?")
    page = follow(client, code, passphrase).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    photo = __import__("io").BytesIO(jpeg_with_gps())
    photo.name = "p.jpg"
    answer = client.post(reverse("reporting:follow_reply"), {"token": token, "body": "지난주입니다.", "attachments": [photo]},
                         REMOTE_ADDR=ADDRESS)
    assert "지난주입니다." in answer.content.decode() and "다음 일괄 접수" in answer.content.decode()
    assert not Message.objects.filter(side="reporter").exists() and Attachment.objects.count() == 1
    assert release.release() == 1
    reply = Message.objects.get(side="reporter")
    assert reply.seq == 2 and reply.sent_on == services.today_coarse() and reply.author is None
    assert [a.number for a in reply.attachments.all()] == [2]
    assert "지난주입니다." in follow(client, code, passphrase).content.decode()


@pytest.mark.django_db(transaction=True)
def test_released_rows_lie_in_an_order_independent_of_the_submissions(registry, settings):
    """20 reports, each committed on its own, then a release: the rows' physical order
    is not the order of submission, and on PostgreSQL every released row (reports,
    answers, files) carries the one transaction id of the release."""
    settings.INTEGRITY_REPORT_RELEASE_BATCH = 100  # no batch release on the way: one release of all 20
    receipts = [_report(registry, title=f"신고 {i:02}", files=[jpeg_with_gps()] if i % 4 == 0 else ())
                for i in range(20)]
    assert not Report.objects.exists()
    assert release.release() == 20
    by_id = {r.pk.hex: services.content(r)["title"] for r in Report.objects.all()}
    physical = [by_id[pk] for pk in _physical_order("reporting_report")]
    assert sorted(physical) == [f"신고 {i:02}" for i in range(20)] and physical != sorted(physical)
    reports = [services.find_report(r.code, r.passphrase) for r in receipts[:12]]
    for i, report in enumerate(reports):
        services.reporter_message(report, f"답변 {i:02}")
    release.release()
    answers = {m.pk.hex: services.thread(m.report)[-1]["body"] for m in Message.objects.all()}
    physical = [answers[pk] for pk in _physical_order("reporting_message")]
    assert physical != sorted(physical)
    if connection.vendor == "postgresql":
        # reports and files: the first release's transaction; answers: the second's
        xmins = {table: {row["xmin"] for row in _rows(table, "xmin, ")} for table in CASE_TABLES}
        assert [len(x) for x in xmins.values()] == [1, 1, 1]
        assert xmins["reporting_report"] == xmins["reporting_attachment"] != xmins["reporting_message"]


def test_the_pool_holds_nothing_in_clear_that_the_released_row_carries(registry):
    _report(registry, identity={"name": "홍길동", "contact": "010-1234-5678"}, files=[jpeg_with_gps()])
    pending = _rows("reporting_pendingitem")
    assert [set(row) for row in pending] == [{"id", "sealed"}]
    blob = bytes(pending[0]["sealed"])
    release.release()
    report = Report.objects.get()
    attachment = report.attachments.get()
    released = [*_rows("reporting_report")[0].values(), *_rows("reporting_attachment")[0].values()]
    for value in released:
        if value is None or isinstance(value, bool):
            continue
        raw = bytes(value) if isinstance(value, (bytes, memoryview)) else str(value).encode()
        assert raw != blob and str(value) != str(pending[0]["id"]), value
        if len(raw) >= 6:
            assert raw not in blob, value
    for clear in (report.lookup_id, report.received_on.isoformat(), report.due_on.isoformat(), registry["a"].code,
                  "홍길동", "corruption", "contracts"):
        assert clear.encode() not in blob, clear
    assert bytes(report.verifier) not in blob and bytes(attachment.data_enc)[:16] not in blob


def test_waiting_items_are_padded_to_size_classes(registry):
    _report(registry, title="짧음")
    services.submit_report(institution=registry["b"], kind="gapjil", field="personnel", title="가" * 200,
                           what="나" * 5000, when="다" * 200, where="라" * 200, identity={"name": "김" * 50, "contact": "1" * 100})
    _report(registry, files=[jpeg_with_gps()])
    _report(registry, files=[_noise_png(300)])  # ~270 kB of pixels no encoder can shrink
    sizes = sorted(len(bytes(blob)) for blob in PendingItem.objects.values_list("sealed", flat=True))
    assert sizes[:2] == [sealed.MIN_BUCKET] * 2  # a short and the longest text: the same size
    assert all(size & (size - 1) == 0 and size >= sealed.MIN_BUCKET for size in sizes)
    assert sizes[-1] > sealed.MIN_BUCKET


def test_a_full_batch_is_released_by_the_submission_that_fills_it(registry, settings, django_capture_on_commit_callbacks):
    settings.INTEGRITY_REPORT_RELEASE_BATCH = 3
    with django_capture_on_commit_callbacks(execute=True):
        _report(registry)
        _report(registry)
    assert not Report.objects.exists() and PendingItem.objects.count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        _report(registry)
    assert Report.objects.count() == 3 and not PendingItem.objects.exists()


def test_the_daily_release_runs_once_a_day_from_the_release_hour(registry, settings):
    settings.INTEGRITY_REPORT_RELEASE_HOUR = 6
    day = timezone.make_aware(datetime(2026, 11, 3, 5, 0))
    _report(registry)
    assert release.release_due(day) == 0  # before the hour: waits (not a full batch)
    assert release.release_due(day + timedelta(hours=1)) == 1  # the day's release
    assert list(ReleaseDay.objects.values_list("day", flat=True)) == [date(2026, 11, 3)]
    _report(registry)
    assert release.release_due(day + timedelta(hours=9)) == 0  # already released today: not alone now
    assert release.release_due(day + timedelta(hours=25)) == 1  # the next day's
    assert ReleaseDay.objects.count() == 1
    assert release.next_release(day) == day + timedelta(hours=1)
    assert release.next_release(day + timedelta(hours=1)) == day + timedelta(hours=25)


def test_the_command_releases_everything_with_all(registry, capsys):
    _report(registry)
    call_command("release_reports")
    assert Report.objects.count() in (0, 1)  # the daily release may be due now
    call_command("release_reports", "--all")
    assert Report.objects.count() == 1 and "접수" in capsys.readouterr().out


def test_several_answers_keep_their_order(client, registry):
    code, passphrase, _ = submit(client, registry)
    page = follow(client, code, passphrase).content.decode()
    for body in ("첫째", "둘째", "셋째"):
        token = re.search(r'name="token" value="([^"]+)"', page).group(1)
        page = client.post(reverse("reporting:follow_reply"), {"token": token, "body": body}, REMOTE_ADDR=ADDRESS).content.decode()
    release.release()
    assert [m.seq for m in Message.objects.order_by("seq")] == [1, 2, 3]
    assert [t["body"] for t in services.thread(Report.objects.get())] == ["첫째", "둘째", "셋째"]


def test_the_receipt_says_when_the_report_becomes_visible_and_a_waiting_code_is_told_why(client, registry):
    code, passphrase, response = submit(client, registry, release_now=False)
    html = response.content.decode()
    assert "다음 일괄 접수" in html and "시쯤" in html and "기관 담당자가 볼 수 있고" in html
    waiting = follow(client, code, passphrase).content.decode()
    unknown = follow(client, "AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA", passphrase).content.decode()
    strip = lambda h: re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", h)  # noqa: E731
    assert strip(waiting) == strip(unknown)  # nothing tells a waiting code from a wrong one
    assert "하루 한 번의 일괄 접수 뒤에" in waiting
    release.release()
    assert "계약 특혜 의혹" in follow(client, code, passphrase).content.decode()


def test_an_sql_reader_finds_neither_the_network_nor_a_hash_of_it_secret_key_alone_recomputes(client, registry, settings):
    """After a submission and a follow-up: every column of every table, read in SQL."""
    code, passphrase, _ = submit(client, registry, release_now=False)
    follow(client, code, passphrase)
    network = "203.0.113"
    key = settings.SECRET_KEY.encode()

    def keyed(text):
        return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()

    sources = [network, keyed("net\0" + network)[:32]]  # as typed, and as the sign-in guard hashes it
    candidates = {network, *(s for s in sources[1:])}
    for scope in ("report-submit", "report-follow"):
        candidates |= {keyed(f"{scope}\0{source}")[:40] for source in sources}
    seen = []
    for table in connection.introspection.table_names():
        for row in _rows(table):
            for value in row.values():
                seen.append(bytes(value).decode("latin-1") if isinstance(value, (bytes, memoryview)) else str(value))
    text = "\n".join(seen)
    assert not [c for c in candidates if c in text]
    assert ADDRESS not in text and AGENT not in text


def test_an_unreadable_item_does_not_hold_back_the_others(registry, caplog):
    """A blob sealed with a key since rotated (how reports are purged) is dropped, logged
    without content; the release goes on."""
    from integrity.pii import PIICipher, new_key

    PendingItem.objects.create(sealed=PIICipher(new_key()).encrypt_bytes(sealed.frame({"type": "report"}, [], overhead=28)))
    _report(registry)
    assert release.release() == 2
    assert Report.objects.count() == 1 and not PendingItem.objects.exists()
    assert "버립니다" in caplog.text


def test_handlers_hear_of_new_cases_at_the_release_with_counts_only(client, registry, mailoutbox,
                                                                     django_capture_on_commit_callbacks):
    """The integrity team of each institution gets one e-mail per release that brought it
    something (counts of new reports and answers, a link to the case list) — at the
    release, never at the submission, and never with a report's words."""
    from django.contrib.auth import get_user_model

    from integrity.apps.accounts.models import Profile, Role

    def member(name, body, email):
        user = get_user_model().objects.create_user(name, password="x", email=email)
        Profile.objects.create(user=user, role=Role.INTEGRITY_TEAM, institution=body)

    member("team_a1", registry["a"], "a1@example.kr")
    member("team_a2", registry["a"], "")  # no address: skipped
    member("team_b1", registry["b"], "b1@example.kr")
    code, passphrase, _ = submit(client, registry, release_now=False)
    _report(registry, title="두 번째 신고 제목")
    services.submit_report(institution=registry["b"], kind="corruption", field="contracts", title="누리시 신고",
                           what="비밀 내용", when="", where="")
    assert mailoutbox == []  # nothing at the submission
    with django_capture_on_commit_callbacks(execute=True):
        assert release.release() == 3
    letters = {m.to[0]: m for m in mailoutbox}
    assert set(letters) == {"a1@example.kr", "b1@example.kr"}
    assert "새 신고 2건" in letters["a1@example.kr"].subject and "새 신고 1건" in letters["b1@example.kr"].subject
    assert reverse("reporting:cases") in letters["a1@example.kr"].body
    for words in ("두 번째 신고 제목", "누리시 신고", "비밀 내용", "계약"):
        assert all(words not in m.subject + m.body for m in mailoutbox)

    mailoutbox.clear()
    page = follow(client, code, passphrase).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    client.post(reverse("reporting:follow_reply"), {"token": token, "body": "추가로 알립니다."}, REMOTE_ADDR=ADDRESS)
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        assert release.release() == 1
    assert [(m.to, m.subject) for m in mailoutbox] == [(["a1@example.kr"], "[청렴신문고] 신고자 답변 1건")]
