from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from integrity.rosters import RosterRejected

from ...models import AssessmentYear
from ...services import import_registry


class Command(BaseCommand):
    help = "엑셀 등록부(기관·업무·지방관서·담당자 시트)를 한 해의 등록부로 가져옵니다"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--model", help="연도가 없으면 만들면서 쓸 측정모형 (기본: 연도와 같은 내장 모형)")
        parser.add_argument("--password")

    def handle(self, *args, **opts):
        year, _ = AssessmentYear.objects.get_or_create(year=opts["year"], defaults={"model_name": opts["model"] or str(opts["year"])})
        try:
            summary = import_registry(year, opts["file"].read_bytes(), opts["password"], None)
        except FileNotFoundError as exc:
            raise CommandError(f"파일이 없습니다: {opts['file']}") from exc
        except RosterRejected as exc:
            raise CommandError("등록부에 오류가 있어 반영하지 않았습니다:\n" + "\n".join(f"  - {p}" for p in exc.problems)) from exc
        self.stdout.write(f"{year}: 기관 {summary.institutions}곳, 업무 {summary.tasks}개, 지방관서 {summary.offices}곳")
        if summary.missing_sheets:
            self.stdout.write(f"없는 시트: {', '.join(summary.missing_sheets)} (해당 자료는 반영하지 않았습니다)")
