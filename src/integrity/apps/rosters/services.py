"""Roster uploads: accept a file, check it in the background, store it all or nothing."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from integrity.apps.audit.services import record
from integrity.apps.jobs.lease import LeaseLost, advance, held, running
from integrity.web.uploads import too_large_message
from integrity.apps.registry.models import Institution, TargetTask
from integrity.apps.schedule.enforce import upload_closed_message
from integrity.pii import PIICipher
from integrity.rosters import (
    EXCLUDED, FLAG, REASON, ROW, Problem, RegisteredBody, RosterContext, RosterRejected, check_roster, decrypt, get_form, read_sheet,
)

from .models import RosterEntry, RosterUpload, UploadStatus

BATCH = 10_000  # rows per insert and progress step


class UploadRefused(Exception):
    """The request itself is wrong (form not for this institution, file too large ...)."""


@lru_cache(maxsize=1)
def cipher() -> PIICipher:
    return PIICipher(settings.INTEGRITY_PII_KEY)


def active_entries():
    """Entries of accepted uploads only: an upload still being stored, or rejected,
    is never seen, which is what makes an upload all or nothing."""
    return RosterEntry.objects.filter(upload__status=UploadStatus.ACCEPTED)


def forms_for(institution: Institution) -> list[str]:
    """The forms this institution submits (seed III): policy-customer lists only where
    the type has a policy-customer evaluation; audit lists for public-service bodies."""
    codes = ["staff_2_1", "staffing_2_2"]
    if "policy" in institution.surveys:
        codes += ["experts_3_1", "stakeholders_3_2"]
    if institution.family != "public_service":
        codes.append("transferred_3_3")
    codes += ["disciplinary_4_1", "warnings_4_2"]
    if institution.family == "public_service":
        codes += ["audits_4_3", "audit_dispositions_4_4"]
    return codes


def start_upload(user, institution: Institution, form_code: str, task: TargetTask | None, data: bytes,
                 filename: str, password: str | None, sublisting: str = "", *, enqueue: bool = True) -> RosterUpload:
    """Record the upload and queue its check (``enqueue=False``: the caller runs
    ``process_upload`` itself, as the command line does to show progress)."""
    form = get_form(form_code)
    if form.per_task != (task is not None):
        raise UploadRefused("업무별 명부에는 측정대상업무를 골라야 하고, 다른 서식에는 고르지 않습니다")
    if task is not None and task.institution_id != institution.pk:
        raise UploadRefused("다른 기관의 업무입니다")
    if not form.per_task and form_code not in forms_for(institution):
        raise UploadRefused("이 기관이 내는 서식이 아닙니다")
    if (rotation := getattr(institution, "rotation", None)) is not None and not rotation.measured:
        raise UploadRefused(f"{institution.name}은(는) {institution.year.year}년 순환 측정에 들지 않아 명부를 받지 않습니다 "
                            f"(상급기관 {rotation.parent.name}의 올해 측정 대상이 아닙니다)")
    if closed := upload_closed_message(user, institution, form_code, form.title):
        raise UploadRefused(closed)  # past the due date without an extension (schedule app)
    if len(data) > settings.INTEGRITY_MAX_UPLOAD_BYTES:
        raise UploadRefused(too_large_message())
    upload = RosterUpload(
        institution=institution, form_code=form_code, task=task, sublisting=sublisting, uploaded_by=user,
        filename=filename[:255], file_sha256=hashlib.sha256(data).hexdigest(),
    )
    try:
        xlsx, notices = decrypt(data, password)  # the password is used here and forgotten
    except RosterRejected as exc:
        _reject(upload, exc.problems, user)
        return upload
    upload.notices = notices
    upload.payload = cipher().encrypt_bytes(xlsx)
    upload.stage = "점검 대기 중"
    upload.save()
    if enqueue:
        transaction.on_commit(lambda: _enqueue(upload.pk))
    return upload


def _enqueue(upload_id: int) -> None:
    from .tasks import process_upload_task

    result = process_upload_task.enqueue(upload_id)
    RosterUpload.objects.filter(pk=upload_id).update(task_result_id=result.id)


def fail_upload(upload: RosterUpload, message: str) -> None:
    """End an upload whose check or storing broke off: rejected with the message, its
    half-stored entries removed; the liaison can upload again."""
    RosterEntry.objects.filter(upload_id=upload.pk).delete()
    RosterUpload.objects.filter(pk=upload.pk).update(
        status=UploadStatus.REJECTED, payload=None, stage=message[:100], problem_count=1,
        problems=[{"row": None, "column": None, "message": message}], progress_done=upload.progress_total)
    record(None, "roster.failed", upload, f"{upload.institution.name} {upload.form_code}: {message}")


def _reject(upload: RosterUpload, problems: list[Problem], user) -> None:
    upload.status = UploadStatus.REJECTED
    upload.problems = [p.as_dict() for p in problems]
    upload.problem_count = len(problems)
    upload.payload = None
    upload.stage = ""
    upload.progress_done = upload.progress_total
    upload.save()
    RosterEntry.objects.filter(upload=upload).delete()
    record(user, "roster.rejected", upload, f"{upload.institution.name} {upload.form_code}: 오류 {len(problems)}건",
           problems=len(problems))


def _progress(upload: RosterUpload, done: int, stage: str, progress=None) -> None:
    advance(upload, progress_done=done, stage=stage)  # stops here if the upload was taken for dead
    if progress:
        progress(done, upload.progress_total, stage)


def context_for(upload: RosterUpload) -> RosterContext:
    institution, task = upload.institution, upload.task
    model = institution.year.model
    others = active_entries().filter(institution=institution, form_code=upload.form_code)
    if task is not None:
        others = others.exclude(task=task)
    else:
        others = others.none()  # duplicates across tasks concern the per-task rosters
    return RosterContext(
        fieldwork=model.fieldwork, family=institution.family, type_code=institution.type_code, staff=institution.staff,
        quota=task.quota if task else None, census=task.census if task else False,
        sublisting=upload.sublisting or None, sublisting_agreed=task.sublisting_agreed if task else False,
        other_phones=frozenset(others.exclude(phone_key=None).values_list("phone_key", flat=True)),
        other_emails=frozenset(others.exclude(email_key=None).values_list("email_key", flat=True)),
        match_key=cipher().match_key,
        institution_code=institution.code, institution_name=institution.name,
        registry=registry_of(institution.year) if get_form(upload.form_code).column("previous_code") else (),
        type_names={code: t.name for code, t in model.institution_types.items()},
    )


def registry_of(year) -> tuple[RegisteredBody, ...]:
    """The year's measured bodies, for resolving a former body (서식 3-3)."""
    return tuple(RegisteredBody(c, n, t) for c, n, t in
                 Institution.objects.filter(year=year).order_by("code").values_list("code", "name", "type_code"))


