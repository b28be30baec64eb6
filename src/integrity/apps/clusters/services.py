"""Every change to a cluster goes through here: checked against the cluster's rules
(integrity.clusters), written in one transaction, audited."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from integrity.apps.accounts.models import INSTITUTION_ROLES, Profile
from integrity.apps.audit.services import record
from integrity.apps.registry.models import Institution
from integrity.apps.rosters.services import cipher
from integrity.clusters import Activity, CountError, Payment, Term, dues_status, outcome, renewal_problem, term_end
from integrity.clusters.activity import EVENTS_ORGANISED, MEETINGS_ATTENDED
from integrity.clusters.dues import STATUS_NAMES, owed
from integrity.clusters.terms import term_warning
from integrity.clusters.votes import INQUORATE, PASSED
from integrity.incidents.evidence import check_evidence

from . import store
from .presentation import threshold_text
from .models import (Application, Body, Cluster, DuesPayment, DuesReminder, Event, EventKind, Material, Meeting,
                     Member, MemberKind, Motion, Office)


class ClusterError(ValueError):
    """Input that cannot be saved; ``problems`` are Korean sentences naming the field. Nothing was saved."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else problems
        super().__init__("; ".join(self.problems))


# --- members and applications -------------------------------------------------------

def registry_name(code: str) -> str | None:
    """The latest name the registry gives a code (a body keeps its code across years)."""
    body = Institution.objects.filter(code=code).order_by("-year__year").first()
    return body.name if body else None


def _member_problems(kind: str, code: str, name: str) -> list[str]:
    problems = []
    if kind not in MemberKind.values:
        problems.append(f"회원 종류를 고르세요 (값: {kind[:20]})")
    if kind == MemberKind.PUBLIC:
        if not code:
            problems.append("기관코드: 공공기관은 등록부의 기관코드가 있어야 합니다")
        elif registry_name(code) is None:
            problems.append(f"기관코드: 등록부에 없는 기관코드입니다 ({code[:32]})")
    elif not name:
        problems.append("기관·단체명을 적어 주세요")
    limit = Member._meta.get_field("name").max_length  # PostgreSQL refuses longer: a 500, not a message
    if len(name) > limit:
        problems.append(f"기관·단체명: {limit}자까지 적을 수 있습니다 ({len(name)}자)")
    return problems


@transaction.atomic
def add_member(cluster: Cluster, actor, *, kind: str, name: str = "", institution_code: str = "",
               joined_on: date, contact: str = "") -> Member:
    code, name = institution_code.strip(), name.strip()
    problems = _member_problems(kind, code, name)
    if kind == MemberKind.PUBLIC and not problems and cluster.members.filter(
            institution_code=code, left_on__isnull=True).exists():
        problems.append(f"기관코드: 이미 회원입니다 ({code})")
    if problems:
        raise ClusterError(problems)
    member = Member.objects.create(cluster=cluster, kind=kind, institution_code=code if kind == MemberKind.PUBLIC else "",
                                   name=name or registry_name(code), joined_on=joined_on,
                                   contact_enc=cipher().encrypt(contact.strip()) if contact.strip() else None)
    record(actor, "clusters.member_added", member, f"{cluster.name}: 회원 {member.name} 가입 ({joined_on})")
    return member


@transaction.atomic
def member_leaves(member: Member, actor, left_on: date, reason: str = "") -> Member:
    if left_on < member.joined_on:
        raise ClusterError(f"탈퇴일({left_on})이 가입일({member.joined_on})보다 빠를 수 없습니다")
    member.left_on = left_on
    member.save(update_fields=["left_on"])
    record(actor, "clusters.member_left", member, f"{member.cluster.name}: 회원 {member.name} 탈퇴 ({left_on}) {reason}"[:300])
    return member


@dataclass
class ApplicationForm:
    """가입신청서 fields as typed (text); ``receive_application`` checks them all."""

    kind: str
    name: str
    staff: str
    founded_on: str
    representative: str
    contact: str
    institution_code: str = ""
    name_en: str = ""
    short_name: str = ""
    homepage: str = ""
    address: str = ""


