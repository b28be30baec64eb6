from django.core.management.base import BaseCommand, CommandError

from ...models import AssessmentYear
from ...rotation import RotationProblem, set_rotation


class Command(BaseCommand):
    help = "교육지원청 순환 측정(관내 10곳 이상: 3년 주기, 그 밖: 전수)을 한 해에 정해 저장합니다. 같은 등록부면 같은 결과입니다"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)

    def handle(self, *args, **opts):
        year = AssessmentYear.objects.filter(year=opts["year"]).first()
        if year is None:
            raise CommandError(f"{opts['year']}년이 등록되어 있지 않습니다")
        try:
            summary = set_rotation(year)
        except RotationProblem as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{year}: 교육지원청 {summary.bodies}곳 중 {summary.measured}곳 측정, "
                          f"{summary.bodies - summary.measured}곳 측정 제외(순환); 상급기관 {summary.parents}곳")
