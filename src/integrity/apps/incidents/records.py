"""The commission's own disposition records: read from Excel or CSV with the columns of
integrity/incidents/records_form.yaml, checked (row and column named, in Korean), stored
all or nothing, and cross-checked against the lists the institutions submitted."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import polars as pl
import yaml
from django.conf import settings
from django.db import transaction

from integrity.apps.audit.services import record
from integrity.apps.rosters.services import active_entries, cipher
from integrity.incidents import crosscheck
from integrity.rosters import Column, Form, Problem, RosterContext, RosterRejected, check_roster
from integrity.rosters.workbook import ROW, read_form_file

from .models import CommissionRecord, Finding, RecordImport

FORM_FILE = Path(__file__).resolve().parents[2] / "incidents" / "records_form.yaml"
SUBMITTED_FORMS = ("disciplinary_4_1", "warnings_4_2")  # 서식 4-1, 4-2: the lists the records are checked against


@lru_cache(maxsize=1)
def records_form() -> Form:
    spec = yaml.safe_load(FORM_FILE.read_text(encoding="utf-8"))["form"]
    columns = tuple(Column(key=c["key"], header=c["header"], type=c["type"], required=bool(c.get("required")),
                           pii=bool(c.get("pii")), choices=tuple(c.get("choices") or ()),
                           aliases=tuple(c.get("aliases") or ()), max_length=c.get("max_length"))
                    for c in spec["columns"])
    return Form(code=spec["code"], title=spec["title"], sheet=spec["sheet"], columns=columns, rules=tuple(spec["rules"]))


def person_key(name: str | None) -> str | None:
    """Keyed hash of a name without its spaces: how a name is matched, never stored in clear."""
    text = "".join((name or "").split())
    return cipher().match_key(text) if text else None


def read_records(year, file_name: str, data: bytes, password: str | None = None) -> pl.DataFrame:
    """The checked rows, or ``RosterRejected`` listing every fault with row and column."""
    if len(data) > settings.INTEGRITY_MAX_UPLOAD_BYTES:
        raise RosterRejected([Problem(f"파일이 너무 큽니다. {settings.INTEGRITY_MAX_UPLOAD_BYTES / 1_000_000:g} MB까지 "
                                      "올릴 수 있습니다")])
    form = records_form()
    sheet = read_form_file(data, file_name, form, password)
    checked = check_roster(form, sheet, RosterContext(fieldwork=year.model.fieldwork))
    problems = list(checked.problems)
    codes = set(year.institutions.values_list("code", flat=True))
    if not problems:
        header = sheet.headers.get("institution", "기관코드")
        for row, code in zip(checked.entries[ROW], checked.entries["institution"]):
            if code not in codes:
                problems.append(Problem(f"{year.year}년 등록부에 없는 기관코드입니다 (값: {code})", row, header))
    if problems:
        raise RosterRejected(problems)
    return checked.entries


@transaction.atomic
def import_records(year, file_name: str, data: bytes, actor, password: str | None = None) -> RecordImport:
    """Replace the year's records with the file's (nothing stored if any row is wrong)
    and run the cross-check."""
    entries = read_records(year, file_name, data, password)
    institutions = dict(year.institutions.values_list("code", "pk"))
    RecordImport.objects.filter(year=year).delete()
    batch = RecordImport.objects.create(year=year, file_name=file_name[:200], rows=entries.height, imported_by=actor)
    c = cipher()
    rows = entries.to_dicts()
    names = c.encrypt_many([r.get("name") for r in rows])
    CommissionRecord.objects.bulk_create([
        CommissionRecord(batch=batch, institution_id=institutions[r["institution"]], row_number=r[ROW],
                         disposed_on=r["disposed_on"], act_type=r["act_type"], disposition=r["disposition"],
                         grade=r.get("grade") or "", acted_on=r.get("acted_on"), amount=r.get("amount"),
                         name_enc=enc, name_key=person_key(r.get("name")))
        for r, enc in zip(rows, names)
    ], batch_size=1000)
    record(actor, "crosscheck.records_imported", batch, f"{year.year}년 위원회 처분자료 {entries.height}건 ({file_name})",
           rows=entries.height)
    run_crosscheck(year, actor)
    return batch


def _submitted(year) -> list[crosscheck.Disposition]:
    from datetime import date

    c = cipher()
    out = []
    entries = active_entries().filter(institution__year=year, form_code__in=SUBMITTED_FORMS).select_related("institution")
    for entry in entries.order_by("pk"):
        a = entry.attributes
        disposed = a.get("disposed_on")
        out.append(crosscheck.Disposition(
            ref=(entry.form_code, entry.row_number, entry.pk), institution=entry.institution.code,
            disposed_on=date.fromisoformat(disposed) if disposed else None, act_type=a.get("act_type") or "",
            disposition=a.get("disposition") or "", person=person_key(c.decrypt(entry.name_enc))))
    return out


FORM_LABELS = {"disciplinary_4_1": "서식 4-1", "warnings_4_2": "서식 4-2"}


@transaction.atomic
def run_crosscheck(year, actor) -> dict[str, int]:
    """Findings afresh from the stored records and the accepted lists; findings already
    turned into credibility cases are kept and not found again."""
    records = list(CommissionRecord.objects.filter(batch__year=year).select_related("institution"))
    by_id = {r.pk: r for r in records}
    dispositions = [crosscheck.Disposition(ref=r.pk, institution=r.institution.code, disposed_on=r.disposed_on,
                                           act_type=r.act_type, disposition=r.disposition, person=r.name_key)
                    for r in records]
    findings = crosscheck.cross_check(dispositions, _submitted(year))
    Finding.objects.filter(year=year, credibility_case__isnull=True).delete()
    decided = set(Finding.objects.filter(year=year).values_list("key", flat=True))
    institutions = dict(year.institutions.values_list("code", "pk"))
    made = []
    counts = {crosscheck.OMISSION: 0, crosscheck.MISMATCH: 0, crosscheck.EXTRA: 0}
    for f in findings:
        if f.kind == crosscheck.MATCHED or f.key in decided:
            continue
        counts[f.kind] += 1
        shown = f.record or f.submitted
        made.append(Finding(
            year=year, institution_id=institutions[f.institution], kind=f.kind,
            record=by_id.get(f.record.ref) if f.record else None,
            submitted_row=f"{FORM_LABELS[f.submitted.ref[0]]} {f.submitted.ref[1]}행" if f.submitted else "",
            disposed_on=shown.disposed_on, act_type=shown.act_type, disposition=shown.disposition[:100],
            detail=crosscheck.describe(f)[:300], key=f.key))
    Finding.objects.bulk_create(made, batch_size=1000)
    record(actor, "crosscheck.run", year, f"{year.year}년 처분자료 대조: 누락 {counts['omission']}건, "
           f"불일치 {counts['mismatch']}건, 추가 {counts['extra']}건", **counts)
    return counts
