from django.core.management.base import BaseCommand, CommandError

from ...demo import generated_history


class Command(BaseCommand):
    help = "등록부 기관으로 지난 해들의 가상 부패사건(계절성 포함)을 만들어 조기경보 이력에 넣습니다(개발·시연용)"

    def add_arguments(self, parser):
        parser.add_argument("--years", required=True, help="예: 2019-2025")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, **opts):
        try:
            first, _, last = opts["years"].partition("-")
            years = (int(first), int(last or first))
        except ValueError as exc:
            raise CommandError("--years는 2019-2025처럼 적으세요") from exc
        try:
            n = generated_history(years, seed=opts["seed"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"지난 부패사건 {n:,}건을 이력에 넣었습니다 ({years[0]}~{years[1]})")
