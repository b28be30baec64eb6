from django.core.management.base import BaseCommand
from rich.console import Console
from rich.progress import Progress

from integrity.apps.registry.lookup import year_or_error

from ...services import draw_year


class Command(BaseCommand):
    help = "접수된 명부 가운데 아직 추출하지 않은 것을 모두 추출합니다 (진행 막대 표시)"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)

    def handle(self, *args, **opts):
        year = year_or_error(opts["year"])
        with Progress(console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task("표본 추출", total=None)
            draws = draw_year(year, None, progress=lambda done, total: bar.update(task, completed=done, total=total))
        self.stdout.write(f"{year}: 명부 {len(draws)}개에서 {sum(d.drawn for d in draws):,}명 추출")
