"""Generate a realistic year, score it, store it as published, and print a login."""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import Progress

from integrity.apps.accounts.models import Profile, Role
from integrity.apps.clusters.demo import demo_clusters
from integrity.apps.fieldwork.demo import demo_fieldwork
from integrity.apps.registry.models import AssessmentYear
from integrity.apps.reporting.demo import demo_reporting
from integrity.apps.earlywarning.demo import demo_warnings
from integrity.apps.incidents.demo import demo_crosscheck
from integrity.apps.programme.demo import demo_programme
from integrity.apps.residents.demo import demo_populations
from integrity.apps.rosters.demo import demo_transferees
from integrity.apps.results.models import ScoringRun
from integrity.apps.fieldwork.signal_store import compute as compute_signals
from integrity.apps.results.services import publish, run_from_database
from integrity.apps.results.year_loader import load_generated_year
from integrity.apps.schedule.demo import demo_schedule
from integrity.generate import DEFAULT_RESPONSES, generate_year
from integrity.interchange import write_table
from integrity.model import load_model



class Command(BaseCommand):
    help = "가상 측정 연도를 만들어 채점·공표하고 관리자 로그인을 출력합니다"

    def add_arguments(self, parser):
        parser.add_argument("--model", default=settings.INTEGRITY_DEFAULT_MODEL)
        parser.add_argument("--responses", type=int, default=DEFAULT_RESPONSES)
        parser.add_argument("--seed", type=int, default=2017)

    def handle(self, *args, **opts):
        model = load_model(opts["model"])
        folder = Path(settings.VAR_DIR) / "demo" / str(model.year)
        self.stdout.write(f"{model.title}: 가상 자료 {opts['responses']:,}건을 만드는 중…")
        year = generate_year(model, seed=opts["seed"], responses=opts["responses"])
        for name in ("institutions", "responses", "deductions", "tasks"):
            write_table(getattr(year, name), folder / f"{name}.parquet")
        self.stdout.write(f"  교환 형식 파일: {folder}")
        ScoringRun.objects.filter(year=model.year, published_at__isnull=True).delete()
        if ScoringRun.objects.filter(year=model.year, published_at__isnull=False).exists():
            raise CommandError(f"{model.year}년 결과가 이미 공표되어 있습니다 (공표된 결과는 바꾸지 않습니다). "
                               "새 데모는 var/ 폴더를 지우고 다시 실행하세요")
        assessment, _ = AssessmentYear.objects.update_or_create(
            year=model.year, defaults={"model_name": opts["model"], "open_to_liaisons": True}
        )
        with Progress(console=Console(stderr=True), transient=True) as bar:
            step = bar.add_task("응답을 데이터베이스에 넣는 중", total=None)
            loaded = load_generated_year(assessment, year, progress=lambda d, t: bar.update(step, completed=d, total=t))
        self.stdout.write(f"  등록부: 기관 {loaded['institutions']:,}곳, 응답 {loaded['responses']:,}건, 부패사건 {loaded['cases']}건")
        self.stdout.write(f"  교육지원청 {loaded['district_offices']}곳 중 {loaded['district_measured']}곳 올해 측정(순환), 시·도교육청 점수에 포함")
        secretariat_password = self._user("secretariat", role=Role.SECRETARIAT)  # before the run: activity is effort bonus
        self.stdout.write("  청렴 클러스터: {clusters}곳, 회원 {members}곳, 회의 {meetings}회(정족수 미달 포함), 행사 {events}건".format(
            **demo_clusters(assessment, get_user_model().objects.get(username="secretariat"))))
        run = publish(run_from_database(assessment), None)
        compute_signals(assessment)  # the review page reads stored signals
        self.stdout.write(f"  채점·공표 #{run.pk}: 기관 {run.results.count():,}곳")
        bodies = {b.code: b for b in assessment.institutions.all()}
        admin_password = self._user("admin", superuser=True)
        liaison_body = bodies[year.institutions["code"][0]]
        liaison_password = self._user("liaison", institution=liaison_body)
        demo_schedule(assessment, liaison_body)
        interviewer_password = self._user("interviewer", role=Role.INTERVIEWER)
        links = demo_fieldwork(liaison_body, get_user_model().objects.get(username="interviewer"))
        self.stdout.write("  주민·학부모 모집단·패널·추출: {bodies}곳, 패널 {panel:,}명, 추출 {drawn:,}명".format(
            **demo_populations(assessment, seed=opts["seed"])))
        self.stdout.write("  서식 3-3 전입직원: {uploads}개 기관, {people}명, 이전 기관 정책고객 초대 {invited}건".format(
            **demo_transferees(assessment, seed=opts["seed"])))
        self.stdout.write("  위원회 처분자료 대조: 서식 4-1 제출 {submitted}개 기관, 위원회 자료 {records}건".format(
            **demo_crosscheck(assessment, seed=opts["seed"])))
        team_password = self._user("team", role=Role.INTEGRITY_TEAM, institution=liaison_body)
        self.stdout.write("  청렴 추진계획({name}): 목표 {targets}개, 추진 전략 {strategies}·핵심과제 {cores}·세부과제 {subs}개, 기한 지남 {overdue}개".format(
            name=liaison_body.name, **demo_programme(liaison_body)))
        sinmungo = demo_reporting(liaison_body, get_user_model().objects.get(username="team"))
        self.stdout.write(f"  청렴신문고: 신고 {sinmungo['reports']}건(양방향 1, 실명 1, 종결 1), 부정청탁 등록 1건, "
                          f"원스트라이크 아웃 1건(배제징계 대상), 시민감사관 1명")
        self.stdout.write("  청렴주의보: 지난 사건 {history:,}건(가상)으로 학습, {month} 경보 {alerts}건, 담당자 전자우편 {emails}통".format(
            **demo_warnings(assessment, seed=opts["seed"])))
        self.stdout.write(self.style.SUCCESS(
            "\n결과: http://127.0.0.1:8000/results/\n"
            f"관리자: http://127.0.0.1:8000/accounts/login/  아이디 admin  비밀번호 {admin_password}\n"
            f"기관 담당자({liaison_body.name}): 아이디 liaison  비밀번호 {liaison_password}\n"
            f"전화조사원: 아이디 interviewer  비밀번호 {interviewer_password}\n"
            f"클러스터 사무국: 아이디 secretariat  비밀번호 {secretariat_password}  (http://127.0.0.1:8000/clusters/)\n"
            f"기관 청렴팀({liaison_body.name}): 아이디 team  비밀번호 {team_password}  (http://127.0.0.1:8000/programme/, 청렴신문고 http://127.0.0.1:8000/report/cases/)\n"
            f"응답자 설문 링크(예시): {links[0]}\n"
            f"청렴신문고 내 신고 확인: http://127.0.0.1:8000/report/follow/  접수번호 {sinmungo['code']}  "
            f"비밀번호 {sinmungo['passphrase']}\n"
            "(비밀번호는 실행할 때마다 새로 만듭니다)"
        ))

    def _user(self, username: str, *, superuser: bool = False, institution=None, role=None) -> str:
        password = secrets.token_urlsafe(12)
        user, _ = get_user_model().objects.get_or_create(username=username, defaults={"email": f"{username}@example.invalid"})
        user.is_staff = user.is_superuser = superuser
        user.set_password(password)
        user.save()
        if institution is not None or role is not None:
            Profile.objects.update_or_create(user=user, defaults={"role": role or Role.LIAISON, "institution": institution})
        return password
