"""청렴주의보 pages: the list (searched, filtered, paged) with the administrator's issue
form, an alert's evidence with its delivery, and the calendar. Readers: administrators,
analysts and cluster secretariats; only administrators issue and send."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from integrity.apps.accounts.models import Role
from integrity.apps.accounts.roles import require_role, role_of
from integrity.registry.regions import choices as region_choices
from integrity.registry.regions import keep as region_keep
from integrity.web.charts import month_columns
from integrity.web.listing import Filter, paged_list

from . import services
from .models import Alert, CalendarEvent, Channel

READERS = (Role.ADMIN, Role.ANALYST, Role.SECRETARIAT)


def readable(user, alerts):
    """A cluster secretariat reads the alerts of its clusters' 시·도 and the national ones
    (an alert's evidence names institutions and their past cases); the others every one."""
    if role_of(user) != Role.SECRETARIAT:
        return alerts
    from integrity.apps.clusters.access import visible_clusters

    return alerts.filter(region__in={*visible_clusters(user).values_list("region", flat=True), ""})


@require_role(*READERS)
def alert_list(request):
    settings = services.warning_settings()
    rows = services.decorate(list(readable(request.user, Alert.objects.all())), settings)
    months = sorted({f"{a.month:%Y-%m}" for a in rows}, reverse=True)
    families = sorted({(a.family, a.family_name) for a in rows})
    listing = paged_list(
        request, rows,
        text=lambda a: f"{a.month:%Y-%m} {a.region_name} {a.family_name} {a.field_name} {' '.join(a.events)}",
        filters=[
            Filter("month", _("달"), [(m, m) for m in months], lambda a, v: f"{a.month:%Y-%m}" == v),
            Filter("region", _("시·도"), region_choices(a.region for a in rows), lambda a, v: region_keep(a.region, v)),
            Filter("family", _("기관 유형군"), families, lambda a, v: a.family == v),
            Filter("field", _("분야"), list(settings.fields.items()), lambda a, v: a.field == v),
        ],
        sorts={"month": (_("달"), lambda a: a.month), "uplift": (_("배율"), lambda a: a.uplift),
               "expected": (_("예측 건수"), lambda a: a.expected)},
        default_sort="-month")
    return render(request, "earlywarning/list.html", {
        "listing": listing, "can_act": role_of(request.user) == Role.ADMIN, "settings": settings})


@require_POST
@require_role(Role.ADMIN)
def issue(request):
    try:
        month = services.parse_month(request.POST.get("month", ""))
        issued = services.issue_warnings(month, request.user)
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("earlywarning:list")
    messages.success(request, str(issued))
    return redirect(f"{reverse('earlywarning:list')}?month={month:%Y-%m}")


@require_role(*READERS)
def detail(request, alert_id: int):
    alert = get_object_or_404(Alert, pk=alert_id)
    if not readable(request.user, Alert.objects.filter(pk=alert.pk)).exists():
        raise PermissionDenied(_("이 시·도의 청렴주의보는 그 지역 클러스터의 사무국만 볼 수 있습니다"))
    services.decorate([alert])
    settings = services.warning_settings()
    events = [e for e in services.calendar_events() if {k for k, _ in alert.kinds} & {e.kind}
              and e.applies_to(alert.region)]
    marked = lambda m: any(e.start.strftime("%Y-%m") <= m <= e.end.strftime("%Y-%m") for e in events)  # noqa: E731
    chart = month_columns([(m, n, marked(m)) for m, n in alert.series],
                          _("{cell}의 월별 사건 수").format(cell=f"{alert.region_name} {alert.family_name} {alert.field_name}"))
    effects = [{"kind": settings.kinds.get(k, k), "ratio": r, "lower": lo, "upper": hi} for k, r, lo, hi in alert.effects]
    deliveries = paged_list(
        request, list(alert.deliveries.select_related("institution").order_by("institution__code", "channel")),
        text=lambda d: f"{d.institution.code} {d.institution.name}",
        filters=[Filter("channel", _("수단"), Channel.choices, lambda d, v: d.channel == v)],
        sorts={"sent": (_("보낸 시각"), lambda d: d.sent_at), "institution": (_("기관"), lambda d: d.institution.name)})
    return render(request, "earlywarning/detail.html", {
        "alert": alert, "chart": chart, "effects": effects, "listing": deliveries,
        "recipients": services.recipients_of(alert), "can_act": role_of(request.user) == Role.ADMIN})


@require_POST
@require_role(Role.ADMIN)
def deliver(request, alert_id: int):
    alert = get_object_or_404(Alert, pk=alert_id)
    messages.success(request, str(services.deliver(alert, request.user)))
    return redirect("earlywarning:detail", alert_id=alert.pk)


@require_role(*READERS)
def calendar(request):
    settings = services.warning_settings()
    rows = list(CalendarEvent.objects.all())
    years = sorted({e.start.year for e in rows}, reverse=True)
    listing = paged_list(
        request, rows, text=lambda e: f"{e.name} {e.kind_name} {e.regions}",
        filters=[Filter("kind", _("종류"), list(settings.kinds.items()), lambda e, v: e.kind == v),
                 Filter("year", _("연도"), [(str(y), str(y)) for y in years], lambda e, v: str(e.start.year) == v)],
        sorts={"start": (_("시작일"), lambda e: e.start)}, default_sort="-start")
    return render(request, "earlywarning/calendar.html", {"listing": listing,
                                                          "can_act": role_of(request.user) == Role.ADMIN})