def process_upload(upload_id: int, progress=None) -> RosterUpload:
    # The stored file is read on its own when it is opened: not kept on the upload for the whole check.
    upload = RosterUpload.objects.select_related("institution__year", "task").defer("payload").get(pk=upload_id)
    # Claim the upload atomically: a retried task or a second worker changes nothing.
    if not RosterUpload.objects.filter(pk=upload.pk, status=UploadStatus.QUEUED).update(
            status=UploadStatus.RUNNING, heartbeat_at=timezone.now()):
        return upload
    with running(upload, fail_upload):
        _check_and_store(upload, progress)
    return upload


def _opened_file(upload: RosterUpload) -> bytes:
    """The workbook as uploaded (decrypted from where it waits), without keeping the
    encrypted copy alive beside it."""
    sealed = RosterUpload.objects.filter(pk=upload.pk).values_list("payload", flat=True).get()
    return cipher().decrypt_bytes(sealed)


def _check_and_store(upload: RosterUpload, progress) -> None:
    form = get_form(upload.form_code)
    _progress(upload, 5, "파일을 읽는 중", progress)
    try:
        sheet = read_sheet(_opened_file(upload), form)
    except RosterRejected as exc:
        _reject(upload, exc.problems, upload.uploaded_by)
        return
    _progress(upload, 20, f"{sheet.frame.height:,}행을 점검하는 중", progress)
    checked = check_roster(form, sheet, context_for(upload))
    upload.notices = upload.notices + checked.notices
    upload.row_count = checked.entries.height
    if not checked.accepted:
        _reject(upload, checked.problems, upload.uploaded_by)
        return
    try:
        _store(upload, form, checked.entries, progress)
    except RosterRejected as exc:
        _reject(upload, exc.problems, upload.uploaded_by)


def attribute_json(batch, keys: list[str]) -> list[str]:
    """The form's other columns of each row as a JSON object: dates as ISO text, blanks
    left out. Encoded by polars for the whole batch (a Python loop per row cost more
    than inserting the row); the keys are the forms' own identifiers."""
    import polars as pl

    if not keys:
        return ["{}"] * batch.height
    assert all(IDENTIFIER.fullmatch(k) for k in keys), keys  # what the null-stripping below relies on

    def as_text(key: str) -> pl.Expr:
        dtype = batch.schema[key]
        if dtype == pl.Date:
            return pl.col(key).dt.to_string("%Y-%m-%d")
        return pl.col(key).dt.to_string("%Y-%m-%dT%H:%M:%S") if dtype.is_temporal() else pl.col(key)

    encoded = (pl.struct([as_text(k) for k in keys]).struct.json_encode()
               .str.replace_all(r'"[a-z0-9_]+":null,?', "").str.replace(r",\}$", "}"))
    return batch.select(encoded).to_series().to_list()


IDENTIFIER = re.compile(r"[a-z0-9_]+")
ENTRY_COLUMNS = ("upload_id", "institution_id", "task_id", "form_code", "row_number", "name_enc", "phone_enc",
                 "email_enc", "phone_key", "email_key", "attributes", "excluded", "exclusion_reason", "flag")