@transaction.atomic
def receive_application(cluster: Cluster, actor, form: ApplicationForm, received_on: date) -> Application:
    code, name = form.institution_code.strip(), form.name.strip()
    problems = _member_problems(form.kind, code, name or "x")
    if not name:
        problems.append("기관명(국문)을 적어 주세요")
    staff = form.staff.strip().replace(",", "")
    if not (staff.isascii() and staff.isdigit()) or not 0 < int(staff) < 10_000_000:
        problems.append(f"회원수(직원수): 1 이상의 정수를 적어 주세요 (값: {form.staff[:20]})")
    try:
        founded = date.fromisoformat(form.founded_on.strip())
        if founded > received_on:
            problems.append(f"창립년월일: 접수일 뒤의 날짜입니다 ({founded})")
    except ValueError:
        founded = None
        problems.append(f"창립년월일: YYYY-MM-DD 날짜로 적어 주세요 (값: {form.founded_on[:20]})")
    if not form.representative.strip():
        problems.append("대표자(직위·성명)를 적어 주세요")
    if not form.contact.strip():
        problems.append("담당자 연락처(전화 또는 e-mail)를 적어 주세요")
    if problems:
        raise ClusterError(problems)
    application = Application.objects.create(
        cluster=cluster, kind=form.kind, institution_code=code if form.kind == MemberKind.PUBLIC else "", name=name,
        name_en=form.name_en.strip()[:200], short_name=form.short_name.strip()[:50], homepage=form.homepage.strip()[:200],
        address=form.address.strip()[:200], staff=int(staff), founded_on=founded,
        representative=form.representative.strip()[:100], contact_enc=cipher().encrypt(form.contact.strip()[:200]),
        received_on=received_on)
    record(actor, "clusters.application_received", application, f"{cluster.name}: 가입신청 접수 {name}")
    return application


def application_contact(application: Application) -> str:
    return cipher().decrypt(application.contact_enc) or ""


# --- offices and terms ----------------------------------------------------------------

@transaction.atomic
def appoint(cluster: Cluster, actor, *, role: str, member: Member, person: str, starts_on: date) -> Office:
    """A new term: it ends by the rules (1 year); a renewal beyond the allowed one is refused."""
    rules = cluster.parsed_rules.terms
    if role not in Office.Role.values:
        raise ClusterError("직책을 고르세요")
    try:  # a start in year 9999 has no end date
        term_end(rules, starts_on)
    except (ValueError, OverflowError):
        raise ClusterError(f"임기 시작일이 범위를 벗어났습니다 ({starts_on})") from None
    if member.cluster_id != cluster.pk or not member.active_on(starts_on):
        raise ClusterError(f"{member.name}은(는) {starts_on}에 이 클러스터의 회원이 아닙니다")
    offices = cluster.parsed_rules.offices
    if role == Office.Role.SECRETARY_GENERAL and offices.secretariat_kinds and member.kind not in offices.secretariat_kinds:
        raise ClusterError(f"사무국장: 회칙상 사무국은 {', '.join(str(MemberKind(k).label) for k in offices.secretariat_kinds)}이(가) "
                           f"맡습니다 ({member.name}은(는) {member.get_kind_display()})")
    if role in (Office.Role.CHAIR, Office.Role.AUDITOR) and offices.auditor_apart_from_chair:
        other = Office.Role.AUDITOR if role == Office.Role.CHAIR else Office.Role.CHAIR
        if cluster.offices.filter(role=other, member=member, starts_on__lte=term_end(rules, starts_on),
                                  ends_on__gte=starts_on).exists():
            raise ClusterError(f"감사는 의장이 속한 기관·단체 밖에서 선출합니다 ({member.name}, 회칙 제11조)")
    history = [Term(str(o.member_id), o.starts_on, o.ends_on) for o in cluster.offices.filter(role=role)]
    problem = renewal_problem(rules, history, str(member.pk), starts_on)
    if problem:
        raise ClusterError(f"{Office.Role(role).label}: {problem}")
    office = Office.objects.create(cluster=cluster, role=role, member=member, person=person.strip()[:100],
                                   starts_on=starts_on, ends_on=term_end(rules, starts_on))
    record(actor, "clusters.appointed", office, f"{cluster.name}: {office.get_role_display()} {member.name} "
           f"({office.starts_on}~{office.ends_on})")
    return office


def current_offices(cluster: Cluster, today: date | None = None) -> list[dict]:
    """Offices whose term runs today or ended last, each with its warning (ending soon, ended)."""
    today = today or timezone.localdate()
    rules = cluster.parsed_rules.terms
    latest: dict[tuple, Office] = {}
    for office in cluster.offices.select_related("member").order_by("starts_on"):
        key = (office.role, office.member_id) if office.role == Office.Role.STEERING_MEMBER else (office.role,)
        if office.starts_on <= today:
            latest[key] = office
    rows = []
    for office in sorted(latest.values(), key=lambda o: (list(Office.Role.values).index(o.role), o.member.name)):
        warning = term_warning(rules, Term(str(office.member_id), office.starts_on, office.ends_on), today)
        rows.append({"office": office, "warning": warning, "days_left": (office.ends_on - today).days})
    return rows


