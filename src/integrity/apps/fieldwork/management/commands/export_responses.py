from pathlib import Path

from django.core.management.base import BaseCommand

from integrity.apps.registry.lookup import year_or_error
from integrity.interchange import write_table

from ...monitoring import responses_frame


class Command(BaseCommand):
    help = "완료된 응답을 교환 형식(csv/parquet/xlsx)으로 내보냅니다"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--out", type=Path, required=True)

    def handle(self, *args, **opts):
        year = year_or_error(opts["year"])
        frame = responses_frame(year)
        write_table(frame, opts["out"])
        self.stdout.write(f"응답 {frame.height:,}건 → {opts['out']}")
