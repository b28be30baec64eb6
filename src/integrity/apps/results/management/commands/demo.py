"""Generate a realistic year, score it, store it as published, and print a login."""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from integrity.generate import DEFAULT_RESPONSES, generate_year
from integrity.interchange import write_table
from integrity.model import load_model

from ...services import score_files


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
        paths = {}
        for name in ("institutions", "responses", "deductions", "tasks"):
            paths[name] = write_table(getattr(year, name), folder / f"{name}.parquet")
        self.stdout.write(f"  파일: {folder}")
        run = score_files(opts["model"], paths["institutions"], [paths["responses"]], paths["deductions"], publish=True)
        self.stdout.write(f"  채점 결과 #{run.pk}: 기관 {run.results.count():,}곳")
        password = secrets.token_urlsafe(12)
        user, _ = get_user_model().objects.get_or_create(username="admin", defaults={"email": "admin@example.invalid"})
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        self.stdout.write(self.style.SUCCESS(
            "\n결과: http://127.0.0.1:8000/results/\n"
            f"관리: http://127.0.0.1:8000/admin/  아이디 admin  비밀번호 {password}\n"
            "(비밀번호는 실행할 때마다 새로 만듭니다)"
        ))
