"""Incidents into deductions: scope rules applied, cases per institution, one frame."""

from __future__ import annotations

from datetime import date

import polars as pl

from integrity.apps.audit.services import record
from integrity.apps.rosters.models import RosterUpload, UploadStatus
from integrity.incidents import CaseFacts, Decision, decide
from integrity.scoring.deductions import DEDUCTION_COLUMNS

from .models import Case, CredibilityCase, Rebuttal, Source

# Grade on the form -> position class of the formula (4급 이상 고위직, 5-6급 중간, 7급 이하 하위)
POSITION_BY_GRADE = ((4, "senior"), (6, "middle"), (99, "junior"))


def position_of(grade: str) -> str:
    import re

    if "정무직" in (grade or ""):
        return "political"
    match = re.search(r"(\d+)\s*급", grade or "")
    if not match:
        return "senior" if "고위" in (grade or "") else "private" if grade in ("퇴직자", "공무수행사인") else "junior"
    number = int(match.group(1))
    return next(p for limit, p in POSITION_BY_GRADE if number <= limit)


def decision_of(case: Case, rules=None) -> Decision:
    """How a case counts, by the incident rules given (a scoring run's model) or the year's."""
    rules = rules or case.year.model.incidents
    return decide(rules, CaseFacts(
        act_type=case.act_type, detected_by=case.detected_by, disciplined_at=case.institution.code,
        acted_at=case.acted_at.code if case.acted_at else "", disposed_on=case.disposed_on,
        redisposed_on=case.redisposed_on, acted_on=case.acted_on, major=case.major,
        seconded_from=case.seconded_from.code if case.seconded_from else "", counterpart=case.counterpart,
        category=case.category, public_service=case.institution.family == "public_service",
        rebuttal_accepted=case.rebuttal == Rebuttal.ACCEPTED, political=case.position == "political",
        prior_year=case.prior_year, new_facts_on=case.new_facts_on,
    ))


def import_from_rosters(year, actor) -> int:
    """Cases from the accepted incident lists (서식 4-1, 4-2, 4-4) of the year."""
    labels = year.model.incidents.detection_labels
    made = 0
    uploads = RosterUpload.objects.filter(institution__year=year, status=UploadStatus.ACCEPTED,
                                          form_code__in=("disciplinary_4_1", "warnings_4_2", "audit_dispositions_4_4"))
    for upload in uploads.select_related("institution"):
        source = Source.AUDIT if upload.form_code == "audit_dispositions_4_4" else Source.DISCIPLINARY
        Case.objects.filter(year=year, institution=upload.institution, source=source, note__startswith="서식").delete()
        for entry in upload.entries.all():
            a = entry.attributes
            detected = a.get("detected_by") or a.get("auditor") or ""
            Case.objects.create(
                year=year, institution=upload.institution, source=source, act_type=a.get("act_type", ""),
                acted_on=_date(a.get("acted_on")), disposed_on=_date(a.get("disposed_on")),
                disposition=a.get("disposition", "") or a.get("kind", ""), position=position_of(a.get("grade", "")),
                amount=a.get("amount"), detected_by=labels.get(detected, "audit_board" if detected == "감사원" else "self"),
                note=f"서식 {upload.form_code} {entry.row_number}행", created_by=actor,
            )
            made += 1
    record(actor, "incidents.imported", year, f"{year} 부패사건 {made}건을 제출 목록에서 가져옴", cases=made)
    return made


def _date(text):
    return date.fromisoformat(text) if text else None


def deductions_frame(year) -> pl.DataFrame:
    """The year's deductions in the interchange format: counted incidents (each
    attributed institution a row) and credibility cases."""
    rows = []
    staff = dict(year.institutions.values_list("code", "staff"))
    for case in Case.objects.filter(year=year).select_related("institution", "acted_at", "seconded_from", "year"):
        decision = decision_of(case)
        if not decision.counts:
            continue
        for code in decision.institutions:  # each attributed body at its own size
            rows.append({"institution": code, "kind": "incident", "category": decision.category,
                         "points": case.committee_points, "position": case.position or "junior", "amount": case.amount,
                         "people": case.people, "detection": case.detected_by, "note": f"사건 #{case.pk}",
                         "index_kind": decision.index, "staff": staff.get(code), "habitual": case.habitual,
                         "ripple": case.ripple or None, "recount": decision.recount})
    for c in CredibilityCase.objects.filter(year=year).select_related("institution"):
        rows.append({"institution": c.institution.code, "kind": "credibility", "violation": c.violation, "points": c.points,
                     "grade_down": c.grade_down or None, "void": c.void or None, "note": c.note})
    return pl.DataFrame([{k: r.get(k) for k in DEDUCTION_COLUMNS} for r in rows], schema=DEDUCTION_COLUMNS)
