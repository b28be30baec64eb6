from django.core.management.base import BaseCommand

from integrity.apps.registry.lookup import year_or_error

from ...services import import_from_rosters


class Command(BaseCommand):
    help = "접수된 서식 4-1·4-2·4-4 목록을 부패사건으로 가져옵니다 (다시 실행하면 서식에서 온 사건을 새로 만듭니다)"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)

    def handle(self, *args, **opts):
        year = year_or_error(opts["year"])
        self.stdout.write(f"부패사건 {import_from_rosters(year, None):,}건을 가져왔습니다")
