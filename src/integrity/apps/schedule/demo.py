"""The demo year's schedule: the seed's 2017 dates, and an extension for the demo
liaison's institution so that uploads can still be tried in the demo."""

from __future__ import annotations

import datetime as dt

from integrity.apps.registry.models import AssessmentYear, Institution

from .plan import create_schedule, grant_extension, today
from .status import owed_forms

DEMO_EXTENSION_DAYS = 60


def demo_schedule(year: AssessmentYear, liaison_body: Institution) -> None:
    create_schedule(year)
    until = today() + dt.timedelta(days=DEMO_EXTENSION_DAYS)
    for code in owed_forms(liaison_body, liaison_body.tasks.count()):
        grant_extension(None, liaison_body, code, until, "데모: 기한이 지난 해에도 명부 올리기를 해 볼 수 있도록 연장")
