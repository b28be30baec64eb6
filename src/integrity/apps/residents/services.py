"""Importing frames and panels, allocating, drawing and inviting residents and parents."""

from __future__ import annotations

import hashlib
import secrets
from collections import Counter
from dataclasses import dataclass

import polars as pl
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from integrity.apps.audit.services import record
from integrity.apps.fieldwork.models import Channel, Invitation, InvitationStatus
from integrity.apps.fieldwork.services import TOKEN_BYTES, token_hash
from integrity.apps.registry.models import Institution
from integrity.apps.rosters.models import RosterEntry, RosterUpload, UploadStatus
from integrity.apps.rosters.services import cipher
from integrity.apps.sampling.models import Draw, DrawMember
from integrity.apps.sampling.signals import draw_replaced
from integrity.rosters.problems import Problem, RosterRejected
from integrity.rosters.workbook import ROW, read_form_file
from integrity.sampling.population import FRAME, PANEL, StratumPlan, allocate, check_frame_file, draw_panel, frame_form

from .models import FrameImport, FrameKind, ImportStatus, PanelDraw, PanelMember, Stratum

PANEL_FORM = "panel_{group}"  # the form code of a draw's roster upload (never a liaison's form)
SURVEY = "policy"
MAX_PROBLEMS_KEPT = 2000


class DrawRefused(Exception):
    pass


def frame_group(institution: Institution) -> str | None:
    """The frame-drawn group this body polls (resident, parent), from its type in the model."""
    rules = institution.year.model.policy_customers
    if rules is None:
        return None
    return next((g for g in institution.type.policy_groups if g in rules.groups), None)


def polling_bodies(year) -> list[Institution]:
    """The year's bodies whose type polls residents or parents (model: policy_groups)."""
    return [b for b in year.institutions.select_related("year").order_by("code") if frame_group(b)]


def active(institution: Institution, kind: str) -> FrameImport | None:
    return institution.frame_imports.filter(kind=kind, status=ImportStatus.ACCEPTED).first()


# --- import ------------------------------------------------------------------------

def import_file(institution: Institution, kind: str, data: bytes, filename: str, password: str | None, actor) -> FrameImport:
    """Check a frame or panel file and store it whole, or store only its problems
    (status rejected): nothing of a bad file is kept but the report."""
    group = frame_group(institution)
    if group is None:
        raise ValueError("이 기관은 주민·학부모 정책고객을 조사하지 않습니다")
    model = institution.year.model
    base = {"institution": institution, "kind": kind, "group": group, "filename": filename[:255],
            "file_sha256": hashlib.sha256(data).hexdigest(),
            "uploaded_by": actor if getattr(actor, "is_authenticated", False) else None}
    frame = active(institution, FrameKind.FRAME)
    try:
        if kind == PANEL and frame is None:
            raise RosterRejected([Problem("먼저 이 기관의 모집단(층별 인구) 파일을 올려 주세요. 패널의 층은 모집단의 층이어야 합니다")])
        sheet = read_form_file(data, filename, frame_form(kind), password)
        strata = None
        if kind == PANEL:
            strata = set(frame.strata.values_list("district", "age_band", "sex"))
        check = check_frame_file(kind, sheet, model.policy_customers, model.fieldwork, strata)
        problems, notices, entries = check.problems, check.notices, check.entries
    except RosterRejected as exc:
        problems, notices, entries = exc.problems, [], None
    if problems:
        made = FrameImport.objects.create(**base, status=ImportStatus.REJECTED, rows=0 if entries is None else entries.height,
                                          problems=[p.as_dict() for p in problems[:MAX_PROBLEMS_KEPT]], notices=notices)
        record(actor, "residents.frame_rejected", made, f"{institution.name} {made.get_kind_display()}: 오류 {len(problems):,}건")
        return made
    if kind == FRAME:
        notices = notices + _panel_outside(institution, entries)
    with transaction.atomic():
        FrameImport.objects.select_for_update().filter(institution=institution, kind=kind, status=ImportStatus.ACCEPTED) \
            .update(status=ImportStatus.SUPERSEDED)
        made = FrameImport.objects.create(**base, status=ImportStatus.ACCEPTED, rows=entries.height, notices=notices,
                                          population=int(entries["population"].sum()) if kind == FRAME else 0)
        if kind == FRAME:
            _store_strata(made, entries)
        else:
            _store_members(made, entries)
    record(actor, "residents.frame_imported", made, f"{institution.name} {made.get_kind_display()}: {entries.height:,}행")
    return made


