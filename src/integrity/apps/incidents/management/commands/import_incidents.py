from django.core.management.base import BaseCommand, CommandError

from integrity.apps.registry.models import AssessmentYear

from ...services import import_from_rosters


class Command(BaseCommand):
    help = "접수된 서식 4-1·4-2·4-4 목록을 부패사건으로 가져옵니다 (다시 실행하면 서식에서 온 사건을 새로 만듭니다)"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)

    def handle(self, *args, **opts):
        try:
            year = AssessmentYear.objects.get(year=opts["year"])
        except AssessmentYear.DoesNotExist as exc:
            raise CommandError(f"{opts['year']}년이 등록되어 있지 않습니다") from exc
        self.stdout.write(f"부패사건 {import_from_rosters(year, None):,}건을 가져왔습니다")
