"""Two demo clusters of the demo year, after seed 000's activity tables: members (public
bodies of the year and civic groups), offices, meetings (one inquorate), votes (an
application approved), dues (one in kind, civic groups exempt), events with counts and a
shared document. Dates fall in the effort evaluation period (the calendar year without
one), so the cluster bonus shows in the 2022+ scoring run."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction

from integrity.clusters.activity import year_period

from . import services
from .models import Body, Cluster, MemberKind, Motion

CLUSTERS = (
    # name, region, civic groups, business associations
    ("경남 민·관·공공기관 청렴 클러스터", "경남", ("진주YMCA", "창원YMCA", "거창YMCA"), ("진주상공회의소",)),
    ("광주전남 빛가람청렴실천네트워크", "전남", ("한국투명성기구 광주전남본부", "나주시 사회복지협의회"), ()),
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _public_bodies(year, per_cluster: int) -> list[list]:
    """Public-service bodies with local governments and education offices, as an innovation city has."""
    bodies = list(year.institutions.order_by("code"))
    by_family: dict[str, list] = {}
    for b in bodies:
        by_family.setdefault(b.family, []).append(b)
    mix = by_family.get("public_service", [])[: 2 * (per_cluster - 2)] + by_family.get("local_government", [])[:2] \
        + by_family.get("education", [])[:2]
    mix = mix or bodies[: 2 * per_cluster]
    return [mix[0::2][:per_cluster], mix[1::2][:per_cluster]]


@transaction.atomic
def demo_clusters(year, secretariat_user=None) -> dict:
    framework = year.model.effort
    start = framework.period[0] if framework and framework.period else year_period(year.year)[0]
    day = lambda n: start + timedelta(days=n)  # noqa: E731
    made = {"clusters": 0, "members": 0, "meetings": 0, "events": 0}
    for n, ((name, region, civic, business), bodies) in enumerate(zip(CLUSTERS, _public_bodies(year, 6))):
        cluster, created = Cluster.objects.get_or_create(name=name, defaults={
            "region": region, "founded_on": day(0), "intro": f"{region} 혁신도시의 공공기관·지자체·교육청과 시민사회가 함께하는 청렴 네트워크"})
        if not created:
            continue
        if secretariat_user is not None:
            cluster.secretariat_users.add(secretariat_user)
        members = [services.add_member(cluster, None, kind=MemberKind.PUBLIC, institution_code=b.code, joined_on=day(0))
                   for b in bodies[:-1]]
        members += [services.add_member(cluster, None, kind=MemberKind.CIVIC, name=c, joined_on=day(0),
                                        contact=f"office{n}{i}@example.invalid") for i, c in enumerate(civic)]
        members += [services.add_member(cluster, None, kind=MemberKind.BUSINESS, name=b, joined_on=day(0)) for b in business]
        public = [m for m in members if m.kind == MemberKind.PUBLIC]
        services.appoint(cluster, None, role="chair", member=public[0], person="기관장", starts_on=day(0))
        services.appoint(cluster, None, role="auditor", member=public[1], person="감사실장", starts_on=day(0))
        services.appoint(cluster, None, role="secretary_general", member=members[len(public)], person="사무국장",
                         starts_on=day(0))
        # the representatives' meeting: quorate; approves the last body's application by vote
        newcomer = bodies[-1]
        application = services.receive_application(cluster, None, services.ApplicationForm(
            kind=MemberKind.PUBLIC, institution_code=newcomer.code, name=newcomer.name, staff=str(newcomer.staff),
            founded_on="1990-01-01", representative="기관장", contact="청렴담당 055-000-0000"), day(40))
        meeting = services.add_meeting(cluster, None, body=Body.REPRESENTATIVES, held_on=day(60), title="정기 대표자회의",
                                       place="진주YMCA" if n == 0 else "빛가람 혁신도시",
                                       agenda="1. 상반기 활동·예산 집행 보고\n2. 신규 가입 신청 기관 승인의 건\n3. 하반기 사업계획")
        present = members[: len(members) - 1]
        services.record_attendance(meeting, None, [m.pk for m in present], "상반기 활동 보고와 하반기 사업계획을 논의함")
        services.record_motion(meeting, None, kind=Motion.Kind.ADMISSION, title="", in_favour=str(len(present) - 1),
                               against="0", abstaining="1", application=application)
        services.record_motion(meeting, None, kind=Motion.Kind.ORDINARY, title="하반기 사업계획 승인",
                               in_favour=str(len(present) // 2 + 1), against="1", abstaining="0")
        # a steering committee that did not reach its quorum: attendance only, no decision
        thin = services.add_meeting(cluster, None, body=Body.STEERING, held_on=day(120), title="운영위원회(정족수 미달)",
                                    agenda="예산 조정의 건")
        services.record_attendance(thin, None, [m.pk for m in members[:2]], "정족수에 못 미쳐 의결하지 못하고 다음 회의로 넘김")
        made["meetings"] += 2
        # dues of the activity year: cash, in kind, partly; civic groups exempt
        dues_year = day(60).year
        services.record_payment(public[0], None, year=str(dues_year), paid_on=str(day(70)), cash="1000000")
        services.record_payment(public[1], None, year=str(dues_year), paid_on=str(day(75)),
                                in_kind="청렴 홍보 에코가방 500개", in_kind_value="1000000")
        services.record_payment(public[2], None, year=str(dues_year), paid_on=str(day(80)), cash="400000")
        # events with counts, organised by members
        joined = list(cluster.members.filter(left_on__isnull=True).order_by("pk"))
        events = [("campaign", "합동 청렴 캠페인", 25, "진주성" if n == 0 else "빛가람 호수공원", 350, 10, joined[:3]),
                  ("quiz", "청렴 퀴즈 대회", 90, "한국승강기안전공단" if n == 0 else "혁신도시 청사", 120, 6, joined[1:2]),
                  ("concert" if n == 0 else "festival", "청렴 문화 공연" if n == 0 else "청렴 페스티벌", 170,
                   "경남문화예술회관" if n == 0 else "나주 문화예술회관", 800, 21, [joined[0], joined[len(public)]]),
                  ("contest", "청렴 UCC 공모전", 200, "", 45, 8, joined[2:4])]
        for kind, title, offset, place, people, bodies_n, organisers in events:
            services.add_event(cluster, None, kind=kind, title=title, starts_on=str(day(offset)), place=place,
                               organiser_ids=[m.pk for m in organisers], participants=str(people),
                               bodies_taking_part=str(bodies_n))
        services.add_material(cluster, None, kind="minutes", title="정기 대표자회의 회의록", name="대표자회의_회의록.pdf", data=PDF)
        made["clusters"] += 1
        made["members"] += cluster.members.count()
        made["events"] += len(events)
    return made

