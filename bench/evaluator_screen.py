"""Benchmark: the evaluator's screen for one institution (issue 13: under 300 ms) on a
generated 2022 year (~570 bodies, every report submitted, panels of internal and external
evaluators, both evaluators' scores on every qualitative indicator, on-site notes).

    python bench/evaluator_screen.py [--responses 2000] [--repeat 7] [--postgres]

SQLite by default (a throwaway test database); --postgres uses INTEGRITY_DATABASE_URL.
The page goes through the Django test client (middleware, templates, the access check);
the figure is the best of several requests after a warm-up, for the institution of the
first evaluator with the most notes.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("INTEGRITY_VAR_DIR", tempfile.mkdtemp(prefix="evaluator-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "integrity.web.settings_test")
os.environ.setdefault("INTEGRITY_HTTPS", "0")  # the test client speaks plain HTTP

TARGET_SECONDS = 0.3


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--responses", type=int, default=2000, help="survey responses (not what is timed)")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    if not args.postgres:
        os.environ.pop("INTEGRITY_DATABASE_URL", None)
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from targets import report

    setup_test_environment()
    test_db = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        from django.contrib.auth import get_user_model
        from django.db.models import Count

        from integrity.apps.effort.demo_panels import load_demo_panels
        from integrity.apps.effort.models import Assignment
        from integrity.apps.registry.models import AssessmentYear
        from integrity.apps.results.year_loader import load_generated_year
        from integrity.generate import generate_year
        from integrity.model import load_model

        year = AssessmentYear.objects.create(year=2022, model_name="2022")
        started = time.perf_counter()
        loaded = load_generated_year(year, generate_year(load_model("2022"), responses=args.responses))
        admin = get_user_model().objects.create_superuser("bench-admin", password="bench-password-123")
        panels = load_demo_panels(year, admin)
        print(f"setup   : {loaded['institutions']} bodies, {panels['panels']} panels, {panels['evaluators']} evaluators, "
              f"{panels['scores']:,} evaluator scores, {panels['notes']} notes in {time.perf_counter() - started:.1f} s "
              f"(not timed below)")
        busiest = (Assignment.objects.values("user_id").annotate(n=Count("pk")).order_by("-n", "user_id").first())
        user = get_user_model().objects.get(pk=busiest["user_id"])
        body = (Assignment.objects.filter(user=user).annotate(notes=Count("institution__effort_site_notes"))
                .order_by("-notes", "institution__code").first().institution)
        client = Client()
        client.force_login(user)
        url = f"/effort/assigned/{body.pk}/"
        warm = client.get(url)  # warm-up: templates, the model file
        assert warm.status_code == 200, (warm.status_code, warm.get("Location"))
        times = []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - started)
            assert response.status_code == 200
        best = min(times)
        print(f"evaluator: {user.username} ({busiest['n']} institutions), {body.name}: {len(queries)} queries, "
              f"worst {max(times) * 1000:.0f} ms of {args.repeat} ({connection.vendor})")
        print(report("evaluator screen, one institution (best of %d)" % args.repeat, best * 1000, TARGET_SECONDS * 1000, "ms"))
    finally:
        connection.creation.destroy_test_db(test_db, verbosity=0)


if __name__ == "__main__":
    main()
