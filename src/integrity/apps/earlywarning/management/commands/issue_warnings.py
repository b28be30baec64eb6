from django.core.management.base import BaseCommand, CommandError

from ...services import deliver, issue_warnings, parse_month


class Command(BaseCommand):
    help = "한 달의 청렴주의보를 부패사건 등록부와 이력으로 예측해 냅니다 (--deliver: 담당자에게 발송)"

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="예: 2026-12")
        parser.add_argument("--deliver", action="store_true", help="발령한 경보를 기관 담당자에게 보냅니다")

    def handle(self, *args, **opts):
        try:
            issued = issue_warnings(parse_month(opts["month"]))
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(issued))
        for alert in issued.alerts:
            line = f"  {alert}: 배율 {alert.uplift:.2f} ({alert.lower:.2f}~{alert.upper:.2f}), 예측 {alert.expected:.1f}건"
            if opts["deliver"]:
                line += f" · {deliver(alert)}"
            self.stdout.write(line)
