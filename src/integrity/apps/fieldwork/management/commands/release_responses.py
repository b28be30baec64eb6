from django.core.management.base import BaseCommand
from django.db import connection

from integrity.apps.registry.lookup import year_or_error

from ... import release
from ...models import Invitation


class Command(BaseCommand):
    help = ("완료된 설문을 같은 종류끼리 k건 이상 모아 익명 응답으로 공개합니다 "
            "(--final: 현장조사 마감, 남은 응답을 모두 공개)")

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="측정 연도 (없으면 전체)")
        parser.add_argument("--final", action="store_true", help="현장조사 마감: k건이 안 되는 묶음도 모두 공개")

    def handle(self, *args, **opts):
        year = year_or_error(opts["year"]) if opts["year"] else None
        released = release.release_all(year) if opts["final"] else release.release_ripe(year)
        waiting = release.awaiting(year).count()
        # Old row versions of the cleared drafts go now, not at autovacuum's leisure
        # (VACUUM cannot run inside a transaction: then autovacuum does it).
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM {connection.ops.quote_name(Invitation._meta.db_table)}")
        self.stdout.write(f"응답 {released:,}건을 공개했습니다. 묶음을 기다리는 응답: {waiting:,}건 "
                          f"(묶음 크기 {release.batch_size()}건)")
