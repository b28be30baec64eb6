from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from ...models import CallAssignment, Channel, ContactKind, Invitation, InvitationStatus


class Command(BaseCommand):
    help = "전화조사로 돌릴 초대(전화 요청, 전화 경로)를 조사원에게 배정합니다"

    def add_arguments(self, parser):
        parser.add_argument("--interviewer", required=True, help="전화조사원 아이디")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--institution", help="기관코드 (없으면 전체)")
        parser.add_argument("--limit", type=int, default=200)
        parser.add_argument("--visits", action="store_true",
                            help="정책고객 방문조사로 배정 (응답하지 않은 정책고객 초대; 조사원이 면접 결과를 입력)")

    def handle(self, *args, **opts):
        user = get_user_model().objects.filter(username=opts["interviewer"], profile__role="interviewer").first()
        if user is None:
            raise CommandError(f"전화조사원 '{opts['interviewer']}'가 없습니다")
        if opts["visits"]:
            todo = visit_candidates(opts["year"])
        else:
            todo = Invitation.objects.filter(institution__year__year=opts["year"], used=False, assignment__isnull=True).filter(
                status=InvitationStatus.PHONE) | Invitation.objects.filter(
                institution__year__year=opts["year"], used=False, assignment__isnull=True, channel=Channel.PHONE)
        if opts["institution"]:
            todo = todo.filter(institution__code=opts["institution"])
        kind = ContactKind.VISIT if opts["visits"] else ContactKind.PHONE
        made = [CallAssignment(invitation=i, interviewer=user, kind=kind) for i in todo.distinct()[: opts["limit"]]]
        CallAssignment.objects.bulk_create(made)
        self.stdout.write(f"{len(made):,}건을 {user.username}에게 {kind.label} 조사로 배정했습니다")


def visit_candidates(year: int):
    """Policy customers (the only ones visited) not yet answered, still open, unassigned."""
    return Invitation.objects.filter(
        institution__year__year=year, survey="policy", used=False, assignment__isnull=True,
        status__in=(InvitationStatus.CREATED, InvitationStatus.SENT, InvitationStatus.OPENED, InvitationStatus.PHONE))
