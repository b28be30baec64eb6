from django.core.management.base import BaseCommand

from integrity.apps.registry.lookup import year_or_error

from ...services import draw_year


class Command(BaseCommand):
    help = "모집단과 패널이 있고 아직 추출하지 않은 기관마다 주민·학부모를 층별로 추출하고 초대를 만듭니다"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)

    def handle(self, *args, **opts):
        year = year_or_error(opts["year"])
        draws = draw_year(year, None)
        self.stdout.write(f"{year}: 기관 {len(draws)}곳에서 {sum(d.drawn for d in draws):,}명 추출, "
                          f"초대 {sum(d.panel_draw.invited for d in draws):,}건")
