"""Cluster screens: the secretariat's pages (members, applications, offices, meetings and
votes, dues, events), the members' online space, and the public pages and shared calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from integrity.apps.accounts.models import Role
from integrity.apps.accounts.roles import require_role, role_of
from integrity.apps.audit.services import record
from integrity.clusters.calendar import CalendarEvent, ics
from integrity.incidents.evidence import KINDS, EvidenceRejected
from integrity.web.encrypted_files import attachment
from integrity.web.listing import Filter, paged_list
from integrity.web.params import plain_int

from . import services, store
from .access import may_enter_space, may_manage, visible_clusters
from .presentation import threshold_text
from .models import Application, Body, Cluster, Event, EventKind, Material, Meeting, Member, MemberKind, Motion, Office

MEMBER_ROLES = (Role.ADMIN, Role.SECRETARIAT, Role.LIAISON, Role.INTEGRITY_TEAM)
LATEST_MINUTES = 5  # on the space page; every one on the minutes page


def _id(value) -> int | None:
    return plain_int(str(value or "").strip())


def _day(value, default=None) -> date | None:
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        return default


def _managed(request, cluster_id: int) -> Cluster:
    cluster = get_object_or_404(Cluster, pk=cluster_id)
    if not may_manage(request.user, cluster):
        raise PermissionDenied(_("이 클러스터를 관리할 권한이 없습니다"))
    return cluster


def _problems(request, exc: services.ClusterError) -> None:
    for problem in exc.problems:  # nothing was saved; the page says why
        messages.error(request, problem)


@require_role(*MEMBER_ROLES)
def index(request):
    rows = [{"cluster": c, "manage": may_manage(request.user, c),
             "members": c.members.filter(left_on__isnull=True).count()} for c in visible_clusters(request.user)]
    return render(request, "clusters/index.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
@require_role(Role.ADMIN, Role.SECRETARIAT)
def detail(request, cluster_id: int):
    cluster = _managed(request, cluster_id)
    today = timezone.localdate()
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "add_member":
                services.add_member(cluster, request.user, kind=request.POST.get("kind", ""),
                                    name=request.POST.get("name", ""), institution_code=request.POST.get("code", ""),
                                    joined_on=_day(request.POST.get("joined_on"), today),
                                    contact=request.POST.get("contact", ""))
                messages.success(request, _("회원을 등록했습니다"))
            elif action == "leave":
                member = get_object_or_404(Member, pk=_id(request.POST.get("member")) or 0, cluster=cluster)
                services.member_leaves(member, request.user, _day(request.POST.get("left_on"), today))
                messages.success(request, _("탈퇴를 기록했습니다"))
            elif action == "appoint":
                member = get_object_or_404(Member, pk=_id(request.POST.get("member")) or 0, cluster=cluster)
                services.appoint(cluster, request.user, role=request.POST.get("role", ""), member=member,
                                 person=request.POST.get("person", ""),
                                 starts_on=_day(request.POST.get("starts_on"), today))
                messages.success(request, _("임기를 기록했습니다"))
        except services.ClusterError as exc:
            _problems(request, exc)
        return redirect("clusters:detail", cluster_id=cluster.pk)
    members = list(cluster.members.order_by("left_on", "name"))
    listing = paged_list(
        request, members, text=lambda m: f"{m.name} {m.institution_code}",
        filters=[Filter("kind", _("회원 종류"), MemberKind.choices, lambda m, v: m.kind == v),
                 Filter("state", _("상태"), [("active", _("활동 중")), ("left", _("탈퇴"))],
                        lambda m, v: (m.left_on is None) == (v == "active"))],
        sorts={"name": (_("이름"), lambda m: m.name), "joined": (_("가입일"), lambda m: m.joined_on)},
        default_sort="name")
    return render(request, "clusters/detail.html", {
        "cluster": cluster, "listing": listing, "today": today, "kinds": MemberKind.choices,
        "offices": services.current_offices(cluster, today), "roles": Office.Role.choices,
        "active_members": [m for m in members if m.active_on(today)],
        # the ones awaiting a vote; every application on the application page (searched, paged)
        "applications": cluster.applications.filter(status=Application.Status.PENDING),
        "all_applications": cluster.applications.count(), "rules": cluster.parsed_rules,
        "alerts": services.alerts_of(cluster), "alert_links": _reads_warnings(request.user)})


@require_http_methods(["GET", "POST"])
@require_role(Role.ADMIN, Role.SECRETARIAT)
def application(request, cluster_id: int):
    """가입신청서: the secretariat keys in the form an applicant sent; the members' vote decides."""
    cluster = _managed(request, cluster_id)
    fields = ("kind", "institution_code", "name", "name_en", "short_name", "homepage", "staff", "founded_on",
              "address", "representative", "contact")
    values = {f: request.POST.get(f, "") for f in fields}
    problems, status = None, 200
    if request.method == "POST":
        try:
            services.receive_application(cluster, request.user, services.ApplicationForm(**values), timezone.localdate())
            messages.success(request, _("가입신청을 접수했습니다. 회의에서 가입 승인 안건으로 의결하세요"))
            return redirect("clusters:detail", cluster_id=cluster.pk)
        except services.ClusterError as exc:
            problems, status = exc.problems, 400
    listing = paged_list(
        request, list(cluster.applications.all()), text=lambda a: f"{a.name} {a.short_name} {a.name_en} {a.institution_code}",
        filters=[Filter("status", _("상태"), Application.Status.choices, lambda a, v: a.status == v),
                 Filter("kind", _("회원 종류"), MemberKind.choices, lambda a, v: a.kind == v)],
        sorts={"received": (_("접수일"), lambda a: a.received_on)}, default_sort="-received")
    return render(request, "clusters/application.html", {"cluster": cluster, "values": values, "problems": problems,
                                                         "kinds": MemberKind.choices, "listing": listing}, status=status)