# --- meetings and votes ---------------------------------------------------------------

def enrolled_members(meeting: Meeting) -> list[Member]:
    """재적: for the representatives' meeting every member on the day; for the steering
    committee the members holding a steering office that day (all members if none is recorded)."""
    day = meeting.held_on
    admitted_here = set(Application.objects.filter(motions__meeting=meeting, member__isnull=False)
                        .values_list("member_id", flat=True))  # they join after this meeting's vote
    members = [m for m in meeting.cluster.members.order_by("name") if m.active_on(day) and m.pk not in admitted_here]
    if meeting.body == Body.STEERING:
        steering = set(meeting.cluster.offices.filter(
            role__in=[Office.Role.STEERING_MEMBER, Office.Role.STEERING_CHAIR], starts_on__lte=day, ends_on__gte=day)
            .values_list("member_id", flat=True))
        if steering:
            members = [m for m in members if m.pk in steering]
    return members


@transaction.atomic
def add_meeting(cluster: Cluster, actor, *, body: str, held_on: date, title: str, place: str = "", agenda: str = "") -> Meeting:
    if body not in Body.values:
        raise ClusterError("회의체를 고르세요")
    if not title.strip():
        raise ClusterError("회의명을 적어 주세요")
    meeting = Meeting.objects.create(cluster=cluster, body=body, held_on=held_on, title=title.strip()[:200],
                                     place=place.strip()[:200], agenda=agenda.strip()[:5000])
    record(actor, "clusters.meeting_added", meeting, f"{cluster.name}: {meeting.get_body_display()} {held_on} {meeting.title}")
    return meeting


@transaction.atomic
def record_attendance(meeting: Meeting, actor, member_ids: list[int], minutes: str | None = None) -> int:
    if meeting.motions.exists():
        raise ClusterError("의결을 기록한 회의의 출석은 바꿀 수 없습니다 (의결 결과가 출석에서 나왔습니다)")
    enrolled = {m.pk: m for m in enrolled_members(meeting)}
    unknown = [i for i in member_ids if i not in enrolled]
    if unknown:
        raise ClusterError(f"재적 회원이 아닌 출석자가 있습니다 ({len(unknown)}명)")
    meeting.attendees.set([enrolled[i] for i in member_ids])
    if minutes is not None:
        meeting.minutes = minutes.strip()[:20000]
        meeting.save(update_fields=["minutes"])
    record(actor, "clusters.attendance", meeting, f"{meeting.cluster.name}: {meeting.title} 출석 {len(member_ids)}/{len(enrolled)}")
    return len(member_ids)


def quorum_state(meeting: Meeting, kind: str = "ordinary") -> dict:
    enrolled = len(enrolled_members(meeting))
    present = meeting.attendees.count()
    rule = meeting.cluster.parsed_rules.decision(kind)
    return {"enrolled": enrolled, "present": present, "needed": rule.quorum.smallest(enrolled),
            "quorate": rule.quorum.met(present, enrolled), "rule": threshold_text(rule.quorum)}


INTEGER_CEILING = 2**31 - 1  # PositiveIntegerField's largest value
AMOUNT_CEILING = 2**63 - 1  # PositiveBigIntegerField's (won)


