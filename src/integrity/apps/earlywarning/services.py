"""The early warning's services: the calendar and incident history from the database, a
month's alerts issued from the register (the pure model in integrity.earlywarning), their
delivery to the liaisons, and the alerts a cluster page shows (``alerts_for``)."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from statistics import NormalDist

import polars as pl
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.utils.translation import get_language, gettext

from integrity.apps.audit.services import record
from integrity.apps.fieldwork.sms import TextMessage, get_backend
from integrity.apps.incidents.models import Case
from integrity.apps.registry.models import AssessmentYear
from integrity.apps.schedule.reminders import contacts
from integrity.earlywarning.calendar import Event, active
from integrity.earlywarning.config import Settings, load_settings
from integrity.earlywarning.model import evidence, forecast, incidents_frame, shift
from integrity.model import load_model
from integrity.registry.regions import NATIONWIDE

from .models import Alert, CalendarEvent, Channel, Delivery, PastIncident

SERIES_MONTHS = 36


def warning_settings() -> Settings:
    return load_settings()


def calendar_events() -> list[Event]:
    return [Event(e.kind, e.name, e.start, e.end, e.region_list) for e in CalendarEvent.objects.all()]


@transaction.atomic
def load_calendar(events: list[Event], actor=None) -> dict[str, int]:
    """Add the events, or update the end and regions of one already kept (same kind, name, start)."""
    created = updated = 0
    for e in events:
        _, made = CalendarEvent.objects.update_or_create(
            kind=e.kind, name=e.name, start=e.start, defaults={"end": e.end, "regions": ", ".join(e.regions)})
        created += made
        updated += not made
    record(actor, "earlywarning.calendar_loaded", "earlywarning.CalendarEvent",
           f"조기경보 일정 {created}건 추가, {updated}건 갱신", created=created, updated=updated)
    return {"created": created, "updated": updated}


def registry_year(month: date | None = None) -> AssessmentYear | None:
    """The registry the alerts are about: the latest year up to the month's, else the latest."""
    years = AssessmentYear.objects.order_by("-year")
    if month is not None and (year := years.filter(year__lte=month.year).first()):
        return year
    return years.first()


def family_of(type_code: str, model=None) -> str:
    model = model or current_model()
    t = model.institution_types.get(type_code)
    return t.family if t else ""


def current_model():
    year = registry_year()
    return year.model if year else load_model("2022")


def strata(year: AssessmentYear) -> dict[tuple[str, str], int]:
    """(시·도, 유형군) -> institutions in the registry: the exposure of each cell."""
    model = year.model
    counts = Counter((b.region or "", family_of(b.type_code, model)) for b in year.institutions.only("region", "type_code"))
    return {k: n for k, n in counts.items() if k[1]}


def incident_frame(settings: Settings | None = None) -> pl.DataFrame:
    """Every incident the model learns from: the register's cases (dated by the act, else
    the disposition; the case's field, else its act type's) and the kept history."""
    settings = settings or warning_settings()
    rows = []
    models_by_year = {}
    for c in Case.objects.select_related("institution", "year"):
        day = c.acted_on or c.redisposed_on or c.disposed_on
        field_code = settings.field_of(c.field, c.act_type)
        if day is None or not field_code:
            continue
        model = models_by_year.setdefault(c.year_id, c.year.model)
        rows.append({"day": day, "field": field_code, "region": c.institution.region or "",
                     "family": family_of(c.institution.type_code, model), "ref": f"case:{c.pk}",
                     "label": f"{c.institution.name} · {c.act_type}"})
    for p in PastIncident.objects.all().iterator(chunk_size=5000):
        rows.append({"day": p.occurred_on, "field": p.field, "region": p.region, "family": p.family,
                     "ref": f"past:{p.pk}", "label": f"{p.institution_name} · {p.act_type}"})
    return incidents_frame(rows)


def parse_month(text: str) -> date:
    """'2026-12' -> 2026-12-01; anything else is refused in Korean."""
    try:
        y, m = (int(p) for p in text.strip().split("-"))
        return date(y, m, 1)
    except (ValueError, TypeError) as exc:
        raise ValueError(gettext("달은 2026-12처럼 연도-월로 적으세요 ('{text}')").format(text=text[:20])) from exc


@dataclass
class Issued:
    month: date
    alerts: list[Alert] = field(default_factory=list)
    removed: int = 0
    cells: int = 0

    def __str__(self) -> str:
        return gettext("{month}: 청렴주의보 {n}건 발령 (예측한 칸 {cells}개, 없어진 경보 {removed}건)").format(
            month=f"{self.month:%Y-%m}", n=len(self.alerts), cells=self.cells, removed=self.removed)