@require_http_methods(["GET", "POST"])
@require_role(Role.ADMIN, Role.SECRETARIAT)
def meetings(request, cluster_id: int):
    cluster = _managed(request, cluster_id)
    if request.method == "POST":
        try:
            meeting = services.add_meeting(cluster, request.user, body=request.POST.get("body", ""),
                                           held_on=_day(request.POST.get("held_on"), timezone.localdate()),
                                           title=request.POST.get("title", ""), place=request.POST.get("place", ""),
                                           agenda=request.POST.get("agenda", ""))
            return redirect("clusters:meeting", meeting_id=meeting.pk)
        except services.ClusterError as exc:
            _problems(request, exc)
            return redirect("clusters:meetings", cluster_id=cluster.pk)
    listing = paged_list(
        request, list(cluster.meetings.prefetch_related("motions")), text=lambda m: f"{m.title} {m.place} {m.agenda}",
        filters=[Filter("body", _("회의체"), Body.choices, lambda m, v: m.body == v)],
        sorts={"held_on": (_("개최일"), lambda m: m.held_on)}, default_sort="-held_on")
    return render(request, "clusters/meetings.html", {"cluster": cluster, "listing": listing, "bodies": Body.choices,
                                                      "today": timezone.localdate(),
                                                      "decisions": [{"name": d.name, "quorum": threshold_text(d.quorum), "approval": threshold_text(d.approval)}
                                                                    for d in cluster.parsed_rules.decisions.values()]})


@require_http_methods(["GET", "POST"])
@require_role(Role.ADMIN, Role.SECRETARIAT)
def meeting(request, meeting_id: int):
    meeting = get_object_or_404(Meeting.objects.select_related("cluster"), pk=meeting_id)
    cluster = _managed(request, meeting.cluster_id)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "attendance":
                ids = [i for i in (_id(v) for v in request.POST.getlist("present")) if i is not None]
                services.record_attendance(meeting, request.user, ids, request.POST.get("minutes"))
                messages.success(request, _("출석과 회의록을 저장했습니다"))
            elif action == "motion":
                app = cluster.applications.filter(pk=_id(request.POST.get("application")) or 0).first()
                subject = cluster.members.filter(pk=_id(request.POST.get("subject")) or 0).first()
                motion = services.record_motion(
                    meeting, request.user, kind=request.POST.get("kind", ""), title=request.POST.get("title", ""),
                    in_favour=request.POST.get("in_favour", ""), against=request.POST.get("against", ""),
                    abstaining=request.POST.get("abstaining", ""), application=app, subject=subject)
                messages.success(request, _("의결을 기록했습니다: %(title)s — %(result)s")
                                 % {"title": motion.title, "result": motion.result_name})
        except services.ClusterError as exc:
            _problems(request, exc)
        return redirect("clusters:meeting", meeting_id=meeting.pk)
    enrolled = services.enrolled_members(meeting)
    present = set(meeting.attendees.values_list("pk", flat=True))
    return render(request, "clusters/meeting.html", {
        "cluster": cluster, "meeting": meeting, "enrolled": [(m, m.pk in present) for m in enrolled],
        "quorum": services.quorum_state(meeting), "motions": meeting.motions.select_related("application", "subject_member"),
        "kinds": Motion.Kind.choices, "pending": cluster.applications.filter(status=Application.Status.PENDING),
        "members": [m for m in enrolled]})


