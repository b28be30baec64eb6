from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from integrity.apps.registry.lookup import year_or_error
from integrity.exports import ExportError
from integrity.interchange import InputError, check_output

from ...handoff import write_responses


class Command(BaseCommand):
    help = "완료된 응답을 교환 형식(csv/parquet/xlsx)으로 내보냅니다 (행 단위로 써서 메모리를 적게 씁니다)"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--out", type=Path, required=True)

    def handle(self, *args, **opts):
        year = year_or_error(opts["year"])
        out: Path = opts["out"]
        try:
            fmt = check_output(out, None, "--out")
            written = write_responses(year, out, fmt)
        except (InputError, ExportError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"응답 {written:,}건 → {out}")
