"""Remove incident evidence files kept longer than INTEGRITY_EVIDENCE_RETENTION_DAYS
(docs/incidents.md). Run daily from cron; --dry-run only counts."""

from django.conf import settings
from django.core.management.base import BaseCommand

from integrity.apps.incidents.evidence import purge_expired


class Command(BaseCommand):
    help = "보존기간이 지난 부패사건 증빙 파일을 지웁니다"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="지우지 않고 몇 건인지만 알려 줍니다")

    def handle(self, *args, dry_run=False, **options):
        count = purge_expired(dry_run=dry_run)
        days = settings.INTEGRITY_EVIDENCE_RETENTION_DAYS
        verb = "지울" if dry_run else "지운"
        self.stdout.write(f"보존기간 {days}일이 지난 증빙 파일: {verb} 파일 {count}건")
