from django.core.management.base import BaseCommand

from integrity.earlywarning import backtest


class Command(BaseCommand):
    help = "청렴주의보 모형의 백테스트: 생성한 지난 해들로 학습, 평가 연도의 정밀도·재현율을 달력만·항상 경보와 비교"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int)
        parser.add_argument("--train", help="예: 2017-2021")
        parser.add_argument("--test", type=int)

    def handle(self, *args, **opts):
        argv = [a for k in ("seed", "train", "test") if opts[k] is not None for a in (f"--{k}", str(opts[k]))]
        backtest.main(argv)
