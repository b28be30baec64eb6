"""Benchmark: a scoring run of a generated 2022+ year from the database (569 bodies, about
300,000 responses, every body's 청렴노력도 evaluation: submitted reports, the panel's
scores, survey indicators from the staff's answers) to stored results.

    python bench/score_2022_bench.py [--responses 300000] [--sqlite]

PostgreSQL (a throwaway test database next to the one INTEGRITY_DATABASE_URL names)
unless --sqlite. Target (issue 13): run < 30 s on PostgreSQL.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("INTEGRITY_VAR_DIR", tempfile.mkdtemp(prefix="score-2022-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "integrity.web.settings_test")

from targets import report  # noqa: E402

TARGET_SECONDS = 30.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--responses", type=int, default=300_000)
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--profile", action="store_true", help="print the run's 25 costliest functions")
    args = parser.parse_args()
    if not args.sqlite:
        os.environ.setdefault("INTEGRITY_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/integrity")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    test_db = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        from integrity.apps.effort.services import effort_totals
        from integrity.apps.registry.models import AssessmentYear
        from integrity.apps.results.services import run_from_database
        from integrity.apps.results.year_loader import load_generated_year
        from integrity.generate import generate_year
        from integrity.model import load_model

        from integrity.generate import DEFAULT_RESPONSES
        from integrity.generate.mix import RESPONSES_2017

        model = load_model("2022")
        # The generator spreads its size over 2017's three surveys; the 2022 model has two of them.
        asked = sum(n for survey, n in RESPONSES_2017.items() if survey in model.survey_codes)
        year = AssessmentYear.objects.create(year=2022, model_name="2022")
        started = time.perf_counter()
        loaded = load_generated_year(year, generate_year(model, seed=2022,
                                                         responses=round(args.responses * DEFAULT_RESPONSES / asked)))
        print(f"setup   : {loaded['responses']:,} responses, {loaded['institutions']} bodies with their effort "
              f"evaluation loaded in {time.perf_counter() - started:.1f} s (not timed below)")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # fresh statistics, as autovacuum would have them on a live database
        started = time.perf_counter()
        totals = effort_totals(year)
        effort_seconds = time.perf_counter() - started
        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
        started = time.perf_counter()
        run = run_from_database(year)
        seconds = time.perf_counter() - started
        if args.profile:
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        scored = run.results.filter(status="scored").count()
        print(f"effort  : {sum(v is not None for v in totals.values())} bodies' 청렴노력도 from the database in "
              f"{effort_seconds:.2f} s (part of the run below)")
        print(report(f"run 2022 ({connection.vendor}, {scored} of {run.results.count()} bodies scored)", seconds,
                     TARGET_SECONDS))
        from integrity.apps.results.national import national_figures

        print("figures : generated / published anchor")
        for label, generated, anchor in national_figures(run, year.model):
            print(f"  {label:<32} {generated if generated is not None else '–':>8} / {anchor if anchor is not None else '–'}")
    finally:
        connection.creation.destroy_test_db(test_db, verbosity=0)


if __name__ == "__main__":
    main()
