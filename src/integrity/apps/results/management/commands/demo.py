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
from integrity.apps.effort.demo import demo_objections
from integrity.apps.results.national import national_figures
from integrity.apps.schedule.demo import demo_schedule
from integrity.generate import DEFAULT_RESPONSES, generate_year
from integrity.interchange import write_table
from integrity.model import load_model



class Command(BaseCommand):
    help = "가상 측정 연도를 만들어 채점·공표하고 관리자 로그인을 출력합니다"

    def add_arguments(self, parser):
        parser.add_argument("--model", default=settings.INTEGRITY_DEFAULT_MODEL,
                            help="측정모형 이름; 쉼표로 여럿(예: 2022,2017)을 주면 연도마다 한 해씩 만듭니다")
        parser.add_argument("--responses", type=int, default=DEFAULT_RESPONSES)
        parser.add_argument("--seed", type=int, default=2017)

    def handle(self, *args, **opts):
        names = [n.strip() for n in opts["model"].split(",") if n.strip()]
        admin_password = self._user("admin", superuser=True)
        interviewer_password = self._user("interviewer", role=Role.INTERVIEWER)
        secretariat_password = self._user("secretariat", role=Role.SECRETARIAT)
        logins, figures = [], []
        for n, name in enumerate(names):
            username = "liaison" if n == 0 else f"liaison{load_model(name).year}"
            logins.append(self._year(name, opts, username))
            figures.append(self._figures(name))
        lines = ["", "결과: http://127.0.0.1:8000/results/",
                 f"관리자: http://127.0.0.1:8000/accounts/login/  아이디 admin  비밀번호 {admin_password}"]
        for year, body, user, password, _, team, team_password, _ in logins:
            lines += [f"기관 담당자({year}년 {body}): 아이디 {user}  비밀번호 {password}",
                      f"기관 청렴팀({year}년 {body}): 아이디 {team}  비밀번호 {team_password}  "
                      "(http://127.0.0.1:8000/programme/, 청렴신문고 http://127.0.0.1:8000/report/cases/)"]
        lines += [f"전화조사원: 아이디 interviewer  비밀번호 {interviewer_password}",
                  f"클러스터 사무국: 아이디 secretariat  비밀번호 {secretariat_password}  (http://127.0.0.1:8000/clusters/)",
                  f"응답자 설문 링크(예시): {logins[0][4]}"]
        sinmungo = logins[0][7]
        if sinmungo:
            lines.append(f"청렴신문고 내 신고 확인: http://127.0.0.1:8000/report/follow/  접수번호 {sinmungo['code']}  "
                         f"비밀번호 {sinmungo['passphrase']}")
        lines.append("(비밀번호는 실행할 때마다 새로 만듭니다)")
        self.stdout.write(self.style.SUCCESS("\n".join(lines)))
        for title, rows in figures:  # the generated year beside the published anchors (DOMAIN.md)
            self.stdout.write(f"\n{title}: 전국 수치(가상) / 공표값")
            for label, generated, anchor in rows:
                self.stdout.write(f"  {label:<32} {generated if generated is not None else '–':>8} / "
                                  f"{anchor if anchor is not None else '–'}")

    def _year(self, model_name: str, opts, liaison_username: str):
        model = load_model(model_name)
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
            year=model.year, defaults={"model_name": model_name, "open_to_liaisons": True}
        )
        with Progress(console=Console(stderr=True), transient=True) as bar:
            step = bar.add_task("응답을 데이터베이스에 넣는 중", total=None)
            loaded = load_generated_year(assessment, year, progress=lambda d, t: bar.update(step, completed=d, total=t))
        self.stdout.write(f"  등록부: 기관 {loaded['institutions']:,}곳, 응답 {loaded['responses']:,}건, 부패사건 {loaded['cases']}건")
        self.stdout.write(f"  교육지원청 {loaded['district_offices']}곳 중 {loaded['district_measured']}곳 올해 측정(순환), 시·도교육청 점수에 포함")
        self.stdout.write("  청렴 클러스터: {clusters}곳, 회원 {members}곳, 회의 {meetings}회(정족수 미달 포함), 행사 {events}건".format(
            **demo_clusters(assessment, get_user_model().objects.get(username="secretariat"))))  # before the run: activity is effort bonus
        bodies = {b.code: b for b in assessment.institutions.all()}
        liaison_body = bodies[year.institutions["code"][0]]
        if model.effort is not None:  # 2022+: the objection window, decided before the run (demo_objections)
            others = [b for code, b in sorted(bodies.items()) if b.pk != liaison_body.pk]
            self.stdout.write("  청렴노력도: 실적 제출·평가, 잠정 점수 통보, 이의신청 {objections}건 결정(인용 {accepted}건)".format(
                **demo_objections(assessment, [liaison_body, others[len(others) // 2]])))
        run = publish(run_from_database(assessment), None)
        compute_signals(assessment)  # the review page reads stored signals
        self.stdout.write(f"  채점·공표 #{run.pk}: 기관 {run.results.count():,}곳")
        liaison_password = self._user(liaison_username, institution=liaison_body)
        demo_schedule(assessment, liaison_body)
        links = demo_fieldwork(liaison_body, get_user_model().objects.get(username="interviewer"))
        self.stdout.write("  주민·학부모 모집단·패널·추출: {bodies}곳, 패널 {panel:,}명, 추출 {drawn:,}명".format(
            **demo_populations(assessment, seed=opts["seed"])))
        self.stdout.write("  서식 3-3 전입직원: {uploads}개 기관, {people}명, 이전 기관 정책고객 초대 {invited}건".format(
            **demo_transferees(assessment, seed=opts["seed"])))
        self.stdout.write("  위원회 처분자료 대조: 서식 4-1 제출 {submitted}개 기관, 위원회 자료 {records}건".format(
            **demo_crosscheck(assessment, seed=opts["seed"])))
        team_username = "team" if liaison_username == "liaison" else f"team{model.year}"
        team_password = self._user(team_username, role=Role.INTEGRITY_TEAM, institution=liaison_body)
        self.stdout.write("  청렴 추진계획({name}): 목표 {targets}개, 추진 전략 {strategies}·핵심과제 {cores}·세부과제 {subs}개, 기한 지남 {overdue}개".format(
            name=liaison_body.name, **demo_programme(liaison_body)))
        sinmungo = None
        if team_username == "team":  # the first year's institution: one 청렴신문고 walk-through is enough
            sinmungo = demo_reporting(liaison_body, get_user_model().objects.get(username=team_username))
            self.stdout.write(f"  청렴신문고: 신고 {sinmungo['reports']}건(양방향 1, 실명 1, 종결 1), 부정청탁 등록 1건, "
                              f"원스트라이크 아웃 1건(배제징계 대상), 시민감사관 1명")
        self.stdout.write("  청렴주의보: 지난 사건 {history:,}건(가상)으로 학습, {month} 경보 {alerts}건, 담당자 전자우편 {emails}통".format(
            **demo_warnings(assessment, seed=opts["seed"])))
        return (model.year, liaison_body.name, liaison_username, liaison_password, links[0], team_username, team_password, sinmungo)

    def _figures(self, model_name: str):
        model = load_model(model_name)
        run = ScoringRun.objects.filter(year=model.year, published_at__isnull=False).first()
        return model.title, national_figures(run, model)

    def _user(self, username: str, *, superuser: bool = False, institution=None, role=None) -> str:
        password = secrets.token_urlsafe(12)
        user, _ = get_user_model().objects.get_or_create(username=username, defaults={"email": f"{username}@example.invalid"})
        user.is_staff = user.is_superuser = superuser
        user.set_password(password)
        user.save()
        if institution is not None or role is not None:
            Profile.objects.update_or_create(user=user, defaults={"role": role or Role.LIAISON, "institution": institution})
        return password
