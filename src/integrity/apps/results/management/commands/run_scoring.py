from django.core.management.base import BaseCommand, CommandError

from integrity.apps.registry.lookup import year_or_error
from integrity.interchange import InputError

from ...models import PublishedRunError
from ...services import publish, run_from_database


class Command(BaseCommand):
    help = "데이터베이스의 응답·부패사건·신뢰도 저해행위로 한 해를 채점해 저장합니다 (--publish: 공표)"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--publish", action="store_true")

    def handle(self, *args, **opts):
        year = year_or_error(opts["year"])
        try:
            run = run_from_database(year)
            if opts["publish"]:
                publish(run, None)
        except (InputError, PublishedRunError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"채점 #{run.pk}: 기관 {run.results.count():,}곳, 응답 {run.parameters['responses']:,}건, "
                          f"지문 {run.input_fingerprint[:12]}{' · 공표' if run.published_at else ''}")
