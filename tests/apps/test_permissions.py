"""Every URL, walked as every role and as a liaison of another institution:
nobody sees what is not theirs."""

import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from integrity.apps.rosters.models import RosterUpload, UploadStatus
from tests.registry_fixtures import PASSWORD

ROLES = ("anonymous", "admin", "analyst", "interviewer", "liaison_a", "liaison_b", "liaison_closed", "evaluator",
         "secretariat", "team_a", "team_b")
STAFF_VIEWERS = {"admin", "analyst"}

# route name -> (method, roles allowed). Objects in the URL belong to institution A.
MATRIX = {
    "home": ("get", set(ROLES)),
    "login": ("get", set(ROLES)),
    "logout": ("post", set(ROLES)),
    "set_language": ("post", set(ROLES)),
    "results:list": ("get", set(ROLES)),
    "results:detail": ("get", set(ROLES)),
    "rosters:index": ("get", STAFF_VIEWERS | {"liaison_a", "liaison_b"}),
    "rosters:dashboard": ("get", STAFF_VIEWERS | {"liaison_a"}),
    "rosters:template": ("get", STAFF_VIEWERS | {"liaison_a"}),
    "rosters:task_template": ("get", STAFF_VIEWERS | {"liaison_a"}),
    "rosters:upload": ("post", {"admin", "liaison_a"}),
    "rosters:upload_detail": ("get", STAFF_VIEWERS | {"liaison_a"}),
    "rosters:uploads": ("get", STAFF_VIEWERS),  # every institution's uploads
    "rosters:upload_status": ("get", STAFF_VIEWERS | {"liaison_a"}),
    "rosters:upload_report": ("get", STAFF_VIEWERS | {"liaison_a"}),
    "registry:import": ("get", {"admin"}),
    "registry:template": ("get", {"admin"}),
    "registry:rotation": ("get", STAFF_VIEWERS),
    "registry:rotation_set": ("post", {"admin"}),
    "sampling:index": ("get", {"admin"}),
    "sampling:draw": ("post", {"admin"}),
    "residents:index": ("get", {"admin"}),
    "residents:import": ("post", {"admin"}),
    "residents:import_detail": ("get", {"admin"}),
    "residents:import_report": ("get", {"admin"}),
    "residents:body": ("get", {"admin"}),
    "residents:draw": ("post", {"admin"}),
    "residents:allocation_download": ("get", {"admin"}),
    # respondents: the link is the key; an unknown token gets a polite 404
    "fieldwork:survey": ("get", set(ROLES)),
    "fieldwork:thanks": ("get", set(ROLES)),
    "fieldwork:opt_out": ("get", set(ROLES)),
    "fieldwork:opt_in": ("post", set(ROLES)),
    "fieldwork:phone": ("get", set(ROLES)),
    "fieldwork:resend": ("post", set(ROLES)),
    "fieldwork:language": ("get", set(ROLES)),
    "fieldwork:calls": ("get", {"admin", "interviewer"}),
    "fieldwork:call": ("get", {"admin"}),  # the assignment below is the administrator's
    "fieldwork:record_attempt": ("post", {"admin"}),
    "fieldwork:call_survey": ("get", {"admin"}),
    "monitoring:index": ("get", STAFF_VIEWERS),
    "monitoring:export": ("get", STAFF_VIEWERS),
    "monitoring:signals": ("get", {"admin"}),
    # published results and open data are public; an unpublished run shows to staff only
    "results:download": ("get", set(ROLES)),
    "results:runs": ("get", STAFF_VIEWERS),
    "results:start_run": ("post", {"admin"}),
    "results:view_run": ("post", STAFF_VIEWERS),
    "results:method": ("get", set(ROLES)),  # how scores are made: public  # switch the results pages to a draft run
    "results:publish": ("get", {"admin"}),
    "incidents:mine": ("get", {"liaison_a", "liaison_b"}),
    "incidents:rebut": ("post", {"liaison_a"}),
    "incidents:evidence": ("get", {"admin", "liaison_a"}),
    "incidents:evidence_file": ("get", {"admin", "liaison_a"}),
    "incidents:onsite": ("get", STAFF_VIEWERS),
    "incidents:onsite_open_case": ("get", {"admin"}),
    "incidents:crosscheck": ("get", STAFF_VIEWERS),
    "incidents:crosscheck_import": ("post", {"admin"}),
    "incidents:crosscheck_rerun": ("post", {"admin"}),
    "incidents:crosscheck_institution": ("get", STAFF_VIEWERS),
    "incidents:finding_open_case": ("get", {"admin"}),
    "results:pdf": ("get", set(ROLES)),
    "api:api-root": ("get", set(ROLES)),
    "api:openapi-json": ("get", set(ROLES)),
    "api:openapi-view": ("get", set(ROLES)),
    "api:years": ("get", set(ROLES)),
    "api:results": ("get", set(ROLES)),
    "api:history": ("get", set(ROLES)),
    "api:fieldwork": ("get", STAFF_VIEWERS),
    # the schedule: everyone signed in sees it; deadlines: staff, and a liaison their own
    "schedule:index": ("get", set(ROLES) - {"anonymous"}),
    "schedule:edit": ("get", {"admin"}),
    "schedule:deadlines": ("get", STAFF_VIEWERS | {"liaison_a", "liaison_b", "liaison_closed"}),
    "schedule:deadlines_download": ("get", STAFF_VIEWERS | {"liaison_a", "liaison_b", "liaison_closed"}),
    "schedule:remind": ("post", {"admin"}),
    "schedule:extend": ("get", {"admin"}),
    "schedule:reminders": ("get", STAFF_VIEWERS),
    # 청렴노력도: a liaison their own report; staff read the evaluation, administrators score
    "effort:mine": ("get", {"liaison_a", "liaison_b", "team_a", "team_b"}),
    "effort:index": ("get", STAFF_VIEWERS),
    "effort:deadline": ("post", {"admin"}),
    "effort:institution": ("get", STAFF_VIEWERS),
    "effort:score": ("post", {"admin"}),
    "effort:reopen": ("post", {"admin"}),
    # 청렴노력도 evidence files and the objection window (helper "objections")
    "effort:evidence_upload": ("post", {"liaison_a", "liaison_b", "team_a", "team_b"}),
    "effort:evidence_file": ("get", {"admin", "liaison_a", "team_a"}),  # the test's evaluator is assigned nowhere
    "effort:evidence_delete": ("post", {"liaison_a", "team_a"}),
    "effort:release": ("post", {"admin"}),
    "effort:preliminary": ("get", {"liaison_a", "liaison_b", "team_a", "team_b"}),
    "effort:objections": ("get", STAFF_VIEWERS),
    "effort:objection": ("get", STAFF_VIEWERS),
    # 청렴신문고 (reporting): the public reports and follows; an institution's integrity team
    # (and administrators) handle its cases and registers; a named reporter's identity
    # shows to the case owner only (the case below is assigned to team_a)
    "reporting:report": ("get", set(ROLES)),
    "reporting:follow": ("get", set(ROLES)),
    "reporting:follow_reply": ("post", set(ROLES)),
    "reporting:cases": ("get", {"admin", "team_a", "team_b"}),
    "reporting:case": ("get", {"admin", "team_a"}),
    "reporting:case_act": ("post", {"admin", "team_a"}),
    "reporting:case_file": ("get", {"admin", "team_a"}),
    "reporting:case_identity": ("post", {"team_a"}),
    "reporting:statistics": ("get", {"admin", "analyst", "team_a", "team_b"}),
    "reporting:solicitations": ("get", {"admin", "team_a", "team_b"}),
    "reporting:solicitation_new": ("get", {"admin", "team_a", "team_b"}),
    "reporting:solicitation": ("get", {"admin", "team_a"}),
    "reporting:solicitation_incident": ("post", {"admin", "team_a"}),
    "reporting:one_strike": ("get", {"admin", "team_a", "team_b"}),
    "reporting:one_strike_new": ("get", {"admin", "team_a", "team_b"}),
    "reporting:one_strike_entry": ("get", {"admin", "team_a"}),
    "reporting:one_strike_incident": ("post", {"admin", "team_a"}),
    "reporting:auditors": ("get", {"admin", "team_a", "team_b"}),
    "reporting:auditor_new": ("get", {"admin", "team_a", "team_b"}),
    "reporting:auditor": ("get", {"admin", "team_a"}),
    "reporting:finding_to_task": ("post", {"admin", "team_a"}),
    # 청렴 리스크 조기경보: administrators, analysts and cluster secretariats read; administrators issue and send
    "earlywarning:list": ("get", STAFF_VIEWERS | {"secretariat"}),
    "earlywarning:calendar": ("get", STAFF_VIEWERS | {"secretariat"}),
    "earlywarning:detail": ("get", STAFF_VIEWERS | {"secretariat"}),
    "earlywarning:issue": ("post", {"admin"}),
    "earlywarning:deliver": ("post", {"admin"}),
    # clusters: the secretariat its own cluster (institution A is a member), members' liaisons and
    # integrity teams the online space, the public the public page and the shared calendar
    "clusters:index": ("get", {"admin", "secretariat", "liaison_a", "liaison_b", "liaison_closed", "team_a", "team_b"}),
    "clusters:detail": ("get", {"admin", "secretariat"}),
    "clusters:application": ("get", {"admin", "secretariat"}),
    "clusters:meetings": ("get", {"admin", "secretariat"}),
    "clusters:meeting": ("get", {"admin", "secretariat"}),
    "clusters:dues": ("get", {"admin", "secretariat"}),
    "clusters:events": ("get", {"admin", "secretariat"}),
    "clusters:space": ("get", {"admin", "secretariat", "liaison_a", "team_a"}),
    "clusters:minutes": ("get", {"admin", "secretariat", "liaison_a", "team_a"}),
    "clusters:material": ("get", {"admin", "secretariat", "liaison_a", "team_a"}),
    "clusters:calendar": ("get", set(ROLES)),
    "clusters:calendar_ics": ("get", set(ROLES)),
    "clusters:public": ("get", set(ROLES)),
    # effort: the evaluation panel (평가단); the test's evaluator is on no panel and assigned nowhere
    "effort:note": ("post", {"admin"}),
    "effort:reconcile": ("post", {"admin"}),
    "effort:assigned": ("get", {"evaluator"}),
    "effort:evaluate": ("get", set()),
    "effort:evaluator_score": ("post", set()),
    "effort:ties": ("get", {"evaluator"}),
    "effort:panels": ("get", STAFF_VIEWERS),
    "effort:panel": ("get", STAFF_VIEWERS),
    "effort:panel_member": ("post", {"admin"}),
    "effort:panel_assign": ("post", {"admin"}),
    "effort:reconciliation": ("get", {"admin"}),
    # programme (기관 청렴 추진계획): the institution's integrity team and its liaison (open year)
    # work on their own institution by code; administrators on all; analysts read only
    "programme:index": ("get", STAFF_VIEWERS | {"liaison_a", "liaison_b", "team_a", "team_b"}),
    "programme:dashboard": ("get", STAFF_VIEWERS | {"liaison_a", "team_a"}),
    "programme:briefing_pdf": ("get", STAFF_VIEWERS | {"liaison_a", "team_a"}),
    "programme:targets": ("get", STAFF_VIEWERS | {"liaison_a", "team_a"}),
    "programme:target_delete": ("post", {"admin", "liaison_a", "team_a"}),
    "programme:plan": ("get", STAFF_VIEWERS | {"liaison_a", "team_a"}),
    "programme:copy": ("post", {"admin", "liaison_a", "team_a"}),
    "programme:import": ("post", {"admin", "liaison_a", "team_a"}),
    "programme:tasks": ("get", STAFF_VIEWERS | {"liaison_a", "team_a"}),
    "programme:task": ("get", STAFF_VIEWERS | {"liaison_a", "team_a"}),
    "programme:progress": ("post", {"admin", "liaison_a", "team_a"}),
    "programme:evidence": ("get", {"admin", "liaison_a", "team_a"}),
    "programme:diagnosis": ("get", STAFF_VIEWERS | {"liaison_a", "team_a"}),
    "programme:diagnosis_task": ("post", {"admin", "liaison_a", "team_a"}),
}