def _count(text: str, label: str, problems: list[str], ceiling: int = INTEGER_CEILING) -> int:
    # isdigit() alone lets "²" through (int() then fails) and any length (the column overflows).
    text = (str(text) or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 19 or int(text) > ceiling:
        problems.append(f"{label}: 0 이상의 정수를 적어 주세요 (값: {text[:20]})")
        return 0
    return int(text)


@transaction.atomic
def record_motion(meeting: Meeting, actor, *, kind: str, title: str, in_favour: str, against: str, abstaining: str,
                  application: Application | None = None, subject: Member | None = None) -> Motion:
    """The outcome comes from the count and the cluster's rules. An inquorate meeting
    decides nothing: the motion is refused and nothing is stored."""
    problems: list[str] = []
    if kind not in Motion.Kind.values:
        problems.append("의결 종류를 고르세요")
    votes = [_count(in_favour, "찬성", problems), _count(against, "반대", problems), _count(abstaining, "기권", problems)]
    if kind == Motion.Kind.ADMISSION and (application is None or application.status != Application.Status.PENDING):
        problems.append("가입 승인 안건에는 심사 중인 가입신청을 골라야 합니다")
    if kind == Motion.Kind.EXPULSION and (subject is None or not subject.active_on(meeting.held_on)):
        problems.append("징계·퇴회 안건에는 대상 회원을 골라야 합니다")
    if problems:
        raise ClusterError(problems)
    enrolled, present = len(enrolled_members(meeting)), meeting.attendees.count()
    try:
        result = outcome(meeting.cluster.parsed_rules, kind, enrolled, present, *votes)
    except CountError as exc:
        raise ClusterError(str(exc)) from exc
    if result.result == INQUORATE:
        raise ClusterError(f"정족수 미달로 의결할 수 없습니다: 재적 {enrolled}명 중 {present}명 출석, "
                           f"{result.quorum_needed}명 이상 출석해야 합니다 ({result.rule_text})")
    title = title.strip() or (f"가입 승인: {application.name}" if application else "") or \
        (f"회원 징계·퇴회: {subject.name}" if subject else "")
    if not title:
        raise ClusterError("안건을 적어 주세요")
    motion = Motion.objects.create(meeting=meeting, kind=kind, title=title[:300], application=application,
                                   subject_member=subject if kind == Motion.Kind.EXPULSION else None,
                                   enrolled=enrolled, present=present, in_favour=votes[0], against=votes[1],
                                   abstaining=votes[2], result=result.result, rule_text=result.rule_text[:200],
                                   recorded_by=actor if getattr(actor, "is_authenticated", False) else None)
    record(actor, "clusters.motion", motion, f"{meeting.cluster.name}: {title} {result.name} "
           f"(재적 {enrolled}, 출석 {present}, 찬성 {votes[0]}, 반대 {votes[1]}, 기권 {votes[2]})"[:300],
           result=result.result)
    if kind == Motion.Kind.ADMISSION:
        _decide_application(application, actor, motion)
    if kind == Motion.Kind.EXPULSION and result.result == PASSED:
        member_leaves(subject, actor, meeting.held_on, reason=f"의결: {title}")
    return motion


def _decide_application(application: Application, actor, motion: Motion) -> None:
    if motion.result != PASSED:
        application.status = Application.Status.REJECTED
        application.save(update_fields=["status"])
        return
    member = add_member(application.cluster, actor, kind=application.kind, name=application.name,
                        institution_code=application.institution_code, joined_on=motion.meeting.held_on,
                        contact=application_contact(application))
    application.status, application.member = Application.Status.APPROVED, member
    application.save(update_fields=["status", "member"])


# --- dues -----------------------------------------------------------------------------

def dues_rows(cluster: Cluster, year: int) -> list[dict]:
    """Every member of the year with what it owes, has paid (cash + in-kind valuation) and its status."""
    rule = cluster.parsed_rules.dues
    start, end = date(year, 1, 1), date(year, 12, 31)
    payments = defaultdict(list)
    for p in DuesPayment.objects.filter(member__cluster=cluster, year=year).order_by("paid_on"):
        payments[p.member_id].append(p)
    reminded = dict(DuesReminder.objects.filter(member__cluster=cluster, year=year).order_by("sent_at")
                    .values_list("member_id", "sent_at"))
    rows = []
    for m in cluster.members.filter(joined_on__lte=end).filter(Q(left_on__isnull=True) | Q(left_on__gte=start)):
        paid = payments[m.pk]
        status = dues_status(rule, m.kind, [Payment(p.cash, p.in_kind_value) for p in paid])
        rows.append({"member": m, "owed": owed(rule, m.kind), "cash": sum(p.cash for p in paid),
                     "in_kind": sum(p.in_kind_value for p in paid), "payments": paid, "status": status,
                     "status_name": _(STATUS_NAMES[status]), "reminded_at": reminded.get(m.pk)})
    return rows


@transaction.atomic
def record_payment(member: Member, actor, *, year: str, paid_on: str, cash: str = "", in_kind: str = "",
                   in_kind_value: str = "") -> DuesPayment:
    rule = member.cluster.parsed_rules.dues
    problems: list[str] = []
    y = _count(year, "회계연도", problems)
    amounts = [_count(v or "0", label, problems, AMOUNT_CEILING) for v, label in ((cash.replace(",", ""), "현금"),
                                                                  (in_kind_value.replace(",", ""), "현물 평가액"))]
    try:
        day = date.fromisoformat(paid_on.strip())
    except ValueError:
        day = None
        problems.append(f"납부일: YYYY-MM-DD 날짜로 적어 주세요 (값: {paid_on[:20]})")
    if not problems:
        if not 2000 <= y <= 2100:
            problems.append(f"회계연도가 맞지 않습니다 ({y})")
        if amounts[0] == 0 and amounts[1] == 0:
            problems.append("현금 또는 현물 평가액 중 하나는 0보다 커야 합니다")
        if amounts[1] and not in_kind.strip():
            problems.append("현물 내용: 현물로 낸 것이 무엇인지 적어 주세요")
        if amounts[1] and not rule.in_kind:
            problems.append("이 클러스터의 회칙은 현물 납부를 받지 않습니다")
        if owed(rule, member.kind) == 0:
            problems.append(f"{member.name}: {member.get_kind_display()}은(는) 분담금이 면제됩니다")
    if problems:
        raise ClusterError(problems)
    payment = DuesPayment.objects.create(member=member, year=y, paid_on=day, cash=amounts[0], in_kind=in_kind.strip()[:200],
                                         in_kind_value=amounts[1],
                                         recorded_by=actor if getattr(actor, "is_authenticated", False) else None)
    what = f"현금 {amounts[0]:,}원" if amounts[0] else ""
    if amounts[1]:
        what += f"{' + ' if what else ''}현물({payment.in_kind}) 평가액 {amounts[1]:,}원"
    record(actor, "clusters.dues_paid", member, f"{member.cluster.name}: {member.name} {y}년 분담금 {what}"[:300])
    return payment


def _addresses(member: Member) -> list[str]:
    """A member's e-mail addresses: its institution's liaisons and integrity team (public
    bodies, any year), and the contact from its application if it is an e-mail."""
    out = []
    if member.kind == MemberKind.PUBLIC:
        out += [p.user.email for p in Profile.objects.filter(role__in=INSTITUTION_ROLES, user__is_active=True,
                                                             institution__code=member.institution_code)
                .select_related("user") if p.user.email]
    contact = cipher().decrypt(member.contact_enc) if member.contact_enc else ""
    if contact and "@" in contact:
        out.append(contact)
    return sorted(set(out))


def remind_dues(cluster: Cluster, actor, year: int) -> dict:
    """E-mail the members whose dues for ``year`` are unpaid or partly paid; each reminder logged."""
    owing = [r for r in dues_rows(cluster, year) if r["status"] in ("unpaid", "partly")]
    connection = get_connection()
    sent = {"members": 0, "emails": 0, "no_contact": []}
    for row in owing:
        member = row["member"]
        emails = _addresses(member)
        if not emails:
            sent["no_contact"].append(member.name)
            continue
        left = row["owed"] - row["cash"] - row["in_kind"]
        body = (f"{member.name} 담당자님께\n\n{cluster.name}의 {year}년 분담금 {row['owed']:,}원 중 {left:,}원이 "
                f"아직 납부되지 않았습니다. 현금 또는 현물로 납부할 수 있습니다(회칙).\n\n"
                f"{settings.INTEGRITY_PUBLIC_URL.rstrip('/')}\n{cluster.name} 사무국")
        with transaction.atomic():
            DuesReminder.objects.create(member=member, year=year, recipients=len(emails),
                                        sent_by=actor if getattr(actor, "is_authenticated", False) else None)
            connection.send_messages([EmailMessage(f"[{cluster.name}] {year}년 분담금 납부 안내", body, to=[e])
                                      for e in emails])
            record(actor, "clusters.dues_reminded", member, f"{cluster.name}: {member.name} {year}년 분담금 독촉 "
                   f"({len(emails)}명)", year=year, emails=len(emails))
        sent["members"] += 1
        sent["emails"] += len(emails)
    return sent


# --- events ---------------------------------------------------------------------------

@transaction.atomic
def add_event(cluster: Cluster, actor, *, kind: str, title: str, starts_on: str, ends_on: str = "", place: str = "",
              organiser_ids: list[int], participants: str = "", bodies_taking_part: str = "",
              description: str = "") -> Event:
    problems: list[str] = []
    if kind not in EventKind.values:
        problems.append("행사 종류를 고르세요")
    if not title.strip():
        problems.append("행사명을 적어 주세요")
    try:
        start = date.fromisoformat(starts_on.strip())
        end = date.fromisoformat(ends_on.strip()) if ends_on.strip() else start
        if end < start:
            problems.append(f"종료일({end})이 시작일({start})보다 빠릅니다")
    except ValueError:
        start = end = None
        problems.append("시작일·종료일: YYYY-MM-DD 날짜로 적어 주세요")
    counts = []
    for text, label in ((participants, "참가 인원"), (bodies_taking_part, "참여 기관 수")):
        text = (text or "").strip().replace(",", "")
        counts.append(None if not text else _count(text, label, problems))
    organisers = list(cluster.members.filter(pk__in=organiser_ids))
    if not organisers:
        problems.append("주관 회원을 한 곳 이상 고르세요")
    elif start and any(not m.active_on(start) for m in organisers):
        problems.append("주관 회원 중 행사일에 회원이 아닌 곳이 있습니다: "
                        + ", ".join(m.name for m in organisers if not m.active_on(start)))
    if problems:
        raise ClusterError(problems)
    event = Event.objects.create(cluster=cluster, kind=kind, title=title.strip()[:200], starts_on=start, ends_on=end,
                                 place=place.strip()[:200], participants=counts[0], bodies_taking_part=counts[1],
                                 description=description.strip()[:3000])
    event.organisers.set(organisers)
    record(actor, "clusters.event_added", event, f"{cluster.name}: {event.get_kind_display()} {event.title} ({start}) "
           f"참가 {counts[0] or '-'}명, 기관 {counts[1] or '-'}곳")
    return event


# --- the online space ----------------------------------------------------------------

@transaction.atomic
def add_material(cluster: Cluster, actor, *, kind: str, title: str, name: str, data: bytes) -> Material:
    if kind not in Material.Kind.values:
        raise ClusterError("구분을 고르세요")
    if not title.strip():
        raise ClusterError("제목을 적어 주세요")
    accepted = check_evidence(name, data, settings.INTEGRITY_EVIDENCE_MAX_BYTES)  # same file types and limit
    stored = store.save(data)
    try:
        material = Material.objects.create(cluster=cluster, kind=kind, title=title.strip()[:200], file_name=accepted.name,
                                           file_type=accepted.kind, size=len(data), stored_name=stored,
                                           uploaded_by=actor if getattr(actor, "is_authenticated", False) else None)
        record(actor, "clusters.material_added", material, f"{cluster.name}: {material.get_kind_display()} {material.title}")
    except Exception:
        store.remove(stored)
        raise
    return material


# --- activity for the effort bonus ---------------------------------------------------

def activities(codes=None) -> list[Activity]:
    """Every public member's organised events and attended meetings, as the core counts them."""
    members = Member.objects.filter(kind=MemberKind.PUBLIC).select_related("cluster")
    if codes is not None:
        members = members.filter(institution_code__in=list(codes))
    members = {m.pk: m for m in members}
    out = []
    through = Event.organisers.through.objects.filter(member_id__in=list(members)).select_related("event")
    for row in through:
        m, e = members[row.member_id], row.event
        out.append(Activity(m.institution_code, EVENTS_ORGANISED, f"event:{e.pk}", e.starts_on, e.title, m.cluster.name,
                            m.joined_on, m.left_on))
    attended = Meeting.attendees.through.objects.filter(member_id__in=list(members)).select_related("meeting")
    for row in attended:
        m, meeting = members[row.member_id], row.meeting
        out.append(Activity(m.institution_code, MEETINGS_ATTENDED, f"meeting:{meeting.pk}", meeting.held_on,
                            meeting.title, m.cluster.name, m.joined_on, m.left_on))
    return out


# -- the early warning on the cluster's pages ------------------------------------------------

SHOWN_ALERTS = 5


def alerts_of(cluster: Cluster) -> list:
    """The 청렴주의보 of the cluster's 시·도 (and the national ones) for the types of its
    public members, latest first: what its members should campaign on now (seed 000)."""
    from integrity.apps.earlywarning.services import alerts_for

    codes = cluster.members.filter(kind=MemberKind.PUBLIC, left_on__isnull=True).values_list("institution_code", flat=True)
    types = set(Institution.objects.filter(code__in=list(codes)).values_list("type_code", flat=True))
    return alerts_for(region=cluster.region, type_codes=types or None)[:SHOWN_ALERTS]

