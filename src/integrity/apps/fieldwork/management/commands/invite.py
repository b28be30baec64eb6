from django.core.management.base import BaseCommand

from integrity.apps.registry.lookup import year_or_error
from integrity.apps.sampling.models import Draw

from ...models import Invitation, InvitationStatus
from ...sending import due_reminders, send
from ...services import invite_draw


class Command(BaseCommand):
    help = "추출된 표본에 초대를 만들고 보냅니다 (--reminders: 미응답자 재안내)"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--reminders", action="store_true")
        parser.add_argument("--after-days", type=int, default=3)

    def handle(self, *args, **opts):
        year = year_or_error(opts["year"])
        if opts["reminders"]:
            n = send(list(due_reminders(year, after_days=opts["after_days"])), reminder=True)
            self.stdout.write(f"재안내 {n:,}건을 보냈습니다")
            return
        made = sum(invite_draw(d) for d in Draw.objects.filter(upload__institution__year=year, superseded_at__isnull=True))
        pending = Invitation.objects.filter(institution__year=year, status=InvitationStatus.CREATED).select_related(
            "member__entry", "institution", "task")
        n = send(list(pending))
        self.stdout.write(f"초대 {made:,}건을 만들고 {n:,}건을 보냈습니다")
