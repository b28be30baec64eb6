from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ...history import HistoryError, import_history


class Command(BaseCommand):
    help = "지난 해들의 부패사건을 CSV(발생일, 분야, 부패행위 유형, 기관코드, 기관명, 기관유형, 시·도)로 조기경보 이력에 넣습니다"

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **opts):
        path = Path(opts["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"파일을 읽을 수 없습니다: {exc}") from exc
        try:
            n = import_history(data, source=path.name)
        except HistoryError as exc:
            raise CommandError(f"가져오지 않았습니다 (아무것도 저장하지 않음):\n{exc}") from exc
        self.stdout.write(f"지난 부패사건 {n:,}건을 이력에 넣었습니다")
