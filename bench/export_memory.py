"""Benchmark: peak resident memory of ``manage.py export_responses`` writing a whole
year (issue 11: under 300 MB for 1,000,000 rows in CSV, Parquet and xlsx).

    python bench/export_memory.py [--rows 1000000] [--formats csv,parquet,xlsx]

A throwaway SQLite database gets ``--rows`` completed responses (inserted with a plain
executemany: set-up, not what is measured). Then each format is written in a fresh
process (its peak, VmHWM, is its own) through the code ``export_responses`` runs
(``fieldwork.handoff.write_responses``: the database read in chunks, the one writer
streaming rows). A process that only sets Django up gives the floor every export
starts from.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).parent))
from targets import report  # noqa: E402

TARGET_MB = 300
INSTITUTIONS = 572
BATCH = 50_000


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "integrity.web.settings_test")
    import django

    django.setup()


def _fill(rows: int) -> dict:
    """Migrate, a registry of 572 bodies with a task each, and ``rows`` responses."""
    from datetime import date

    from django.core.management import call_command
    from django.db import connection, transaction

    from integrity.apps.fieldwork.models import Response
    from integrity.apps.registry.models import AssessmentYear, Institution, TargetTask

    call_command("migrate", verbosity=0)
    year = AssessmentYear.objects.create(year=2017, model_name="2017")
    bodies = Institution.objects.bulk_create(
        Institution(year=year, code=f"{i:07d}", name=f"기관{i}", type_code="central_1", staff=1000) for i in range(INSTITUTIONS))
    tasks = TargetTask.objects.bulk_create(TargetTask(institution=b, code="T1", name="민원", quota=100) for b in bodies)
    surveys = [(sv.code, [i.code for i in sv.items], weight) for sv, weight in zip(year.model.surveys, (60, 25, 15))]
    rng = random.Random(2017)
    templates = {code: [json.dumps({c: rng.randint(1, 7) for c in items}) for _ in range(500)] for code, items, _ in surveys}
    fields = [f for f in Response._meta.concrete_fields]
    sql = (f"INSERT INTO {connection.ops.quote_name(Response._meta.db_table)} "
           f"({', '.join(connection.ops.quote_name(f.column) for f in fields)}) VALUES ({', '.join(['%s'] * len(fields))})")
    started = time.perf_counter()
    done = 0
    while done < rows:
        batch = []
        for _ in range(min(BATCH, rows - done)):
            survey = rng.choices(surveys, weights=[w for *_, w in surveys])[0][0]
            k = rng.randrange(INSTITUTIONS)
            values = {"id": uuid.uuid4().hex, "institution": bodies[k].pk, "survey": survey,
                      "task": tasks[k].pk if survey == "external" else None, "office": "", "group": "citizen",
                      "mode": rng.choice(("web", "phone")), "answers": rng.choice(templates[survey]),
                      "favour_requested": None, "completed_on": date(2017, 9, 1)}
            batch.append([values[f.name] for f in fields])
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, batch)
        done += len(batch)
    return {"rows": Response.objects.count(), "insert_s": time.perf_counter() - started}


def _child(side: str, folder: str) -> None:
    _setup_django()
    if side == "setup":
        print(json.dumps(_fill(int(os.environ["BENCH_ROWS"]))))
        return
    if side == "floor":  # Django and the writer's libraries loaded, nothing written
        import integrity.apps.fieldwork.handoff  # noqa: F401

        print(json.dumps({"peak_mb": _peak_mb()}))
        return
    from integrity.apps.fieldwork.handoff import write_responses
    from integrity.apps.registry.models import AssessmentYear

    out = Path(folder) / f"responses.{side}"
    started = time.perf_counter()
    written = write_responses(AssessmentYear.objects.get(year=2017), out, side)
    print(json.dumps({"rows": written, "seconds": time.perf_counter() - started, "mb": out.stat().st_size / 1e6,
                      "peak_mb": _peak_mb()}))


def _peak_mb() -> float:
    status = Path("/proc/self/status").read_text().splitlines()
    return next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024


def _run(side: str, folder: Path, env: dict) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", side, str(folder)], env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--formats", default="csv,parquet,xlsx")
    parser.add_argument("--child", nargs=2, metavar=("SIDE", "FOLDER"))
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    from integrity.pii import new_key

    with tempfile.TemporaryDirectory(prefix="export-memory-") as tmp:
        folder = Path(tmp)
        env = dict(os.environ, INTEGRITY_VAR_DIR=str(folder), INTEGRITY_SQLITE_NAME="bench.sqlite3", BENCH_ROWS=str(args.rows),
                   PYTHONPATH=str(ROOT / "src"), INTEGRITY_SECRET_KEY=new_key() + new_key(), INTEGRITY_PII_KEY=new_key())
        env.pop("INTEGRITY_DATABASE_URL", None)
        filled = _run("setup", folder, env)
        print(f"{filled['rows']:,} responses in SQLite (inserted in {filled['insert_s']:.0f} s)")
        floor = _run("floor", folder, env)["peak_mb"]
        print(f"floor (Django and the writer loaded, nothing written): {floor:.0f} MB")
        for fmt in args.formats.split(","):
            got = _run(fmt, folder, env)
            assert got["rows"] == filled["rows"], got
            print(report(f"export_responses {fmt}, peak memory", got["peak_mb"], TARGET_MB, "MB")
                  + f"; {got['rows']:,} rows, {got['mb']:.0f} MB file in {got['seconds']:.0f} s")


if __name__ == "__main__":
    main()
