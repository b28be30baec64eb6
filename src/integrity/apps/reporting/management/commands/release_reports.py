from django.core.management.base import BaseCommand

from integrity.apps.throttle.counters import prune

from ... import release


class Command(BaseCommand):
    help = ("접수를 기다리는 청렴신문고 신고와 신고자 답변을 한꺼번에 무작위 순서로 접수합니다: "
            "묶음이 찼거나 하루 한 번의 정기 처리 시각이 지났을 때 (--all: 지금 모두). 매시간 실행하세요")

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="기다리는 것을 지금 모두 접수합니다")

    def handle(self, *args, **opts):
        released = release.release(minimum=1) if opts["all"] else release.release_due()
        pruned = prune()  # expired rate-limit counters and their window secrets, with no request needed
        self.stdout.write(f"접수 {released:,}건. 기다리는 것: {release.waiting():,}건 (묶음 크기 {release.batch_size()}건), "
                          f"지난 요청 제한 기록 {pruned:,}건 삭제")