def _panel_outside(institution: Institution, entries: pl.DataFrame) -> list[str]:
    """A new frame under an existing panel: members outside its strata are never drawn."""
    panel = active(institution, FrameKind.PANEL)
    if panel is None:
        return []
    strata = set(entries.select("district", "age_band", "sex").iter_rows())
    outside = sum(n for d, a, s, n in _member_counts(panel) if (d, a, s) not in strata)
    return [f"지금 패널의 {outside:,}명은 새 모집단에 없는 층에 있어 추출되지 않습니다. 패널 파일도 새로 올려 주세요"] if outside else []


def _store_strata(made: FrameImport, entries: pl.DataFrame) -> None:
    Stratum.objects.bulk_create([
        Stratum(frame=made, district=r["district"], age_band=r["age_band"], sex=r["sex"], population=int(r["population"]),
                row_number=int(r[ROW]))
        for r in entries.iter_rows(named=True)
    ], batch_size=2000)


def _store_members(made: FrameImport, entries: pl.DataFrame) -> None:
    """Names, phones and e-mails encrypted, as roster entries are."""
    c = cipher()
    columns = {k: entries[k].to_list() if k in entries.columns else [None] * entries.height for k in ("name", "phone", "email")}
    names, phones, emails = (c.encrypt_many(columns[k]) for k in ("name", "phone", "email"))
    PanelMember.objects.bulk_create([
        PanelMember(panel=made, row_number=int(r[ROW]), district=r["district"], age_band=r["age_band"], sex=r["sex"],
                    name_enc=n, phone_enc=p, email_enc=e)
        for r, n, p, e in zip(entries.select(ROW, "district", "age_band", "sex").iter_rows(named=True), names, phones, emails)
    ], batch_size=2000)


def store_generated(institution: Institution, frame_rows: pl.DataFrame, panel_rows: pl.DataFrame) -> None:
    """A generated frame and panel (``generate.population``), stored as imports would be."""
    group = frame_group(institution)
    with transaction.atomic():
        FrameImport.objects.filter(institution=institution, status=ImportStatus.ACCEPTED).update(status=ImportStatus.SUPERSEDED)
        frame = FrameImport.objects.create(institution=institution, kind=FrameKind.FRAME, group=group, filename="generated",
                                           file_sha256="", status=ImportStatus.ACCEPTED, rows=frame_rows.height,
                                           population=int(frame_rows["population"].sum()))
        _store_strata(frame, frame_rows.with_row_index(ROW, offset=2))
        panel = FrameImport.objects.create(institution=institution, kind=FrameKind.PANEL, group=group, filename="generated",
                                           file_sha256="", status=ImportStatus.ACCEPTED, rows=panel_rows.height)
        _store_members(panel, panel_rows.with_row_index(ROW, offset=2))


# --- allocation --------------------------------------------------------------------

@dataclass
class BodyPlan:
    institution: Institution
    group: str
    sample_size: int
    multiple: int
    frame: FrameImport | None
    panel: FrameImport | None
    strata: list[StratumPlan]
    draw: Draw | None

    @property
    def ready(self) -> bool:
        return self.frame is not None and self.panel is not None


def body_plan(institution: Institution) -> BodyPlan:
    rules = institution.year.model.policy_customers
    group = frame_group(institution)
    size = rules.groups[group].sample_size
    frame, panel = active(institution, FrameKind.FRAME), active(institution, FrameKind.PANEL)
    strata = []
    if frame is not None:
        rows = list(frame.strata.order_by("row_number").values_list("district", "age_band", "sex", "population"))
        available = {}
        if panel is not None:
            for d, a, s, n in _member_counts(panel):
                available[(d, a, s)] = n
        strata = allocate(rows, size, rules.draw_multiple, available) if sum(r[3] for r in rows) > 0 else []
    return BodyPlan(institution, group, size, rules.draw_multiple, frame, panel, strata, active_draw(institution))


