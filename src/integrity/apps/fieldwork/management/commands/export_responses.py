from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from integrity import exports
from integrity.apps.registry.lookup import year_or_error
from integrity.interchange import check_output, InputError

from ...monitoring import year_responses

META = ("institution", "survey", "task", "office", "group", "mode")


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
        except InputError as exc:
            raise CommandError(str(exc)) from exc
        items = list(year.model.items)
        columns = [exports.Column(c, c) for c in META] + [exports.Column(c, c, "int") for c in items]
        counted = [0]

        def rows():
            fields = ("institution__code", "survey", "task__code", "office", "group", "mode", "answers")
            for r in year_responses(year, *fields):
                counted[0] += 1
                code = r["institution__code"]
                yield (code, r["survey"], f"{code}-{r['task__code']}" if r["task__code"] else None, r["office"] or None,
                       r["group"] or None, r["mode"], *[r["answers"].get(c) for c in items])

        # The interchange format: machine codes as headers, read back by the engine.
        tmp = out.with_name(f".{out.name}.part")
        try:
            exports.write(fmt, columns, rows(), tmp, sheet="응답", machine_headers=True)
            tmp.replace(out)
        finally:
            tmp.unlink(missing_ok=True)
        self.stdout.write(f"응답 {counted[0]:,}건 → {out}")