def issue_warnings(month: date, actor=None) -> Issued:
    """Train on the years before the month, predict it, and store its alerts with their
    evidence (replacing the month's earlier alerts)."""
    settings = warning_settings()
    year = registry_year(month)
    if year is None:
        raise ValueError(gettext("등록부가 없어 경보를 낼 수 없습니다 (측정 연도를 먼저 만드세요)"))
    events = calendar_events()
    frame = incident_frame(settings)
    target = (month.year, month.month)
    first = date(*shift(target, -12 * settings.alert.history_years), 1)
    if frame.filter((pl.col("day") >= first) & (pl.col("day") < month)).height == 0:
        raise ValueError(gettext("{month} 앞 {n}년 동안의 사건이 없어 학습할 수 없습니다").format(
            month=f"{month:%Y-%m}", n=settings.alert.history_years))
    model, predictions = forecast(frame, strata(year), events, settings, target)
    z = NormalDist().inv_cdf(0.5 + settings.alert.interval_level / 2)
    result = Issued(month, cells=len(predictions))
    with transaction.atomic():
        keep = set()
        for p in (p for p in predictions if p.alert):
            effects = []
            for kind, _share in p.kinds:
                ratio, se = model.calendar_effect(p.field, kind)
                effects.append([kind, round(ratio, 3), round(ratio * math.exp(-z * se), 3), round(ratio * math.exp(z * se), 3)])
            # The periods behind the alert: kinds whose effect on this field is above 1 beyond doubt
            # (a 설 raises gifts, the 인사 season in the same month does not).
            risky = {k for k, _, low, _ in effects if low > 1} or {k for k, _ in p.kinds}
            p = replace(p, kinds=tuple((k, s) for k, s in p.kinds if k in risky))
            regional = [e.name for e in active(events, month.year, month.month, p.region) if e.kind in risky]
            rows = evidence(frame, p, events, settings, month)
            alert, _ = Alert.objects.update_or_create(
                month=month, region=p.region, family=p.family, field=p.field,
                defaults={"expected": p.expected, "baseline": p.baseline, "uplift": p.uplift, "lower": p.lower,
                          "upper": p.upper, "interval_level": settings.alert.interval_level,
                          "factor": settings.alert.factor, "history": p.history, "kinds": [list(k) for k in p.kinds],
                          "events": regional, "evidence": [
                              {"day": r["day"].isoformat(), "label": r["label"], "ref": r["ref"]}
                              for r in rows.iter_rows(named=True)],
                          "series": _series(frame, p, month), "effects": effects,
                          "issued_by": actor if getattr(actor, "is_authenticated", False) else None})
            keep.add(alert.pk)
            result.alerts.append(alert)
        stale = Alert.objects.filter(month=month).exclude(pk__in=keep)
        result.removed = stale.count()
        stale.delete()
        record(actor, "earlywarning.issued", "earlywarning.Alert", str(result), month=f"{month:%Y-%m}",
               alerts=len(result.alerts), removed=result.removed)
    return result


def _series(frame: pl.DataFrame, p, month: date) -> list[list]:
    """The cell's incidents per month over the SERIES_MONTHS before the alert's month."""
    target = (month.year, month.month)
    first = date(*shift(target, -SERIES_MONTHS), 1)
    cell = frame.filter(pl.col("region") == p.region, pl.col("family") == p.family, pl.col("field") == p.field,
                        pl.col("day") >= first, pl.col("day") < month)
    counts = Counter(f"{d:%Y-%m}" for d in cell["day"])
    months = [shift(target, -k) for k in range(SERIES_MONTHS, 0, -1)]
    return [[f"{y:04d}-{m:02d}", counts.get(f"{y:04d}-{m:02d}", 0)] for y, m in months]


# -- showing alerts ---------------------------------------------------------------------

def decorate(alerts, settings: Settings | None = None, model=None):
    """Names for the templates: field, family, region, calendar kinds, campaign suggestions."""
    settings = settings or warning_settings()
    model = model or current_model()
    for a in alerts:
        a.field_name = settings.fields.get(a.field, a.field)
        a.family_name = model.family_title(a.family, get_language())
        a.region_name = a.region or NATIONWIDE
        a.kind_names = [settings.kinds.get(k, k) for k, _ in a.kinds]
        suggestions = list(settings.field_suggestions.get(a.field, ()))
        for k, _ in a.kinds:
            suggestions += [s for s in settings.kind_suggestions.get(k, ()) if s not in suggestions]
        a.suggestions = suggestions
    return alerts


