"""The institution's registers: 부정청탁 and one-strike-out (each entry can go to the
incidents register), and the citizen auditors with their activities and findings."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from integrity.apps.accounts.roles import require_role
from integrity.apps.audit.services import record
from integrity.apps.rosters.services import cipher
from integrity.model.names import english
from integrity.reporting import rules
from integrity.web.listing import Filter, paged_list

from . import services
from .access import HANDLERS, check_institution, own_code, scope
from .forms import ActivityForm, AuditorForm, OneStrikeForm, SolicitationForm
from .models import AuditorActivity, AuditorFinding, CitizenAuditor, OneStrikeEntry, SolicitationEntry


def _english(request) -> bool:
    return english(getattr(request, "LANGUAGE_CODE", None))


def _options(section: str, english: bool) -> list[tuple[str, str]]:
    return [(t.code, t.name_en if english else t.name) for t in rules.terms(section).values()]


def _secret(blob) -> dict:
    return json.loads(cipher().decrypt(blob)) if blob else {}


def _seal(payload: dict) -> bytes:
    return cipher().encrypt(json.dumps(payload, ensure_ascii=False))


def _own_institution(user):
    return user.profile.institution if own_code(user) else None


# --- 부정청탁 -------------------------------------------------------------------------------

@require_role(*HANDLERS)
def solicitations(request):
    english = _english(request)
    rows = [{"entry": e, "who": _secret(e.solicitor_enc), "method": rules.name_of("solicitation_methods", e.method, english),
             "field": rules.name_of("fields", e.field, english),
             "handling": rules.name_of("solicitation_handling", e.handling, english)}
            for e in scope(SolicitationEntry.objects.select_related("institution", "incident"), request.user)]
    listing = paged_list(
        request, rows, text=lambda r: f"{r['who'].get('name', '')} {r['who'].get('affiliation', '')} {r['entry'].official} "
                                      f"{r['entry'].content} {r['entry'].institution.name}",
        filters=[Filter("field", _("분야"), _options("fields", english),
                        lambda r, v: r["entry"].field == v),
                 Filter("handling", _("처리"), _options("solicitation_handling", english),
                        lambda r, v: r["entry"].handling == v)],
        sorts={"date": (_("청탁 일시"), lambda r: r["entry"].solicited_on)}, default_sort="-date")
    return render(request, "reporting/solicitations.html", {"listing": listing})


def _solicitation_form_page(request, entry=None):
    initial = {}
    if entry is not None:
        who = _secret(entry.solicitor_enc)
        initial = {"solicitor_name": who.get("name", ""), "solicitor_affiliation": who.get("affiliation", ""),
                   "solicitor_contact": who.get("contact", "")}
    form = SolicitationForm(request.POST or None, instance=entry, initial=initial, user_code=own_code(request.user))
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = form.save(commit=False)
            if entry is None:
                saved.institution = _own_institution(request.user) or form.cleaned_data["institution"]
                saved.created_by = request.user
            check_institution(request.user, saved.institution)
            saved.solicitor_enc = _seal({"name": form.cleaned_data["solicitor_name"].strip(),
                                         "affiliation": form.cleaned_data["solicitor_affiliation"].strip(),
                                         "contact": form.cleaned_data["solicitor_contact"].strip()})
            saved.save()
            record(request.user, "reporting.solicitation", saved, f"부정청탁 등록부 #{saved.pk} {'수정' if entry else '등록'}")
        messages.success(request, _("저장했습니다."))
        return redirect("reporting:solicitation", entry_id=saved.pk)
    return render(request, "reporting/register_form.html", {
        "form": form, "entry": entry, "title": _("부정청탁 등록"), "back": "reporting:solicitations",
        "to_incident": "reporting:solicitation_incident"}, status=400 if request.method == "POST" else 200)


@require_role(*HANDLERS)
def solicitation_new(request):
    return _solicitation_form_page(request)


@require_role(*HANDLERS)
def solicitation(request, entry_id):
    entry = get_object_or_404(SolicitationEntry.objects.select_related("institution", "incident"), pk=entry_id)
    check_institution(request.user, entry.institution)
    return _solicitation_form_page(request, entry)


@require_role(*HANDLERS)
@require_POST
def solicitation_incident(request, entry_id):
    entry = get_object_or_404(SolicitationEntry, pk=entry_id)
    check_institution(request.user, entry.institution)
    return _to_incident(request, entry, "reporting:solicitation")


def _to_incident(request, entry, back):
    try:
        case = services.register_to_incident(entry, request.user)
    except services.CaseError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("부패사건 대장에 올렸습니다 (%(year)s년, %(act)s).") % {"year": case.year.year,
                                                                                  "act": case.act_type})
    return redirect(back, entry_id=entry.pk)


# --- 원스트라이크 아웃 ----------------------------------------------------------------------

@require_role(*HANDLERS)
def one_strike(request):
    english = _english(request)
    threshold = settings.INTEGRITY_ONE_STRIKE_THRESHOLD
    rows = [{"entry": e, "who": _secret(e.official_enc), "outcome": rules.name_of("disciplinary_outcomes", e.outcome, english),
             "gap": rules.one_strike_gap(e.amount, threshold, e.outcome)}
            for e in scope(OneStrikeEntry.objects.select_related("institution", "incident"), request.user)]
    listing = paged_list(
        request, rows, text=lambda r: f"{r['who'].get('name', '')} {r['entry'].department} {r['entry'].description} "
                                      f"{r['entry'].institution.name}",
        filters=[Filter("flagged", _("배제징계 대상"), [("yes", _("대상")), ("no", _("대상 아님"))],
                        lambda r, v: r["entry"].flagged == (v == "yes")),
                 Filter("outcome", _("징계 결과"), _options("disciplinary_outcomes", english),
                        lambda r, v: r["entry"].outcome == v),
                 Filter("gap", _("배제징계 미흡"), [("yes", _("사유 확인 필요"))], lambda r, v: r["gap"])],
        sorts={"date": (_("행위일"), lambda r: r["entry"].acted_on), "amount": (_("금액"), lambda r: r["entry"].amount)},
        default_sort="-date")
    return render(request, "reporting/one_strike.html", {"listing": listing, "threshold": threshold})


def _one_strike_form_page(request, entry=None):
    initial = {"official_name": _secret(entry.official_enc).get("name", "")} if entry is not None else {}
    form = OneStrikeForm(request.POST or None, instance=entry, initial=initial, user_code=own_code(request.user))
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = form.save(commit=False)
            if entry is None:
                saved.institution = _own_institution(request.user) or form.cleaned_data["institution"]
                saved.created_by = request.user
            check_institution(request.user, saved.institution)
            saved.official_enc = _seal({"name": form.cleaned_data["official_name"].strip()})
            services.set_one_strike_flag(saved)
            saved.save()
            record(request.user, "reporting.one_strike", saved,
                   f"원스트라이크 아웃 등록부 #{saved.pk} {'수정' if entry else '등록'}"
                   f"{' (배제징계 대상)' if saved.flagged else ''}")
        messages.success(request, _("저장했습니다."))
        return redirect("reporting:one_strike_entry", entry_id=saved.pk)
    gap = entry is not None and rules.one_strike_gap(entry.amount, settings.INTEGRITY_ONE_STRIKE_THRESHOLD, entry.outcome)
    return render(request, "reporting/register_form.html", {
        "form": form, "entry": entry, "title": _("원스트라이크 아웃 등록"), "back": "reporting:one_strike",
        "to_incident": "reporting:one_strike_incident", "threshold": settings.INTEGRITY_ONE_STRIKE_THRESHOLD,
        "gap": gap}, status=400 if request.method == "POST" else 200)


@require_role(*HANDLERS)
def one_strike_new(request):
    return _one_strike_form_page(request)


@require_role(*HANDLERS)
def one_strike_entry(request, entry_id):
    entry = get_object_or_404(OneStrikeEntry.objects.select_related("institution", "incident"), pk=entry_id)
    check_institution(request.user, entry.institution)
    return _one_strike_form_page(request, entry)


@require_role(*HANDLERS)
@require_POST
def one_strike_incident(request, entry_id):
    entry = get_object_or_404(OneStrikeEntry, pk=entry_id)
    check_institution(request.user, entry.institution)
    return _to_incident(request, entry, "reporting:one_strike_entry")


# --- 시민감사관 ---------------------------------------------------------------------------

@require_role(*HANDLERS)
def auditors(request):
    english = _english(request)
    rows = [{"auditor": a, "name": cipher().decrypt(a.name_enc), "kind": rules.name_of("auditor_kinds", a.kind, english),
             "fields": ", ".join(rules.name_of("fields", f, english) for f in a.fields),
             "activities": a.activities.count()}
            for a in scope(CitizenAuditor.objects.select_related("institution"), request.user)]
    listing = paged_list(
        request, rows, text=lambda r: f"{r['name']} {r['kind']} {r['fields']} {r['auditor'].institution.name}",
        filters=[Filter("kind", _("구분"), _options("auditor_kinds", english),
                        lambda r, v: r["auditor"].kind == v),
                 Filter("active", _("활동"), [("yes", _("활동 중")), ("no", _("활동 끝"))],
                        lambda r, v: r["auditor"].active == (v == "yes"))],
        sorts={"term": (_("임기"), lambda r: r["auditor"].term_start)}, default_sort="-term")
    return render(request, "reporting/auditors.html", {"listing": listing})


def _auditor_form_page(request, auditor=None):
    initial = {}
    if auditor is not None:
        initial = {"name": cipher().decrypt(auditor.name_enc), "phone": cipher().decrypt(auditor.phone_enc) or "",
                   "assigned_fields": auditor.fields}
    form = AuditorForm(request.POST or None, instance=auditor, initial=initial, user_code=own_code(request.user))
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = form.save(commit=False)
            if auditor is None:
                saved.institution = _own_institution(request.user) or form.cleaned_data["institution"]
            check_institution(request.user, saved.institution)
            saved.name_enc = cipher().encrypt(form.cleaned_data["name"].strip())
            saved.phone_enc = cipher().encrypt(form.cleaned_data["phone"].strip()) if form.cleaned_data["phone"].strip() else None
            saved.fields = form.cleaned_data["assigned_fields"]
            saved.save()
            record(request.user, "reporting.auditor", saved, f"시민감사관 #{saved.pk} {'수정' if auditor else '위촉'}")
        messages.success(request, _("저장했습니다."))
        return redirect("reporting:auditor", auditor_id=saved.pk)
    return form


@require_role(*HANDLERS)
def auditor_new(request):
    result = _auditor_form_page(request)
    if not hasattr(result, "is_valid"):
        return result
    return render(request, "reporting/register_form.html", {"form": result, "title": _("시민감사관 위촉"),
                                                            "back": "reporting:auditors"},
                  status=400 if request.method == "POST" else 200)


@require_role(*HANDLERS)
def auditor(request, auditor_id):
    """One auditor: the roster entry, and their activity reports with findings."""
    person = get_object_or_404(CitizenAuditor.objects.select_related("institution"), pk=auditor_id)
    check_institution(request.user, person.institution)
    english = _english(request)
    activity_form = ActivityForm(request.POST if request.POST.get("part") == "activity" else None)
    form = None
    if request.method == "POST" and request.POST.get("part") == "activity":
        if activity_form.is_valid():
            data = activity_form.cleaned_data
            with transaction.atomic():
                activity = AuditorActivity.objects.create(auditor=person, held_on=data["held_on"], field=data["field"],
                                                          summary=data["summary"], recorded_by=request.user)
                if data["finding"].strip():
                    AuditorFinding.objects.create(activity=activity, field=data["field"], finding=data["finding"].strip(),
                                                  recommendation=data["recommendation"].strip())
                record(request.user, "reporting.auditor_activity", activity, f"시민감사관 #{person.pk} 활동 보고")
            messages.success(request, _("활동 보고를 저장했습니다."))
            return redirect("reporting:auditor", auditor_id=person.pk)
    else:
        result = _auditor_form_page(request, person)
        if not hasattr(result, "is_valid"):
            return result
        form = result
    form = form or AuditorForm(instance=person, initial={"name": cipher().decrypt(person.name_enc),
                                                         "phone": cipher().decrypt(person.phone_enc) or "",
                                                         "assigned_fields": person.fields},
                               user_code=own_code(request.user))
    activities = [{"activity": a, "field": rules.name_of("fields", a.field, english),
                   "findings": [(f, rules.name_of("fields", f.field, english)) for f in a.findings.all()]}
                  for a in person.activities.prefetch_related("findings")]
    years = sorted({a["activity"].held_on.year for a in activities}, reverse=True)
    listing = paged_list(
        request, activities,
        text=lambda r: " ".join([r["activity"].summary, r["field"]] + [f"{f.finding} {f.recommendation}" for f, _n in r["findings"]]),
        filters=[Filter("field", _("분야"), _options("fields", english), lambda r, v: r["activity"].field == v),
                 Filter("year", _("연도"), [(str(y), str(y)) for y in years], lambda r, v: str(r["activity"].held_on.year) == v),
                 Filter("findings", _("발견 사항"), [("yes", _("있음")), ("no", _("없음"))],
                        lambda r, v: bool(r["findings"]) == (v == "yes"))],
        sorts={"held_on": (_("활동일"), lambda r: r["activity"].held_on)}, default_sort="-held_on")
    return render(request, "reporting/auditor.html", {
        "auditor": person, "form": form, "activity_form": activity_form, "listing": listing,
        "kind": rules.name_of("auditor_kinds", person.kind, english)},
        status=400 if request.method == "POST" else 200)


@require_role(*HANDLERS)
@require_POST
def finding_to_task(request, finding_id):
    """A citizen auditor's finding becomes a task of the institution's plan (programme)."""
    finding = get_object_or_404(AuditorFinding.objects.select_related("activity__auditor__institution"), pk=finding_id)
    check_institution(request.user, finding.activity.auditor.institution)
    try:
        services.finding_to_plan_task(finding, request.user)
    except services.CaseError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("청렴 계획의 과제로 만들었습니다."))
    return redirect("reporting:auditor", auditor_id=finding.activity.auditor_id)
