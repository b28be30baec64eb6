"""Benchmark: a 100,000-row password-protected roster checked and stored, and
1,000,000 roster entries sampled per task.

    python bench/roster_bench.py [--rows 100000] [--entries 1000000]

The upload runs on a throwaway SQLite database, then on a throwaway PostgreSQL database
(INTEGRITY_BENCH_POSTGRES_URL, default the local server; skipped with a note when none
answers), each in a process of its own, ``--repeat`` times with its floor after each run.
Targets (issue 17): the whole upload (decrypt, read, check, store) < 7.5 s on SQLite and
< 5 s on PostgreSQL; storing within 2x of the floor, a plain executemany of the same
rows into the same table in one transaction. Sampling (issue 3) < 2 s.
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from targets import report  # noqa: E402
os.environ.setdefault("INTEGRITY_VAR_DIR", tempfile.mkdtemp(prefix="roster-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "integrity.web.settings_test")


def _roster(rows: int, password: str) -> bytes:
    import xlsxwriter
    from msoffcrypto.format.ooxml import OOXMLFile

    from integrity.rosters import get_form

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"constant_memory": True})
    sheet = book.add_worksheet("명부")
    sheet.write_row(0, 0, [c.header for c in get_form("external").columns])
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    for i in range(rows):
        sheet.write_string(i + 1, 0, f"민원인{i}")
        sheet.write_string(i + 1, 1, f"010-{2000 + i // 10000:04d}-{i % 10000:04d}")
        sheet.write_string(i + 1, 2, f"person{i}@example.com")
        sheet.write_datetime(i + 1, 3, date(2017, 1 + i % 6, 1 + i % 28), day)
        sheet.write_string(i + 1, 4, "건축허가")
        sheet.write_string(i + 1, 6, "아니오")
    book.close()
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(buf.getvalue())).encrypt(password, out)
    return out.getvalue()


def bench_upload(rows: int, repeat: int) -> None:
    """In this process's database: the upload ``repeat`` times, each followed by its floor
    (the same stored rows inserted again by a plain executemany), best of each."""
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()
    from django.db import connection

    test_db = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        from integrity.apps.registry.models import AssessmentYear, Institution, TargetTask
        from integrity.apps.rosters import services

        year = AssessmentYear.objects.create(year=2017, model_name="2017", open_to_liaisons=True)
        body = Institution.objects.create(year=year, code="0100001", name="가람부", type_code="central_1", staff=5000)
        task = TargetTask.objects.create(institution=body, code="T1", name="건축허가", quota=rows // 20)
        data = _roster(rows, "bench-pw")
        storing = _timed_storing(services)
        best = {"upload": float("inf"), "storing": float("inf"), "floor": float("inf")}
        for _ in range(repeat):
            started = time.perf_counter()
            upload = services.start_upload(None, body, "external", task, data, "roster.xlsx", "bench-pw", enqueue=False)
            services.process_upload(upload.pk)
            best["upload"] = min(best["upload"], time.perf_counter() - started)
            best["storing"] = min(best["storing"], storing[0])
            upload.refresh_from_db()
            assert upload.status == "accepted", upload.problems[:3]
            best["floor"] = min(best["floor"], _executemany_floor(upload))
            _forget(upload)  # the next upload stores into the same table, not replacing this one
    finally:
        connection.creation.destroy_test_db(test_db, verbosity=0)
    vendor = connection.vendor
    target = 5.0 if vendor == "postgresql" else 7.5
    print(report(f"upload  : {rows:,} rows, {len(data) / 1e6:.1f} MB encrypted, {vendor}, best of {repeat}",
                 best["upload"], target))
    print(f"storing : {best['storing']:.2f} s of it; floor (plain executemany of the same rows into the same table, "
          f"one transaction) {best['floor']:.2f} s")
    print(report(f"storing vs floor ({vendor})", best["storing"] / best["floor"], 2.0, "x"))


def _forget(upload) -> None:
    """Remove an upload and its entries (outside the timings)."""
    from django.db import connection

    from integrity.apps.rosters.models import RosterEntry, RosterUpload

    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {RosterEntry._meta.db_table}")
    RosterUpload.objects.all().delete()


def _timed_storing(services) -> list[float]:
    """Time the storing step (encrypt, hash, insert, accept) apart from reading and checking."""
    seconds = [0.0]
    store = services._store

    def timed(*args, **kwargs):
        started = time.perf_counter()
        store(*args, **kwargs)
        seconds[0] = time.perf_counter() - started

    services._store = timed
    return seconds


def _executemany_floor(upload) -> float:
    """The same rows, as stored, inserted again by a plain executemany in one transaction."""
    from django.db import connection, transaction

    from integrity.apps.rosters.models import RosterEntry, RosterUpload
    from integrity.apps.rosters.services import ENTRY_COLUMNS

    table = RosterEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(ENTRY_COLUMNS)} FROM {table} WHERE upload_id = %s", [upload.pk])
        rows = cursor.fetchall()
    copy = RosterUpload.objects.create(institution=upload.institution, form_code=upload.form_code, task=upload.task,
                                       filename="floor", file_sha256="0" * 64, status="rejected")
    rows = [(copy.pk, *row[1:]) for row in rows]
    sql = f"INSERT INTO {table} ({', '.join(ENTRY_COLUMNS)}) VALUES ({', '.join(['%s'] * len(ENTRY_COLUMNS))})"
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    return time.perf_counter() - started


def bench_sampling(entries: int) -> None:
    import numpy as np

    from integrity.sampling import draw_per_group

    rng = np.random.default_rng(0)
    groups = np.sort(rng.integers(0, 5000, size=entries))  # 5,000 tasks
    wanted = np.full(5000, 250)  # quota 50 x sample multiple 5
    best = min(_timed(lambda: draw_per_group(groups, wanted, seed=7)) for _ in range(3))
    print(report(f"sampling: {entries:,} entries in 5,000 tasks", best, 2.0))


def _timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def _postgres_url() -> str | None:
    """PostgreSQL for the second run: INTEGRITY_BENCH_POSTGRES_URL, else the local
    server the test suite uses, when it answers; "" switches it off."""
    url = os.environ.get("INTEGRITY_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/integrity")
    if not url:
        return None
    try:
        import psycopg

        psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", connect_timeout=3).close()
    except Exception as exc:  # noqa: BLE001 — no server: say so and go on
        print(f"PostgreSQL: not measured ({type(exc).__name__}: {str(exc).strip()[:120]})")
        return None
    return url


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--upload-only", action="store_true", help="the upload alone, in this process's database")
    args = parser.parse_args()
    if args.upload_only:
        bench_upload(args.rows, args.repeat)
        return
    bench_sampling(args.entries)
    # Each database in a process of its own (Django's settings are read once).
    child = [sys.executable, __file__, "--upload-only", "--rows", str(args.rows), "--repeat", str(args.repeat)]
    env = {k: v for k, v in os.environ.items() if k != "INTEGRITY_DATABASE_URL"}
    runs = [env] + ([{**env, "INTEGRITY_DATABASE_URL": url}] if (url := _postgres_url()) else [])
    failed = False
    for run_env in runs:
        sys.stdout.flush()
        failed |= subprocess.run(child, env=run_env).returncode != 0
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