def alerts_for(region: str | None = None, type_codes=None, year: int | None = None) -> list[Alert]:
    """The alerts a cluster page shows: those of its 시·도 and of the national bodies (전국),
    for the families of the given institution types, in the year (latest first), each with
    its names and campaign suggestions."""
    qs = Alert.objects.all()
    if year is not None:
        qs = qs.filter(month__year=year)
    if region is not None:
        qs = qs.filter(region__in=[region, ""])
    model = current_model()
    if type_codes is not None:
        families = {family_of(t, model) for t in type_codes} - {""}
        qs = qs.filter(family__in=families)
    return decorate(list(qs.order_by("-month", "-uplift")), model=model)


# -- delivery -------------------------------------------------------------------------------

@dataclass
class Delivered:
    institutions: int = 0
    emails: int = 0
    texts: int = 0
    skipped: int = 0  # already sent on that channel
    no_contact: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        text = gettext("기관 {i}곳에 전자우편 {e}통, 문자 {t}건 발송 (이미 보낸 {s}건 건너뜀)").format(
            i=self.institutions, e=self.emails, t=self.texts, s=self.skipped)
        if self.no_contact:
            text += gettext(" (연락처 없는 기관 {n}곳)").format(n=len(self.no_contact))
        return text


def recipients_of(alert: Alert):
    """Institutions of the alert's 시·도 and type family in its registry year."""
    year = registry_year(alert.month)
    if year is None:
        return []
    model = year.model
    types = [t for t, spec in model.institution_types.items() if spec.family == alert.family]
    return list(year.institutions.filter(region=alert.region, type_code__in=types).order_by("code"))


def message_texts(alert: Alert) -> tuple[str, str, str]:
    """Subject, e-mail body and text message of an alert."""
    decorate([alert])
    what = f"{alert.month:%Y-%m} {alert.region_name} {alert.family_name} {alert.field_name}"
    subject = gettext("[청렴주의보] {what}").format(what=what)
    body = "\n".join([
        gettext("{what} 분야에 청렴주의보가 발령되었습니다.").format(what=what),
        gettext("예측 건수가 기준보다 {uplift:.1f}배 높습니다 ({level:.0%} 구간 {lower:.1f}~{upper:.1f}배).").format(
            uplift=alert.uplift, level=alert.interval_level, lower=alert.lower, upper=alert.upper),
        gettext("해당 시기: {events}").format(events=", ".join(alert.events) or "-"),
        "", gettext("권하는 활동:"), *(f"- {s}" for s in alert.suggestions), "",
        # No link: the alert's page lists past cases by institution and act, which liaisons
        # may not read; the letter itself carries all a liaison acts on.
        gettext("근거가 된 지난 사건은 권익위 담당자에게 문의해 주세요."),
    ])
    sms = gettext("[청렴주의보] {what} 위험 {uplift:.1f}배. 자세한 내용은 전자우편을 확인해 주세요.").format(
        what=what, uplift=alert.uplift)
    return subject, body, sms


def deliver(alert: Alert, actor=None, connection=None) -> Delivered:
    """Send the alert to the liaisons of its institutions by e-mail and text message.
    Each (institution, channel) is claimed before sending, so a second run sends nothing
    twice; every send is recorded and audited."""
    out = Delivered()
    bodies = recipients_of(alert)
    reach = contacts([b.pk for b in bodies])
    subject, body, sms_text = message_texts(alert)
    connection = connection or get_connection()
    sms = get_backend()
    sender = actor if getattr(actor, "is_authenticated", False) else None
    for b in bodies:
        emails, phones = reach[b.pk] if b.pk in reach else ([], [])
        if not emails and not phones:
            out.no_contact.append(b.code)
            continue
        sent_any = False
        for channel, addresses in ((Channel.EMAIL, emails), (Channel.SMS, phones)):
            if not addresses:
                continue
            try:
                with transaction.atomic():
                    Delivery.objects.create(alert=alert, institution=b, channel=channel, recipients=len(addresses),
                                            sent_by=sender)
                    if channel == Channel.EMAIL:
                        connection.send_messages([EmailMessage(subject, body, to=[e]) for e in addresses])
                        out.emails += len(addresses)
                    else:
                        sms.send_messages([TextMessage(p, sms_text) for p in addresses])
                        out.texts += len(addresses)
            except IntegrityError:
                out.skipped += 1
                continue
            sent_any = True
        out.institutions += sent_any
    record(actor, "earlywarning.delivered", alert, f"{alert}: {out}"[:300], emails=out.emails, texts=out.texts,
           skipped=out.skipped, institutions=out.institutions)
    return out