def _named_routes(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue  # the Django admin has its own staff check, tested below
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from _named_routes(pattern, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{prefix}{pattern.name}"


def test_every_named_url_is_in_the_permission_matrix():
    assert set(_named_routes()) == set(MATRIX)


@pytest.fixture
def upload_a(registry, users):
    return RosterUpload.objects.create(institution=registry["a"], form_code="staff_2_1", filename="a.xlsx",
                                       file_sha256="0" * 64, status=UploadStatus.REJECTED, problems=[])


@pytest.fixture
def case_a(registry, settings, tmp_path):
    """A case of institution A with an evidence file, an on-site check and an omission found."""
    from datetime import date

    from integrity.apps.incidents.evidence import add_evidence
    from integrity.apps.incidents.models import Case, Finding, OnsiteCheck

    settings.INTEGRITY_EVIDENCE_DIR = tmp_path / "evidence"
    case = Case.objects.create(year=registry["year"], institution=registry["a"], source="press", act_type="직권남용",
                               detected_by="press")
    case.evidence_a = add_evidence(case, "decision", "a.pdf", b"%PDF-1.4 x", case.created_by or _Nobody())
    case.onsite_a = OnsiteCheck.objects.create(year=registry["year"], institution=registry["a"], checked_on=date(2017, 9, 1),
                                               checker="사무관", subject="incidents", findings="누락", outcome="violation")
    case.finding_a = Finding.objects.create(year=registry["year"], institution=registry["a"], kind="omission",
                                            act_type="직권남용", disposition="해임", key="omission|a")
    # 청렴노력도 (helper "objections"): an evidence file and an objection of institution A
    from integrity.apps.effort.evidence import store
    from integrity.apps.effort.models import EvidenceFile, Objection
    from integrity.apps.rosters.services import cipher

    settings.INTEGRITY_EFFORT_EVIDENCE_DIR = tmp_path / "effort_evidence"
    case.effort_evidence_a = EvidenceFile.objects.create(
        institution=registry["a"], indicator="1.1", file_type="pdf", name_enc=cipher().encrypt("a.pdf"), size=10,
        stored_name=store.save(b"%PDF-1.4 x"))
    case.effort_objection_a = Objection.objects.create(institution=registry["a"], indicator="3.2", reason="재검토 요청")
    return case


class _Nobody:
    is_authenticated = False


@pytest.fixture
def admins_call(registry, users, upload_a):
    """A call assignment of the administrator's, on an invitation of institution A."""
    from integrity.apps.fieldwork.models import CallAssignment, Invitation
    from integrity.apps.rosters.models import RosterEntry
    from integrity.apps.sampling.models import Draw, DrawMember
    from integrity.apps.rosters.services import cipher

    upload_a.status = UploadStatus.ACCEPTED
    upload_a.save()
    c = cipher()
    entry = RosterEntry.objects.create(upload=upload_a, institution=registry["a"], form_code="staff_2_1", row_number=2,
                                       name_enc=c.encrypt("김"), phone_enc=c.encrypt("+821011112222"))
    draw = Draw.objects.create(upload=upload_a, method="whole_list", seed=1, wanted=1, drawn=1, eligible=1)
    member = DrawMember.objects.create(draw=draw, entry=entry, contact_order=0)
    invitation = Invitation.objects.create(member=member, institution=registry["a"], survey="internal",
                                           token_hash="0" * 64, token_enc=b"x", channel="phone")
    return CallAssignment.objects.create(invitation=invitation, interviewer=users["admin"])


def _residents_objects(registry):
    """A metropolitan government (it polls residents) and a frame file of it, made once."""
    from integrity.apps.registry.models import Institution
    from integrity.apps.residents.models import FrameImport

    metro, _ = Institution.objects.get_or_create(year=registry["year"], code="0300001",
                                                 defaults={"name": "한빛광역시", "type_code": "metropolitan", "staff": 9000})
    made = FrameImport.objects.filter(institution=metro).first() or FrameImport.objects.create(
        institution=metro, kind="population_frame", group="resident", filename="f.xlsx", file_sha256="0" * 64,
        status="rejected", problems=[{"row": 2, "column": "연령대", "message": "연령대가 맞지 않습니다"}])
    return metro, made


def _reporting_objects(registry):
    """A named report of institution A with an attachment, assigned to team_a, and an
    entry of each register and an auditor of A, made once."""
    from datetime import date

    from django.contrib.auth import get_user_model

    from integrity.apps.reporting import release, services
    from integrity.apps.reporting.models import (AuditorActivity, AuditorFinding, CitizenAuditor, OneStrikeEntry, Report,
                                                 SolicitationEntry)
    from integrity.apps.rosters.services import cipher
    from tests.reporting.samples import jpeg_with_gps

    report = Report.objects.filter(institution=registry["a"]).first()
    if report is None:
        made = services.submit_report(institution=registry["a"], kind="corruption", field="contracts", title="t",
                                      what="w", when="", where="", identity={"name": "홍", "contact": ""},
                                      files=[jpeg_with_gps()])
        release.release()
        report = services.find_report(made.code, made.passphrase)
        report.assigned_to = get_user_model().objects.filter(username="team_a").first()
        report.save()
        secret = cipher().encrypt("{}")
        SolicitationEntry.objects.create(institution=registry["a"], solicited_on=date(2017, 3, 1), method="phone",
                                         solicitor_enc=secret, official="과장", field="permits", content="c",
                                         handling="refused")
        OneStrikeEntry.objects.create(institution=registry["a"], official_enc=secret, department="d", acted_on=date(2017, 3, 1),
                                      description="d", amount=1_000_000, flagged=True)
        auditor = CitizenAuditor.objects.create(institution=registry["a"], kind="citizen_auditor",
                                                name_enc=cipher().encrypt("이"), term_start=date(2017, 1, 1),
                                                term_end=date(2018, 12, 31))
        activity = AuditorActivity.objects.create(auditor=auditor, held_on=date(2017, 5, 1), field="permits", summary="s")
        AuditorFinding.objects.create(activity=activity, field="permits", finding="f")
    return {"report": report, "solicitation": SolicitationEntry.objects.filter(institution=registry["a"]).first(),
            "one_strike": OneStrikeEntry.objects.filter(institution=registry["a"]).first(),
            "auditor": CitizenAuditor.objects.filter(institution=registry["a"]).first(),
            "finding": AuditorFinding.objects.filter(activity__auditor__institution=registry["a"]).first()}


def _alert():
    """A 청렴주의보 of institution B's region and family (made once)."""
    from datetime import date

    from integrity.apps.earlywarning.models import Alert

    return Alert.objects.get_or_create(month=date(2017, 1, 1), region="", family="local_government", field="gifts",
                                       defaults={"expected": 2, "baseline": 1, "uplift": 2, "lower": 1.2, "upper": 3,
                                                 "interval_level": 0.9, "factor": 1.5, "history": 10})[0]


def _cluster_objects(registry):
    """A cluster with institution A as a member, run by the user 'secretariat', with a meeting and a file."""
    from datetime import date

    from django.contrib.auth import get_user_model

    from integrity.apps.clusters.models import Cluster, Material, Meeting, Member

    cluster, made = Cluster.objects.get_or_create(name="경남 청렴 클러스터", defaults={"region": "경남"})
    if made:
        cluster.secretariat_users.add(get_user_model().objects.get(username="secretariat"))
        Member.objects.create(cluster=cluster, kind="public", institution_code=registry["a"].code, name="가람부",
                              joined_on=date(2017, 1, 1))
        Meeting.objects.create(cluster=cluster, body="representatives", held_on=date(2017, 6, 1), title="대표자회의")
        from integrity.apps.clusters import store

        Material.objects.create(cluster=cluster, kind="minutes", title="회의록", file_name="a.pdf", file_type="pdf",
                                size=9, stored_name=store.save(b"%PDF-1.4\n"))
    return cluster, cluster.meetings.first(), cluster.materials.first()


def _panel(registry):
    """An evaluation panel of institution A's type (effort), made once."""
    from integrity.apps.effort.models import Panel

    return Panel.objects.get_or_create(year=registry["year"], name="중앙 평가단", defaults={"type_codes": ["central_1"]})[0]


def _url(name, registry, upload, assignment, case_a):
    a, task = registry["a"], registry["task_a"]
    metro, frame = _residents_objects(registry) if name.startswith("residents:") else (None, None)
    rep = _reporting_objects(registry) if name.startswith("reporting:") else {}
    rid = getattr(rep.get("report"), "pk", None)
    cluster, meeting, material = _cluster_objects(registry) if name.startswith("clusters:") else (None, None, None)
    panel = _panel(registry) if name.startswith("effort:panel") else None
    alert = _alert() if name.startswith("earlywarning:") else None
    kwargs = {
        "reporting:case": {"report_id": rid},
        "reporting:case_act": {"report_id": rid},
        "reporting:case_file": {"report_id": rid, "number": 1},
        "reporting:case_identity": {"report_id": rid},
        "reporting:solicitation": {"entry_id": getattr(rep.get("solicitation"), "pk", 0)},
        "reporting:solicitation_incident": {"entry_id": getattr(rep.get("solicitation"), "pk", 0)},
        "reporting:one_strike_entry": {"entry_id": getattr(rep.get("one_strike"), "pk", 0)},
        "reporting:one_strike_incident": {"entry_id": getattr(rep.get("one_strike"), "pk", 0)},
        "reporting:auditor": {"auditor_id": getattr(rep.get("auditor"), "pk", 0)},
        "reporting:finding_to_task": {"finding_id": getattr(rep.get("finding"), "pk", 0)},
        "clusters:detail": {"cluster_id": getattr(cluster, "pk", 0)},
        "clusters:application": {"cluster_id": getattr(cluster, "pk", 0)},
        "clusters:meetings": {"cluster_id": getattr(cluster, "pk", 0)},
        "clusters:meeting": {"meeting_id": getattr(meeting, "pk", 0)},
        "clusters:dues": {"cluster_id": getattr(cluster, "pk", 0)},
        "clusters:events": {"cluster_id": getattr(cluster, "pk", 0)},
        "clusters:space": {"cluster_id": getattr(cluster, "pk", 0)},
        "clusters:minutes": {"cluster_id": getattr(cluster, "pk", 0)},
        "clusters:material": {"material_id": getattr(material, "pk", 0)},
        "clusters:public": {"cluster_id": getattr(cluster, "pk", 0)},
        "residents:import_detail": {"import_id": getattr(frame, "pk", 0)},
        "residents:import_report": {"import_id": getattr(frame, "pk", 0)},
        "residents:body": {"institution_id": getattr(metro, "pk", 0)},
        "residents:draw": {"institution_id": getattr(metro, "pk", 0)},
        "residents:allocation_download": {"institution_id": getattr(metro, "pk", 0)},
        "rosters:dashboard": {"institution_id": a.pk},
        "rosters:template": {"institution_id": a.pk, "form_code": "staff_2_1"},
        "rosters:task_template": {"institution_id": a.pk, "form_code": "external", "task_id": task.pk},
        "rosters:upload": {"institution_id": a.pk},
        "rosters:upload_detail": {"upload_id": upload.pk},
        "rosters:upload_status": {"upload_id": upload.pk},
        "rosters:upload_report": {"upload_id": upload.pk},
        "sampling:draw": {"upload_id": upload.pk},
        "results:detail": {"code": a.code},
        "results:pdf": {"code": a.code},
        "results:publish": {"pk": 999_999},  # no such run: 404 for the administrator, refused for the rest
        "results:download": {"fmt": "csv"},
        "api:results": {"year": 2017},
        "api:history": {"code": a.code},
        "api:fieldwork": {"year": 2017},
        "incidents:rebut": {"case_id": case_a.pk},
        "incidents:evidence": {"case_id": case_a.pk},
        "incidents:evidence_file": {"evidence_id": case_a.evidence_a.pk},
        "incidents:onsite_open_case": {"check_id": case_a.onsite_a.pk},
        "incidents:crosscheck_institution": {"institution_id": a.pk},
        "incidents:finding_open_case": {"finding_id": case_a.finding_a.pk},
        "fieldwork:survey": {"token": "not-a-real-token-000000"},
        "fieldwork:thanks": {"token": "not-a-real-token-000000"},
        "fieldwork:opt_out": {"token": "not-a-real-token-000000"},
        "fieldwork:opt_in": {"token": "not-a-real-token-000000"},
        "fieldwork:phone": {"token": "not-a-real-token-000000"},
        "fieldwork:resend": {"token": "not-a-real-token-000000"},
        "fieldwork:language": {"token": "not-a-real-token-000000", "code": "en"},
        "fieldwork:call": {"assignment_id": assignment.pk},
        "fieldwork:record_attempt": {"assignment_id": assignment.pk},
        "fieldwork:call_survey": {"assignment_id": assignment.pk},
        "schedule:deadlines_download": {"fmt": "csv"},
        "schedule:extend": {"institution_id": a.pk, "form_code": "staff_2_1"},
        "effort:institution": {"institution_id": a.pk},
        "effort:score": {"institution_id": a.pk},
        "effort:reopen": {"institution_id": a.pk},
        # 청렴노력도 evidence files and the objection window (helper "objections")
        "effort:evidence_file": {"evidence_id": case_a.effort_evidence_a.pk},
        "effort:evidence_delete": {"evidence_id": case_a.effort_evidence_a.pk},
        "effort:objection": {"objection_id": case_a.effort_objection_a.pk},
        # 청렴 리스크 조기경보
        "earlywarning:detail": {"alert_id": getattr(alert, "pk", 0)},
        "earlywarning:deliver": {"alert_id": getattr(alert, "pk", 0)},
        # effort: the evaluation panel
        "effort:note": {"institution_id": a.pk},
        "effort:reconcile": {"institution_id": a.pk},
        "effort:evaluate": {"institution_id": a.pk},
        "effort:evaluator_score": {"institution_id": a.pk},
        "effort:panel": {"panel_id": getattr(panel, "pk", 0)},
        "effort:panel_member": {"panel_id": getattr(panel, "pk", 0)},
        "effort:panel_assign": {"panel_id": getattr(panel, "pk", 0)},
    }.get(name, {})
    if name.startswith("programme:") and name != "programme:index":  # programme: institution A's objects
        kwargs = {"code": a.code, "year": 2017} | _programme_objects(registry).get(name, {})
    return reverse(name, kwargs=kwargs)


def _programme_objects(registry):
    """A target and a sub-task of institution A with a progress report and its evidence, made once."""
    from datetime import date

    from django.contrib.auth.models import AnonymousUser

    from integrity.apps.programme import services
    from integrity.apps.programme.models import ProgressReport, Target

    code = registry["a"].code
    report = ProgressReport.objects.filter(sub_task__core_task__strategy__institution_code=code).first()
    if report is None:
        nobody = AnonymousUser()
        Target.objects.create(institution_code=code, year=2017, measure="overall", kind="grade", value=1)
        sub = services.add_task_from_finding(code, 2017, "내부 통제 강화", "", "인사", "시민감사관 지적")
        report = services.add_progress(sub, nobody, reported_on=date(2017, 5, 1), progress=30, narrative="착수",
                                       evidence=("e.pdf", b"%PDF-1.4 x"))
    target = Target.objects.get(institution_code=code, year=2017, measure="overall")
    return {"programme:target_delete": {"target_id": target.pk}, "programme:task": {"task_id": report.sub_task_id},
            "programme:progress": {"task_id": report.sub_task_id}, "programme:evidence": {"report_id": report.pk}}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_walk_every_url_as_every_role(client, registry, users, upload_a, admins_call, case_a, name, role):
    if role != "anonymous":
        client.force_login(users[role])
    method, allowed = MATRIX[name]
    url = _url(name, registry, upload_a, admins_call, case_a)
    response = getattr(client, method)(url)
    if role in allowed:
        assert response.status_code in (200, 302, 404), (name, role, response.status_code)
        if response.status_code == 302 and name != "logout":  # logging out lands on the login page
            assert "/accounts/login/" not in response["Location"], (name, role)
        if response.status_code == 404:
            # no published run in this registry; not a real survey link
            assert name.startswith(("results:", "api:", "fieldwork:")), name
    elif role == "anonymous" and name.startswith("api:"):
        assert response.status_code == 401, (name, response.status_code)  # the API answers, it does not redirect
    elif role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], (name, response.status_code)
    else:
        assert response.status_code == 403, (name, role, response.status_code)


MALFORMED = ("?a=1&b=abc", "?a=abc&b=1", "?a=-1&b=99999999999999999999999", "?page=x&year=--&type=%00&code=%27",
             "?a=1&a=2&b=3&b=x", "?type=%ED%95%9C%EA%B8%80&fmt=../../etc/passwd", "?suspended=1&next=javascript:alert(1)",
             "?page=99999999999999999999999999&sort=%00&q=%00", "?a=1e3&b=0x10&limit=-1&offset=x",
             "?type=&type=%00&year=2017&year=abc", "?q=" + "%EA%B0%80" * 300, "?%00=%00&=&&")


@pytest.fixture
def published_a(registry):
    """A published run of the registry's year, so that result pages and the API read
    real rows with the malformed values, not just say 'nothing published'."""
    from datetime import date

    from integrity.apps.fieldwork.models import Response
    from integrity.apps.results.services import publish, run_from_database

    survey = registry["year"].model.surveys[0]
    answers = {i.code: 4 for i in survey.items if i.method == "likert"}
    Response.objects.bulk_create([Response(institution=registry["a"], survey=survey.code, task=registry["task_a"],
                                           mode="web", answers=answers, completed_on=date(2017, 9, 1))] * 1)
    return publish(run_from_database(registry["year"]), None)


def _malformed_paths(name, registry, upload, assignment, case_a):
    """The route with each of its path values replaced by one no row can have: numbers
    past what a database key holds, text with a NUL or thousands of characters."""
    url = _url(name, registry, upload, assignment, case_a)
    pattern = get_resolver().resolve(url)
    for key, value in pattern.kwargs.items():
        for bad in ((10**30, 2**63) if isinstance(value, int) else (uuid.UUID(int=0), uuid.UUID(int=2**128 - 1))
                    if isinstance(value, uuid.UUID) else ("a\x00b", "가" * 3000)):
            yield reverse(name, kwargs={**pattern.kwargs, key: bad})


@pytest.mark.parametrize("role", ROLES)
def test_malformed_parameters_never_give_a_server_error(client, registry, users, upload_a, admins_call, case_a,
                                                        published_a, role):
    """Every page and API endpoint, as every role, answers malformed query and path values
    with 2xx/3xx/4xx, never 5xx (GET and POST alike)."""
    if role != "anonymous":
        client.force_login(users[role])
    for name, (method, allowed) in sorted(MATRIX.items()):
        url = _url(name, registry, upload_a, admins_call, case_a)
        # A role refused at the gate never reaches the view's parsing: a few queries suffice there
        # (every path value still goes, since some views look the object up before they refuse).
        queries = MALFORMED if role in allowed else MALFORMED[:3]
        for target in [url + query for query in queries] + list(_malformed_paths(name, registry, upload_a,
                                                                                  admins_call, case_a)):
            response = getattr(client, method)(target)
            assert response.status_code < 500, (name, role, target[:120], response.status_code)


def test_malformed_run_numbers_are_a_korean_400(client, users, settings):
    settings.DEBUG = False
    client.force_login(users["admin"])
    response = client.get(reverse("results:runs") + "?a=1&b=abc")
    assert response.status_code == 400 and "b 값에는 숫자를 적어 주세요" in response.content.decode()


def test_a_nul_in_the_address_is_a_korean_400_on_pages_and_in_the_api(client, published_a, registry, settings):
    """PostgreSQL refuses NUL in any text it compares: refused before a query is made."""
    settings.DEBUG = False
    page = client.get(reverse("results:detail", kwargs={"code": "01\x00"}))
    assert page.status_code == 400 and "쓸 수 없는 문자(NUL)" in page.content.decode()
    assert client.get(reverse("results:list") + "?type=%00").status_code == 400
    api = client.get(f"/api/v1/institutions/{registry['a'].code}%00/history")
    assert api.status_code == 400 and "NUL" in api.json()["detail"]


def test_malformed_api_values_are_a_400(client, registry):
    response = client.get("/api/v1/results/abc")
    assert response.status_code in (400, 404)
    response = client.get("/api/v1/results/2017?limit=x&offset=-5")
    assert response.status_code in (200, 400, 404)


def test_a_liaison_is_sent_to_their_own_institution(client, registry, users):
    client.force_login(users["liaison_b"])
    response = client.get(reverse("rosters:index"))
    assert response["Location"] == reverse("rosters:dashboard", kwargs={"institution_id": registry["b"].pk})


def test_a_liaison_of_a_closed_year_sees_nothing(client, registry, users):
    client.force_login(users["liaison_closed"])
    assert client.get(reverse("rosters:index")).status_code == 403
    url = reverse("rosters:dashboard", kwargs={"institution_id": registry["closed"].pk})
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("role", ["analyst", "interviewer", "liaison_a"])
def test_the_django_admin_is_for_staff_only(client, users, role):
    client.force_login(users[role])
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_admin_site_works_for_administrators(client, users):
    client.force_login(users["admin"])
    for path in ("/admin/", "/admin/registry/institution/", "/admin/rosters/rosterupload/", "/admin/audit/auditentry/",
                 "/admin/sampling/draw/", "/admin/auth/user/"):
        assert client.get(path).status_code == 200, path


def test_login_page_accepts_the_right_password(client, users):
    response = client.post(reverse("login"), {"username": "analyst", "password": PASSWORD})
    assert response.status_code == 302


def test_repeated_failures_lock_the_account_out(client, users):
    for _ in range(5):
        client.post(reverse("login"), {"username": "analyst", "password": "wrong"}, REMOTE_ADDR="10.0.0.9")
    response = client.post(reverse("login"), {"username": "analyst", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
    assert "로그인이 잠시 막혔습니다" in response.content.decode()


def test_production_settings_hash_passwords_with_argon2():
    from integrity.web import settings as production

    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
