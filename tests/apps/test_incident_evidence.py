"""Evidence files of cases: encrypted outside the web root, shown only to administrators
and the case's own liaison, as attachments, removed after the retention period."""

import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from integrity.apps.audit.models import AuditEntry
from integrity.apps.incidents.models import Case, Evidence, Source
from tests.incidents.evidence_samples import HTML, HWP, PDF


@pytest.fixture(autouse=True)
def evidence_dir(settings, tmp_path):
    settings.INTEGRITY_EVIDENCE_DIR = tmp_path / "evidence"
    return settings.INTEGRITY_EVIDENCE_DIR


@pytest.fixture
def case(registry):
    return Case.objects.create(year=registry["year"], institution=registry["a"], source=Source.DISCIPLINARY,
                               act_type="금품·향응수수", disposed_on=date(2017, 3, 1), detected_by="press")


def _file(data: bytes, name: str):
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def _upload(client, case, data=PDF, name="홍길동_징계의결서.pdf", kind="decision"):
    return client.post(reverse("incidents:evidence", args=[case.pk]), {"kind": kind, "file": _file(data, name)})


def test_liaison_uploads_evidence_for_its_own_case_stored_encrypted_with_a_random_name(client, users, case, evidence_dir):
    client.force_login(users["liaison_a"])
    assert _upload(client, case).status_code == 302
    evidence = Evidence.objects.get()
    stored = (evidence_dir / evidence.stored_name).read_bytes()
    assert PDF not in stored and b"%PDF" not in stored  # encrypted at rest
    assert "홍길동" not in evidence.stored_name and b"\xed\x99\x8d" not in bytes(evidence.name_enc)  # 홍 not in clear
    assert (evidence.file_type, evidence.size) == ("pdf", len(PDF))
    assert AuditEntry.objects.filter(action="evidence.added", target_id=str(evidence.pk)).exists()
    page = client.get(reverse("incidents:evidence", args=[case.pk])).content.decode()
    assert "홍길동_징계의결서.pdf" in page


def test_evidence_is_served_as_an_attachment_that_is_not_sniffed(client, users, case):
    client.force_login(users["liaison_a"])
    _upload(client, case, HWP, "처분요구서.hwp", "request")
    response = client.get(reverse("incidents:evidence_file", args=[Evidence.objects.get().pk]))
    assert response.status_code == 200 and response.content == HWP
    assert response["Content-Disposition"].startswith("attachment;")
    assert "UTF-8''%EC%B2%98%EB%B6%84" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff" and "no-store" in response["Cache-Control"]


def test_administrator_sees_and_uploads_evidence_of_any_case(client, users, case):
    client.force_login(users["admin"])
    assert _upload(client, case).status_code == 302
    assert client.get(reverse("incidents:evidence_file", args=[Evidence.objects.get().pk])).status_code == 200


def test_other_institutions_liaison_can_neither_see_nor_add_evidence(client, users, case):
    client.force_login(users["liaison_a"])
    _upload(client, case)
    evidence = Evidence.objects.get()
    client.force_login(users["liaison_b"])
    assert client.get(reverse("incidents:evidence", args=[case.pk])).status_code == 403
    assert client.get(reverse("incidents:evidence_file", args=[evidence.pk])).status_code == 403
    assert _upload(client, case).status_code == 403
    assert Evidence.objects.count() == 1


@pytest.mark.parametrize("role", ["analyst", "interviewer", "liaison_closed"])
def test_other_roles_get_no_evidence(client, users, case, role):
    client.force_login(users["admin"])
    _upload(client, case)
    client.force_login(users[role])
    assert client.get(reverse("incidents:evidence_file", args=[Evidence.objects.get().pk])).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, case):
    assert client.get(reverse("incidents:evidence", args=[case.pk])).status_code == 302


def test_evidence_whose_content_is_not_an_allowed_type_is_refused_in_korean(client, users, case):
    client.force_login(users["liaison_a"])
    response = _upload(client, case, HTML, "의결서.pdf")
    assert Evidence.objects.count() == 0
    page = client.get(response["Location"]).content.decode()
    assert "확장자만 바꾼 파일은 받지 않습니다" in page


def test_evidence_over_its_size_limit_is_refused_and_nothing_is_stored(client, users, case, settings, evidence_dir):
    settings.INTEGRITY_EVIDENCE_MAX_BYTES = 100
    client.force_login(users["liaison_a"])
    response = _upload(client, case, PDF + b"0" * 200)
    assert Evidence.objects.count() == 0 and not any(evidence_dir.glob("*"))
    assert "100 MB" not in (page := client.get(response["Location"]).content.decode()) and "너무 큽니다" in page


def test_evidence_past_retention_is_purged_by_the_command(client, users, case, settings, evidence_dir):
    settings.INTEGRITY_EVIDENCE_RETENTION_DAYS = 30
    client.force_login(users["liaison_a"])
    _upload(client, case)
    _upload(client, case, name="new.pdf")
    old, new = Evidence.objects.order_by("pk")
    Evidence.objects.filter(pk=old.pk).update(uploaded_at=timezone.now() - timedelta(days=31))
    out = io.StringIO()
    call_command("purge_evidence", "--dry-run", stdout=out)
    assert "1건" in out.getvalue() and Evidence.objects.count() == 2
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("purge_evidence", stdout=io.StringIO())
    assert list(Evidence.objects.all()) == [new]
    assert not (evidence_dir / old.stored_name).exists() and (evidence_dir / new.stored_name).exists()
    assert AuditEntry.objects.filter(action="evidence.purged").exists()


def test_evidence_directory_is_outside_anything_served():
    from pathlib import Path

    from integrity.web import settings_test as real  # as configured, not as this file's fixture overrides it

    directory = Path(real.INTEGRITY_EVIDENCE_DIR).resolve()
    served = [Path(real.STATIC_ROOT).resolve(), *(Path(p).resolve() for p in real.STATICFILES_DIRS)]
    assert not any(directory.is_relative_to(s) for s in served)
    assert directory.is_relative_to(Path(real.VAR_DIR).resolve())


def test_deleting_a_case_removes_its_evidence_files(client, users, case, evidence_dir):
    from django.test import TestCase

    client.force_login(users["liaison_a"])
    _upload(client, case)
    stored = evidence_dir / Evidence.objects.get().stored_name
    assert stored.exists()
    with TestCase.captureOnCommitCallbacks(execute=True):
        case.delete()
    assert not stored.exists() and Evidence.objects.count() == 0
