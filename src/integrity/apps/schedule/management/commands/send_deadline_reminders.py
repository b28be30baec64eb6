"""Automatic deadline reminders: safe to run from cron every hour (a reminder already
sent is never sent again)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from integrity.apps.registry.models import AssessmentYear

from ...plan import reminder_days, today
from ...reminders import send_due_reminders, stage_label


class Command(BaseCommand):
    help = "제출 기한 전 알림(기본 7일·1일 전)과 기한 경과 알림을 보냅니다. 이미 보낸 알림은 다시 보내지 않습니다"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="측정 연도 (기본: 기관 담당자에게 공개된 모든 연도)")
        parser.add_argument("--today", help="기준 날짜 YYYY-MM-DD (기본: 오늘, 한국 시간)")

    def handle(self, *args, **opts):
        try:
            day = dt.date.fromisoformat(opts["today"]) if opts["today"] else today()
        except ValueError:
            raise CommandError(f"--today는 YYYY-MM-DD 형식의 날짜여야 합니다: {opts['today']}") from None
        years = None
        if opts["year"]:
            years = list(AssessmentYear.objects.filter(year=opts["year"]))
            if not years:
                raise CommandError(f"{opts['year']}년 측정 연도가 없습니다")
        days = ", ".join(str(d) for d in reminder_days())
        self.stdout.write(f"{day:%Y-%m-%d} 기준, 기한 {days}일 전과 기한 경과 알림")
        result = send_due_reminders(day, years)
        if not result:
            self.stdout.write("보낼 알림이 없습니다")
        for key, sent in result.items():
            year, stage = key.split(" ", 1)
            self.stdout.write(f"  {year}년 {stage_label(stage)}: {sent}")
