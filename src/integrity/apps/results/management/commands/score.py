from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from integrity.interchange import InputError
from integrity.model import ModelError

from ...services import score_files


class Command(BaseCommand):
    help = "교환 형식 파일을 채점해 결과를 데이터베이스에 저장합니다"

    def add_arguments(self, parser):
        parser.add_argument("--model", default="2017")
        parser.add_argument("--institutions", required=True, type=Path)
        parser.add_argument("--responses", required=True, type=Path, nargs="+")
        parser.add_argument("--deductions", type=Path)
        parser.add_argument("--publish", action="store_true", help="공표된 결과로 저장합니다")

    def handle(self, *args, **opts):
        try:
            run = score_files(opts["model"], opts["institutions"], opts["responses"], opts["deductions"],
                              publish=opts["publish"])
        except (InputError, ModelError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"채점 결과 #{run.pk}: 기관 {run.results.count():,}곳, 응답 {run.parameters['responses']:,}건")
