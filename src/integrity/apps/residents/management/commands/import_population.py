from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from integrity.apps.registry.lookup import year_or_error

from ...models import FrameKind, ImportStatus
from ...services import import_file


class Command(BaseCommand):
    help = "기관(광역자치단체·시·도교육청)의 모집단(층별 인구) 또는 패널 파일을 점검해 올립니다"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--institution", required=True, help="기관코드")
        parser.add_argument("--kind", choices=[k for k, _ in FrameKind.choices], default=FrameKind.FRAME)
        parser.add_argument("--password", default=None)

    def handle(self, *args, **opts):
        year = year_or_error(opts["year"])
        body = year.institutions.filter(code=opts["institution"]).first()
        if body is None:
            raise CommandError(f"{year.year}년에 기관코드 {opts['institution']}인 기관이 없습니다")
        path = Path(opts["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"파일을 읽을 수 없습니다: {exc.strerror or exc}") from exc
        try:
            made = import_file(body, opts["kind"], data, path.name, opts["password"], None)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if made.status == ImportStatus.REJECTED:
            for p in made.problems:
                where = " ".join(x for x in (f"{p['row']}행" if p.get("row") else "", f"'{p['column']}' 열" if p.get("column") else "") if x)
                self.stderr.write(f"{where}: {p['message']}" if where else p["message"])
            raise CommandError(f"오류 {len(made.problems):,}건: 아무것도 저장하지 않았습니다")
        self.stdout.write(f"{body.name}: {made.get_kind_display()} {made.rows:,}행을 접수했습니다")
