"""Demo data of 청렴신문고 and the registers for the demo liaison's institution: three
reports (a two-way anonymous exchange, a named one, a closed one), a 부정청탁 entry, a
one-strike-out entry and a citizen auditor with a finding."""

from __future__ import annotations

import json
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone

from integrity.apps.rosters.services import cipher

from . import release, services
from .models import Report, AuditorActivity, AuditorFinding, CitizenAuditor, OneStrikeEntry, SolicitationEntry


@transaction.atomic
def demo_reporting(institution, handler) -> dict:
    """``handler``: the institution's integrity team member who owns the cases. Returns
    the receipt code and passphrase of the two-way report (printed by the demo)."""
    today = timezone.localdate()
    # Run again, the demo starts over: codes are never stored, so old reports could not be opened.
    Report.objects.filter(institution__code=institution.code).delete()
    for model in (SolicitationEntry, OneStrikeEntry, CitizenAuditor):
        model.objects.filter(institution__code=institution.code).delete()
    two_way = services.submit_report(
        institution=institution, kind="corruption", field="contracts", title="수의계약 몰아주기 의혹",
        what="시설과가 올해 소규모 공사 수의계약을 같은 업체 한 곳에 여러 번 나누어 맡겼습니다. 계약 금액을 쪼갠 것으로 보입니다.",
        when="올해 상반기", where="시설과", today=today - timedelta(days=12))
    named_receipt = services.submit_report(
        institution=institution, kind="gapjil", field="personnel", title="부서장의 부당한 업무 지시",
        what="부서장이 근무시간 뒤 개인 심부름을 반복해서 시켰습니다.", when="지난 석 달", where="민원과",
        identity={"name": "김민원", "contact": "010-0000-0000"}, today=today - timedelta(days=5))
    closed_receipt = services.submit_report(
        institution=institution, kind="corruption", field="permits", title="인허가 처리 지연과 금품 요구",
        what="건축 허가 담당자가 처리를 미루며 식사 대접을 요구했습니다.", when="작년 가을", where="건축과",
        today=today - timedelta(days=70))
    quiet = get_connection("django.core.mail.backends.locmem.EmailBackend")  # the team's letters stay out of the demo's output
    release.release(mail=quiet)  # as the daily release would: the reports become cases
    report, named, closed = (services.find_report(r.code, r.passphrase) for r in (two_way, named_receipt, closed_receipt))
    services.accept(report, handler)
    services.assign(report, handler, handler)
    services.ask(report, handler, "계약이 나뉜 공사의 이름이나 대략의 시기를 알려 주실 수 있나요? 아시는 만큼만 적어 주세요.")
    services.reporter_message(report, "청사 방수공사와 주차장 보수공사입니다. 둘 다 3월과 4월에 있었습니다.")
    release.release(mail=quiet)  # and the answer reaches the case
    services.protect(report, handler, "confidentiality", "신고자 추정 시도 금지와 인적사항 비공개를 관련 부서에 알림", today)

    services.assign(named, handler, handler)

    services.accept(closed, handler)
    services.close(closed, handler, "조사 결과 사실로 확인되어 관련자 징계를 요구하고 인허가 처리기한 공개를 시행했습니다.",
                   "감사팀 조사 보고서 참조")

    cipher_ = cipher()
    solicitation = SolicitationEntry.objects.create(
        institution=institution, solicited_on=today - timedelta(days=40), place="민원실", method="third_party",
        solicitor_enc=cipher_.encrypt(json.dumps({"name": "박청탁", "affiliation": "○○건설", "contact": ""}, ensure_ascii=False)),
        via_third_party=True, official="건축과 주무관", field="permits", content="지인을 통해 건축 허가를 빨리 내 달라고 청탁",
        refused=True, repeated=True, handling="reported", handling_note="거절 뒤 다시 청탁받아 신고, 과태료 부과 대상 통보 검토",
        handled_on=today - timedelta(days=38), created_by=handler)
    strike = OneStrikeEntry(
        institution=institution, official_enc=cipher_.encrypt(json.dumps({"name": "이수수"}, ensure_ascii=False)),
        department="세무과", position="6급", acted_on=today - timedelta(days=90),
        description="세무조사 대상 업체로부터 상품권 150만 원어치를 받음", amount=1_500_000, outcome="pending", created_by=handler)
    services.set_one_strike_flag(strike)
    strike.save()
    auditor = CitizenAuditor.objects.create(
        institution=institution, kind="citizen_auditor", name_enc=cipher_.encrypt("정시민"),
        phone_enc=cipher_.encrypt("010-1111-2222"), term_start=today.replace(month=1, day=1),
        term_end=today.replace(year=today.year + 1, month=12, day=31), fields=["contracts", "permits"])
    activity = AuditorActivity.objects.create(auditor=auditor, held_on=today - timedelta(days=20), field="contracts",
                                              summary="수의계약 공개 현황 점검", recorded_by=handler)
    AuditorFinding.objects.create(activity=activity, field="contracts", finding="수의계약 사유가 홈페이지에 공개되지 않음",
                                  recommendation="계약 사유 공개 의무화")
    return {"code": two_way.code, "passphrase": two_way.passphrase, "reports": 3, "solicitations": 1,
            "one_strike": 1, "flagged": strike.flagged, "threshold": settings.INTEGRITY_ONE_STRIKE_THRESHOLD,
            "solicitation": solicitation.pk}