def _member_counts(panel: FrameImport):
    return panel.members.values_list("district", "age_band", "sex").annotate(n=Count("id")).order_by()


def active_draw(institution: Institution) -> Draw | None:
    return (Draw.objects.filter(upload__institution=institution, upload__form_code__startswith="panel_", superseded_at__isnull=True)
            .select_related("panel_draw").first())


# --- draw and invitations ----------------------------------------------------------

def _answered_members(institution: Institution) -> set[int]:
    """Panel members who completed a questionnaire on an earlier draw: not asked again."""
    used = Invitation.objects.filter(institution=institution, used=True, member__entry__form_code__startswith="panel_")
    return {a.get("panel_member") for a in used.values_list("member__entry__attributes", flat=True)} - {None}


@transaction.atomic
def draw_body(institution: Institution, actor, *, reason: str = "", seed: int | None = None) -> Draw:
    """Allocate the body's sample across strata and draw ``allocated x multiple`` panel
    members per stratum, reproducibly (the seed and the allocation are stored). A body
    drawn already is drawn again only with a reason; the replaced draw's open links
    are withdrawn (fieldwork listens to ``draw_replaced``)."""
    institution = Institution.objects.select_for_update().select_related("year").get(pk=institution.pk)
    plan = body_plan(institution)
    if not plan.ready:
        raise DrawRefused("모집단 파일과 패널 파일을 모두 올려야 추출할 수 있습니다")
    if not plan.strata:
        raise DrawRefused("모집단 파일의 인구 합계가 0입니다")
    previous = plan.draw
    if previous and not reason.strip():
        raise DrawRefused("이미 추출했습니다. 다시 추출하려면 사유를 적어야 하며, 이전 추출도 기록으로 남습니다")
    if previous:
        previous.superseded_at = timezone.now()
        previous.superseded_reason = reason.strip()[:300]
        previous.save(update_fields=["superseded_at", "superseded_reason"])
        draw_replaced.send(sender=Draw, draw=previous)
        RosterUpload.objects.filter(pk=previous.upload_id).update(status=UploadStatus.SUPERSEDED)
    answered = _answered_members(institution)
    members = [m for m in plan.panel.members.order_by("row_number").values_list("pk", "district", "age_band", "sex")
               if m[0] not in answered]
    seed = secrets.randbits(63) if seed is None else seed
    chosen, order = draw_panel([m[1:] for m in members], plan.strata, seed)
    drawn_ids = [members[i][0] for i in chosen.tolist()]
    counts = Counter(members[i][1:] for i in chosen.tolist())
    available = Counter(m[1:] for m in members)
    allocation = [[p.district, p.age_band, p.sex, p.population, p.allocated, p.wanted,
                   available[(p.district, p.age_band, p.sex)], counts[(p.district, p.age_band, p.sex)]] for p in plan.strata]
    upload = RosterUpload.objects.create(
        institution=institution, form_code=PANEL_FORM.format(group=plan.group), filename=plan.panel.filename,
        file_sha256=plan.panel.file_sha256, status=UploadStatus.ACCEPTED, row_count=len(drawn_ids),
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None, stage="", progress_done=100)
    by_id = {m.pk: m for m in PanelMember.objects.filter(pk__in=drawn_ids)}
    entries = RosterEntry.objects.bulk_create([
        RosterEntry(upload=upload, institution=institution, form_code=upload.form_code, row_number=by_id[pk].row_number,
                    name_enc=by_id[pk].name_enc, phone_enc=by_id[pk].phone_enc, email_enc=by_id[pk].email_enc,
                    attributes={"district": by_id[pk].district, "age_band": by_id[pk].age_band, "sex": by_id[pk].sex,
                                "panel_member": pk})
        for pk in drawn_ids
    ], batch_size=2000)
    draw = Draw.objects.create(
        upload=upload, method="stratified_panel", seed=seed, wanted=sum(p.wanted for p in plan.strata), drawn=len(drawn_ids),
        eligible=len(members), created_by=upload.uploaded_by,
        parameters={"group": plan.group, "sample_size": plan.sample_size, "draw_multiple": plan.multiple,
                    "frame": plan.frame.pk, "panel": plan.panel.pk, "excluded_ids": sorted(answered),
                    "allocation_columns": ["district", "age_band", "sex", "population", "allocated", "wanted", "available", "drawn"],
                    "allocation": allocation},
    )
    if not entries or entries[0].pk is None:  # backends that return no keys from bulk_create
        entries = list(upload.entries.order_by("pk"))
    DrawMember.objects.bulk_create([DrawMember(draw=draw, entry=e, contact_order=int(o)) for e, o in zip(entries, order.tolist())],
                                   batch_size=2000)
    link = PanelDraw.objects.create(draw=draw, frame=plan.frame, panel=plan.panel, group=plan.group)
    link.invited = invite(draw, plan.group)
    link.save(update_fields=["invited"])
    record(actor, "residents.redrawn" if previous else "residents.drawn", draw,
           f"{institution.name} {plan.group}: {len(drawn_ids):,}/{len(members):,}명 추출 (씨앗 {seed})",
           seed=seed, wanted=draw.wanted, eligible=len(members), replaced=previous.pk if previous else None, reason=reason)
    return draw