@require_http_methods(["GET", "POST"])
@require_role(Role.ADMIN, Role.SECRETARIAT)
def dues(request, cluster_id: int):
    cluster = _managed(request, cluster_id)
    wanted = request.GET.get("year", "") or request.POST.get("year", "")
    year = asked if (asked := plain_int(wanted, max_digits=4)) and 2000 <= asked <= 2100 else timezone.localdate().year
    if request.method == "POST":
        try:
            if request.POST.get("action") == "remind":
                sent = services.remind_dues(cluster, request.user, year)
                messages.success(request, _("분담금 독촉: 회원 %(members)s곳, 전자우편 %(emails)s통") % sent)
                if sent["no_contact"]:
                    messages.error(request, _("연락처가 없어 보내지 못함: %(names)s") % {"names": ", ".join(sent["no_contact"])})
            else:
                member = get_object_or_404(Member, pk=_id(request.POST.get("member")) or 0, cluster=cluster)
                services.record_payment(member, request.user, year=str(year), paid_on=request.POST.get("paid_on", ""),
                                        cash=request.POST.get("cash", ""), in_kind=request.POST.get("in_kind", ""),
                                        in_kind_value=request.POST.get("in_kind_value", ""))
                messages.success(request, _("납부를 기록했습니다"))
        except services.ClusterError as exc:
            _problems(request, exc)
        return redirect(f"{request.path}?year={year}")
    rows = services.dues_rows(cluster, year)
    statuses = [("paid", _("납부")), ("partly", _("일부 납부")), ("unpaid", _("미납")), ("exempt", _("면제"))]
    listing = paged_list(request, rows, text=lambda r: f"{r['member'].name} {r['member'].institution_code}",
                         filters=[Filter("status", _("상태"), statuses, lambda r, v: r["status"] == v),
                                  Filter("kind", _("회원 종류"), MemberKind.choices, lambda r, v: r["member"].kind == v)],
                         sorts={"name": (_("이름"), lambda r: r["member"].name)}, default_sort="name")
    totals = {s: sum(1 for r in rows if r["status"] == s) for s, _label in statuses}
    return render(request, "clusters/dues.html", {"cluster": cluster, "year": year, "listing": listing, "totals": totals,
                                                  "rule": cluster.parsed_rules.dues, "rows": rows,
                                                  "today": timezone.localdate()})


@require_http_methods(["GET", "POST"])
@require_role(Role.ADMIN, Role.SECRETARIAT)
def events(request, cluster_id: int):
    cluster = _managed(request, cluster_id)
    if request.method == "POST":
        try:
            services.add_event(cluster, request.user, kind=request.POST.get("kind", ""), title=request.POST.get("title", ""),
                               starts_on=request.POST.get("starts_on", ""), ends_on=request.POST.get("ends_on", ""),
                               place=request.POST.get("place", ""),
                               organiser_ids=[i for i in (_id(v) for v in request.POST.getlist("organisers")) if i],
                               participants=request.POST.get("participants", ""),
                               bodies_taking_part=request.POST.get("bodies_taking_part", ""),
                               description=request.POST.get("description", ""))
            messages.success(request, _("행사를 기록했습니다"))
        except services.ClusterError as exc:
            _problems(request, exc)
        return redirect("clusters:events", cluster_id=cluster.pk)
    listing = _event_listing(request, list(cluster.events.prefetch_related("organisers")))
    return render(request, "clusters/events.html", {
        "cluster": cluster, "listing": listing, "kinds": EventKind.choices,
        "members": [m for m in cluster.members.order_by("name") if m.left_on is None]})


def _event_listing(request, rows, clusters=None, default_sort="starts_on"):
    filters = [Filter("kind", _("행사 종류"), EventKind.choices, lambda e, v: e.kind == v)]
    if clusters is not None:
        filters.insert(0, Filter("cluster", _("클러스터"), [(str(c.pk), c.name) for c in clusters],
                                 lambda e, v: str(e.cluster_id) == v))
    months = sorted({e.starts_on.strftime("%Y-%m") for e in rows}, reverse=True)
    filters.append(Filter("month", _("달"), [(m, m) for m in months], lambda e, v: e.starts_on.strftime("%Y-%m") == v))
    return paged_list(request, rows, text=lambda e: f"{e.title} {e.place} {e.cluster.name}", filters=filters,
                      sorts={"starts_on": (_("날짜"), lambda e: e.starts_on),
                             "participants": (_("참가 인원"), lambda e: e.participants)},
                      default_sort=default_sort)


