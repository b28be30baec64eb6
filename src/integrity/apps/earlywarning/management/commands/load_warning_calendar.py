from django.core.management.base import BaseCommand, CommandError

import yaml

from integrity.earlywarning.calendar import CalendarError, load_default, parse_events

from ...services import load_calendar, warning_settings


class Command(BaseCommand):
    help = "청렴 리스크 조기경보 일정(명절·정기 인사·채용·선거)을 불러옵니다: 기본값은 2014~2027년 일정"

    def add_arguments(self, parser):
        parser.add_argument("--file", help="YAML 파일(events: 목록). 없으면 내장 기본 일정")

    def handle(self, *args, **opts):
        kinds = warning_settings().kinds
        try:
            if opts["file"]:
                with open(opts["file"], encoding="utf-8") as fh:
                    events = parse_events((yaml.safe_load(fh) or {}).get("events") or [], kinds)
            else:
                events = load_default(kinds)
        except (OSError, yaml.YAMLError, CalendarError, AttributeError) as exc:
            raise CommandError(f"일정 파일을 읽을 수 없습니다: {exc}") from exc
        done = load_calendar(events)
        self.stdout.write(f"조기경보 일정: {done['created']}건 추가, {done['updated']}건 갱신")
