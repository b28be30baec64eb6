from django.core.management.base import BaseCommand

from ...lease import reap_stale


class Command(BaseCommand):
    help = "처리하던 프로세스가 멈춘 백그라운드 작업을 실패로 끝내고 남은 자료를 지웁니다 (cron/systemd timer로 1분마다)"

    def handle(self, *args, **opts):
        failed = reap_stale()
        if opts["verbosity"] >= 1 or failed:  # -v0 keeps cron quiet unless something was reaped
            self.stdout.write(f"멈춘 작업 {failed:,}건을 정리했습니다")