@require_http_methods(["GET", "POST"])
@require_role(*MEMBER_ROLES)
def space(request, cluster_id: int):
    """The cluster's online space: materials, minutes, best practices (members' staff, the secretariat, admins)."""
    cluster = get_object_or_404(Cluster, pk=cluster_id)
    if not may_enter_space(request.user, cluster):
        raise PermissionDenied(_("이 클러스터의 회원 기관만 볼 수 있습니다"))
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise services.ClusterError(_("파일을 고르세요"))
            data = upload.read(services.settings.INTEGRITY_EVIDENCE_MAX_BYTES + 1)
            services.add_material(cluster, request.user, kind=request.POST.get("kind", ""),
                                  title=request.POST.get("title", ""), name=upload.name, data=data)
            messages.success(request, _("자료를 올렸습니다"))
        except EvidenceRejected as exc:
            messages.error(request, str(exc))
        except services.ClusterError as exc:
            _problems(request, exc)
        return redirect("clusters:space", cluster_id=cluster.pk)
    listing = paged_list(request, list(cluster.materials.select_related("uploaded_by")), text=lambda m: f"{m.title} {m.file_name}",
                         filters=[Filter("kind", _("구분"), Material.Kind.choices, lambda m, v: m.kind == v)],
                         sorts={"uploaded": (_("올린 시각"), lambda m: m.uploaded_at)}, default_sort="-uploaded")
    minutes = cluster.meetings.exclude(minutes="").order_by("-held_on", "-pk")
    return render(request, "clusters/space.html", {"cluster": cluster, "listing": listing, "kinds": Material.Kind.choices,
                                                   "minutes": minutes[:LATEST_MINUTES], "all_minutes": minutes.count(),
                                                   "manage": may_manage(request.user, cluster),
                                                   "alerts": services.alerts_of(cluster),
                                                   "alert_links": _reads_warnings(request.user)})


@require_role(*MEMBER_ROLES)
def minutes(request, cluster_id: int):
    """Every meeting's minutes in the members' space, searched, filtered and paged."""
    cluster = get_object_or_404(Cluster, pk=cluster_id)
    if not may_enter_space(request.user, cluster):
        raise PermissionDenied(_("이 클러스터의 회원 기관만 볼 수 있습니다"))
    rows = list(cluster.meetings.exclude(minutes="").order_by("-held_on", "-pk"))
    years = sorted({m.held_on.year for m in rows}, reverse=True)
    listing = paged_list(request, rows, text=lambda m: f"{m.title} {m.minutes}",
                         filters=[Filter("body", _("회의체"), Body.choices, lambda m, v: m.body == v),
                                  Filter("year", _("연도"), [(str(y), str(y)) for y in years], lambda m, v: str(m.held_on.year) == v)],
                         sorts={"held_on": (_("개최일"), lambda m: m.held_on)}, default_sort="-held_on")
    return render(request, "clusters/minutes.html", {"cluster": cluster, "listing": listing})


def _reads_warnings(user) -> bool:
    from integrity.apps.earlywarning.views import READERS

    return role_of(user) in READERS


@require_role(*MEMBER_ROLES)
def material(request, material_id: int):
    item = get_object_or_404(Material.objects.select_related("cluster"), pk=material_id)
    if not may_enter_space(request.user, item.cluster):
        raise PermissionDenied(_("이 클러스터의 회원 기관만 볼 수 있습니다"))
    try:
        data = store.read(item.stored_name)
    except FileNotFoundError as exc:
        raise Http404(_("파일이 없습니다")) from exc
    record(request.user, "clusters.material_downloaded", item, f"{item.cluster.name}: 자료 내려받음 {item.title}")
    return attachment(data, item.file_name, KINDS[item.file_type][1], fallback="material")


# --- public: no sign-in; members and events only ----------------------------------------

def calendar(request):
    """The shared calendar of every cluster's events, by month, filterable by cluster and kind."""
    clusters = list(Cluster.objects.all())
    listing = _event_listing(request, list(Event.objects.select_related("cluster")), clusters)
    return render(request, "clusters/calendar.html", {"listing": listing, "clusters": clusters,
                                                      "signed_in": role_of(request.user) is not None})


def calendar_ics(request):
    events = Event.objects.select_related("cluster").order_by("starts_on")
    wanted = _id(request.GET.get("cluster"))
    if wanted is not None:
        events = events.filter(cluster_id=wanted)
    host = request.get_host().split(":")[0] or "integrity"
    text = ics([CalendarEvent(f"cluster-event-{e.pk}@{host}", f"[{e.cluster.name}] {e.title}", e.starts_on, e.ends_on,
                              e.place, e.get_kind_display()) for e in events],
               name=_("청렴 클러스터 공동 일정"), stamp=datetime.now(UTC))
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, "청렴클러스터_공동일정.ics")
    return response


def public(request, cluster_id: int):
    cluster = get_object_or_404(Cluster, pk=cluster_id)
    today = timezone.localdate()
    order = list(MemberKind.values)  # public bodies first, then civic groups, then business associations
    members = sorted((m for m in cluster.members.all() if m.active_on(today)), key=lambda m: (order.index(m.kind), m.name))
    events = list(cluster.events.select_related("cluster").prefetch_related("organisers"))
    return render(request, "clusters/public.html", {
        "cluster": cluster, "members": members, "listing": _event_listing(request, events, default_sort="-starts_on"),
        "kinds": dict(MemberKind.choices)})