def recompute(draw: Draw) -> list[int]:
    """The panel members the stored seed gives, for checking a draw."""
    link = draw.panel_draw
    excluded = set(draw.parameters.get("excluded_ids") or ())
    members = [m for m in link.panel.members.order_by("row_number").values_list("pk", "district", "age_band", "sex")
               if m[0] not in excluded]
    plans = [StratumPlan(d, a, s, pop, 0.0, al, w, av, dr) for d, a, s, pop, al, w, av, dr in draw.parameters["allocation"]]
    chosen, _ = draw_panel([m[1:] for m in members], plans, draw.seed)
    return sorted(members[i][0] for i in chosen.tolist())


def invite(draw: Draw, group: str) -> int:
    """One invitation per drawn person to the policy-customer questionnaire (group
    resident or parent), by e-mail where the panel has one, else by text message;
    ``manage.py invite`` sends them with everyone else's."""
    c = cipher()
    made = []
    for member in draw.members.select_related("entry").filter(invitation__isnull=True):
        entry = member.entry
        channel = Channel.EMAIL if entry.email_enc else Channel.SMS if entry.phone_enc else None
        if channel is None:
            continue
        token = secrets.token_urlsafe(TOKEN_BYTES)
        made.append(Invitation(member=member, institution_id=entry.institution_id, survey=SURVEY, group=group,
                               token_hash=token_hash(token), token_enc=c.encrypt(token), channel=channel))
    Invitation.objects.bulk_create(made, batch_size=2000)
    return len(made)


def invitation_counts(draw: Draw) -> dict[str, int]:
    counts = dict.fromkeys(InvitationStatus.values, 0)
    for status, n in Invitation.objects.filter(member__draw=draw).values_list("status").annotate(n=Count("id")).order_by():
        counts[status] = n
    counts["all"] = sum(v for k, v in counts.items())
    return counts


def draw_year(year, actor, progress=None, *, seed: int | None = None) -> list[Draw]:
    """Every polling body with a frame and a panel and no draw yet (``seed``: the
    first body's; the next bodies' follow it, for a reproducible demo)."""
    bodies = [b for b in polling_bodies(year) if active_draw(b) is None and body_plan(b).ready]
    draws = []
    for i, body in enumerate(bodies, start=1):
        draws.append(draw_body(body, actor, seed=None if seed is None else seed + i - 1))
        if progress:
            progress(i, len(bodies))
    return draws


def stratum_rows(plan: BodyPlan) -> list[dict]:
    """The allocation per stratum as the screen lists it, with the draw's counts."""
    drawn = {}
    if plan.draw is not None:
        for d, a, s, *_rest, n in plan.draw.parameters.get("allocation", []):
            drawn[(d, a, s)] = n
    return [{"district": p.district, "age_band": p.age_band, "sex": p.sex, "population": p.population,
             "exact": p.exact, "allocated": p.allocated, "wanted": p.wanted, "available": p.available,
             "drawn": drawn.get((p.district, p.age_band, p.sex)), "short": p.short} for p in plan.strata]

