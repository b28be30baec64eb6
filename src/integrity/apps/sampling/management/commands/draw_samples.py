from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import Progress

from integrity.apps.registry.models import AssessmentYear

from ...services import draw_year


class Command(BaseCommand):
    help = "접수된 명부 가운데 아직 추출하지 않은 것을 모두 추출합니다 (진행 막대 표시)"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)

    def handle(self, *args, **opts):
        try:
            year = AssessmentYear.objects.get(year=opts["year"])
        except AssessmentYear.DoesNotExist as exc:
            raise CommandError(f"{opts['year']}년이 등록되어 있지 않습니다") from exc
        with Progress(console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task("표본 추출", total=None)
            draws = draw_year(year, None, progress=lambda done, total: bar.update(task, completed=done, total=total))
        self.stdout.write(f"{year}: 명부 {len(draws)}개에서 {sum(d.drawn for d in draws):,}명 추출")