def _insert(rows: list[tuple]) -> None:
    """Insert entry rows (ENTRY_COLUMNS order, attributes as JSON text). PostgreSQL takes them through COPY, other databases through one prepared
    INSERT run for every row (executemany), in one transaction: the ORM's bulk_create
    spent more time preparing values and SQL than the database took to store them.
    Both paths run in CI (the suite runs on SQLite and on PostgreSQL)."""
    table = connection.ops.quote_name(RosterEntry._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in ENTRY_COLUMNS)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(ENTRY_COLUMNS))})", rows)


def _entry_rows(upload: RosterUpload, batch, plain: list[str]) -> list[tuple]:
    """One batch of checked rows as entry rows: personal data encrypted, keyed hashes
    for duplicates, the other columns as JSON."""
    c = cipher()
    column = {k: batch[k].to_list() if k in batch.columns else [None] * batch.height
              for k in ("name", "phone", "email", ROW, EXCLUDED, REASON, FLAG)}
    fixed = (upload.pk, upload.institution_id, upload.task_id, upload.form_code)
    return list(zip(
        *[[v] * batch.height for v in fixed], column[ROW],
        c.encrypt_many(column["name"]), c.encrypt_many(column["phone"]), c.encrypt_many(column["email"]),
        c.match_keys(column["phone"]), c.match_keys(column["email"]),
        attribute_json(batch, plain), column[EXCLUDED],
        [v or "" for v in column[REASON]], [v or "" for v in column[FLAG]],
    ))


def _store(upload: RosterUpload, form, entries, progress) -> None:
    pii = set(form.pii_keys)
    plain = [c.key for c in form.columns if c.key not in pii and c.key in entries.columns]
    total = entries.height
    # A batch at a time, prepared (encrypted, hashed) then inserted in a short transaction
    # of its own: other writers (respondents' answers) wait at most one batch, and until
    # the upload is accepted its rows are seen by nobody (``active_entries``). Preparing
    # the next batch in a second thread did not pay: binding each row's values needs the
    # interpreter, so the two threads mostly took turns (storing/floor 1.72x serial
    # against 1.97x threaded, three runs each in turn, 2 cores under load).
    for start in range(0, total, BATCH):
        rows = _entry_rows(upload, entries.slice(start, BATCH), plain)
        done = min(start + BATCH, total)
        _insert(rows)
        _progress(upload, 30 + int(65 * done / max(total, 1)), f"저장하는 중 ({done:,}/{total:,}행)", progress)
    with transaction.atomic():
        # Still ours? A worker taken for dead must not accept what the reaper failed.
        if held(upload).select_for_update().values_list("pk", flat=True).first() is None:
            raise LeaseLost(f"RosterUpload #{upload.pk}")
        previous = RosterUpload.objects.select_for_update().filter(
            institution=upload.institution, form_code=upload.form_code, task=upload.task, status=UploadStatus.ACCEPTED
        ).exclude(pk=upload.pk)
        from integrity.apps.sampling.models import Draw

        if Draw.objects.filter(upload__in=previous, superseded_at__isnull=True).exists():
            raise RosterRejected([Problem("이미 표본을 추출한 명부는 바꿀 수 없습니다. 권익위 담당자에게 문의하세요")])
        replaced = list(previous.values_list("pk", flat=True))
        RosterEntry.objects.filter(upload_id__in=replaced).delete()
        previous.update(status=UploadStatus.SUPERSEDED)
        excluded = int(entries[EXCLUDED].sum())
        RosterUpload.objects.filter(pk=upload.pk).update(
            status=UploadStatus.ACCEPTED, payload=None, row_count=total, excluded_count=excluded,
            notices=upload.notices, progress_done=100, stage="",
        )
        record(upload.uploaded_by, "roster.accepted", upload,
               f"{upload.institution.name} {form.title}{' · ' + upload.task.name if upload.task else ''}: {total:,}행 접수",
               rows=total, excluded=excluded, replaced=replaced)


def department_plan(institution: Institution) -> dict:
    """Which departments go on the internal staff list (실시계획 III.2 예시 1): from the
    accepted staffing table (서식 2-2), by the k table and the interval method."""
    from integrity.sampling import interval_plan, select_departments
    from integrity.sampling.interval import Department

    plan = interval_plan(institution.year.model.fieldwork, institution.staff)
    if plan.whole_list:
        return {"plan": plan, "departments": None}
    table = active_entries().filter(institution=institution, form_code="staffing_2_2")
    rows = sorted((e.attributes for e in table), key=lambda a: a.get("order", 0))
    if not rows:
        return {"plan": plan, "departments": None}
    departments = [
        Department(f"{a.get('unit', '')} {a.get('department', '')}".strip(), int(a.get("current") or 0), a.get("audit_office") == "예")
        for a in rows
    ]
    chosen = select_departments(departments, plan.k, plan.list_size)
    return {"plan": plan, "departments": chosen, "total": sum(d.headcount for d in chosen)}
