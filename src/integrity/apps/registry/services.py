"""Importing the year's registry from one Excel workbook, all or nothing."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from integrity.apps.accounts.models import Profile, Role
from integrity.apps.audit.services import record
from integrity.registry.regions import REGIONS, inherited
from integrity.rosters import Problem, RosterContext, RosterRejected, check_roster, decrypt, get_form, read_sheet
from integrity.rosters.problems import SheetMissing

from .models import AssessmentYear, Institution, LocalOffice, Officer, TargetTask

SHEETS = ("registry_institutions", "registry_tasks", "registry_offices", "registry_officers")


class RegistryRejected(RosterRejected):
    pass


@dataclass
class ImportSummary:
    institutions: int
    tasks: int
    offices: int
    officers: int
    liaisons_created: int
    missing_sheets: tuple[str, ...] = ()


def _read(xlsx: bytes, year: AssessmentYear, missing: list[str]) -> tuple[dict, list[Problem]]:
    frames, problems = {}, []
    ctx = RosterContext(fieldwork=year.model.fieldwork)
    for code in SHEETS:
        form = get_form(code)
        try:
            sheet = read_sheet(xlsx, form, exact_sheet=True)
        except SheetMissing as exc:
            if code != "registry_institutions":
                missing.append(exc.sheet)  # tasks, offices and officers are optional sheets: named, not guessed
                continue
            problems += [Problem(f"[{form.sheet}] {p.message}", p.row, p.column) for p in exc.problems]
            continue
        except RosterRejected as exc:
            problems += [Problem(f"[{form.sheet}] {p.message}", p.row, p.column) for p in exc.problems]
            continue
        if sheet.frame.height == 0 and code != "registry_institutions":
            continue  # an optional sheet left empty
        checked = check_roster(form, sheet, ctx)
        problems += [Problem(f"[{form.sheet}] {p.message}", p.row, p.column) for p in checked.problems]
        frames[code] = checked.entries
    return frames, problems


def assign_regions(bodies: list[Institution], own: dict[str, str]) -> None:
    """Store each body's region: its own (``own``) or its nearest supervisor's."""
    by_pk = {b.pk: b for b in bodies}
    supervisor = {b.code: by_pk[b.supervisor_id].code if b.supervisor_id in by_pk else None for b in bodies}
    regions = inherited(own, supervisor)
    changed = [b for b in bodies if b.region != regions.get(b.code, "")]
    for b in changed:
        b.region = regions.get(b.code, "")
    Institution.objects.bulk_update(changed, ["region"], batch_size=500)


def import_registry(year: AssessmentYear, data: bytes, password: str | None, actor) -> ImportSummary:
    xlsx, _ = decrypt(data, password)
    missing: list[str] = []
    frames, problems = _read(xlsx, year, missing)
    if "registry_institutions" not in frames:
        raise RegistryRejected(problems or [Problem("[기관] 시트를 읽을 수 없습니다")])
    model = year.model
    inst = frames["registry_institutions"]
    officers = frames.get("registry_officers")
    officer_names = set(officers["name"].to_list()) if officers is not None else set()
    officer_names |= set(Officer.objects.values_list("name", flat=True))
    existing = set(year.institutions.values_list("code", flat=True))
    codes = inst["code"].to_list()
    known = existing | set(codes)
    types = {}
    seen = {}
    for row in inst.iter_rows(named=True):
        r = row["__row"]
        if row["code"] in seen:
            problems.append(Problem(f"[기관] 기관코드가 {seen[row['code']]}행과 중복됩니다", r, "기관코드"))
        seen.setdefault(row["code"], r)
        if row["type"] and row["staff"] is not None:
            try:
                types[row["code"]] = model.classify(row["type"], row["staff"])
            except ValueError as exc:
                problems.append(Problem(f"[기관] {exc}", r, "기관유형"))
        if row["supervisor"] and row["supervisor"] not in known:
            problems.append(Problem(f"[기관] 상급기관 '{row['supervisor']}'가 등록부에 없습니다", r, "상급기관코드"))
        if row["supervisor"] and row["supervisor"] == row["code"]:
            problems.append(Problem("[기관] 자기 자신을 상급기관으로 둘 수 없습니다", r, "상급기관코드"))
        if row.get("region") and row["region"] not in REGIONS:
            problems.append(Problem(f"[기관] 알 수 없는 시·도 '{row['region']}'입니다 (쓸 수 있는 값: {', '.join(REGIONS)})",
                                    r, "시·도"))
        if row["officer"] and row["officer"] not in officer_names:
            problems.append(Problem(f"[기관] 담당자 '{row['officer']}'가 담당자 시트에 없습니다", r, "권익위 담당자"))
    tasks = frames.get("registry_tasks")
    minimum = model.fieldwork.min_per_task
    if tasks is not None:
        seen_tasks = {}
        for row in tasks.iter_rows(named=True):
            r = row["__row"]
            if row["institution"] not in known:
                problems.append(Problem(f"[업무] 기관코드 '{row['institution']}'가 등록부에 없습니다", r, "기관코드"))
            key = (row["institution"], row["code"])
            if key in seen_tasks:
                problems.append(Problem(f"[업무] 같은 기관의 업무코드가 {seen_tasks[key]}행과 중복됩니다", r, "업무코드"))
            seen_tasks.setdefault(key, r)
            if row["quota"] is not None and row["quota"] < minimum and row["census"] != "예":
                problems.append(Problem(f"[업무] 조사규모는 업무당 {minimum}명 이상이어야 합니다 (전수조사 업무 제외)", r, "조사규모"))
    offices = frames.get("registry_offices")
    if offices is not None:
        for row in offices.iter_rows(named=True):
            if row["institution"] not in known:
                problems.append(Problem(f"[지방관서] 기관코드 '{row['institution']}'가 등록부에 없습니다", row["__row"], "기관코드"))
    if problems:
        raise RegistryRejected(problems)
    return _store(year, inst, types, tasks, offices, officers, actor, missing)


@transaction.atomic
def _store(year, inst, types, tasks, offices, officers, actor, missing: list[str]) -> ImportSummary:
    officer_by_name = {}
    if officers is not None:
        for row in officers.iter_rows(named=True):
            officer, _ = Officer.objects.update_or_create(
                name=row["name"], defaults={"title": row["title"] or "", "phone": row["phone"] or "", "email": row["email"] or ""}
            )
            officer_by_name[row["name"]] = officer
    officer_by_name |= {o.name: o for o in Officer.objects.exclude(name__in=officer_by_name)}
    bodies = {}
    for row in inst.iter_rows(named=True):
        bodies[row["code"]], _ = Institution.objects.update_or_create(
            year=year, code=row["code"],
            defaults={"name": row["name"], "type_code": types[row["code"]], "staff": row["staff"],
                      "officer": officer_by_name.get(row["officer"])},
        )
    bodies |= {b.code: b for b in year.institutions.exclude(code__in=bodies)}
    for row in inst.iter_rows(named=True):
        body = bodies[row["code"]]
        body.supervisor = bodies.get(row["supervisor"]) if row["supervisor"] else None
        body.save(update_fields=["supervisor"])
    own = {b.code: b.region for b in bodies.values()} | {r["code"]: r.get("region") or "" for r in inst.iter_rows(named=True)}
    assign_regions(list(bodies.values()), own)
    created = _liaisons(inst, bodies)
    n_tasks = n_offices = 0
    if tasks is not None:
        for row in tasks.iter_rows(named=True):
            TargetTask.objects.update_or_create(
                institution=bodies[row["institution"]], code=row["code"],
                defaults={"name": row["name"], "quota": row["quota"], "census": row["census"] == "예",
                          "sublisting_agreed": row["sublisting_agreed"] == "예"},
            )
            n_tasks += 1
    if offices is not None:
        for row in offices.iter_rows(named=True):
            LocalOffice.objects.update_or_create(institution=bodies[row["institution"]], code=row["code"],
                                                 defaults={"name": row["name"]})
            n_offices += 1
    summary = ImportSummary(inst.height, n_tasks, n_offices, len(officer_by_name), created, tuple(missing))
    record(actor, "registry.import", year, f"{year} 등록부: 기관 {inst.height}곳, 업무 {n_tasks}개, 관서 {n_offices}곳",
           **summary.__dict__)
    return summary


def _liaisons(inst, bodies) -> int:
    """A liaison account per institution e-mail given; it has no usable password
    until an administrator sets one (the address is the user name)."""
    User = get_user_model()
    created = 0
    for row in inst.iter_rows(named=True):
        email = row.get("liaison_email")
        if not email:
            continue
        user, made = User.objects.get_or_create(username=email, defaults={"email": email})
        if made:
            user.set_unusable_password()
            user.save()
            created += 1
        Profile.objects.update_or_create(user=user, defaults={"role": Role.LIAISON, "institution": bodies[row["code"]]})
    return created
