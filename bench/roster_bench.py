"""Benchmark: a 100,000-row password-protected roster checked and stored, and
1,000,000 roster entries sampled per task.

    python bench/roster_bench.py [--rows 100000] [--entries 1000000]

Uses a throwaway SQLite database, or PostgreSQL when INTEGRITY_DATABASE_URL is set.
Targets (issue 17): the whole upload (decrypt, read, check, store) < 7.5 s on SQLite and
< 5 s on PostgreSQL; storing within 2x of the floor, a plain executemany of the same
rows into the same table in one transaction. Sampling (issue 3) < 2 s.
"""

from __future__ import annotations

import argparse
import io
import os
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


def bench_upload(rows: int) -> None:
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
        started = time.perf_counter()
        upload = services.start_upload(None, body, "external", task, data, "roster.xlsx", "bench-pw", enqueue=False)
        services.process_upload(upload.pk)
        seconds = time.perf_counter() - started
        upload.refresh_from_db()
        assert upload.status == "accepted", upload.problems[:3]
        target = 5.0 if connection.vendor == "postgresql" else 7.5
        print(report(f"upload  : {rows:,} rows, {len(data) / 1e6:.1f} MB encrypted, {connection.vendor}", seconds, target))
        floor = _executemany_floor(upload)
        print(f"storing : {storing[0]:.2f} s of it; floor (plain executemany of the same rows, one transaction) "
              f"{floor:.2f} s")
        print(report("storing vs floor", storing[0] / floor, 2.0, "x"))
    finally:
        connection.creation.destroy_test_db(test_db, verbosity=0)


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--entries", type=int, default=1_000_000)
    args = parser.parse_args()
    bench_sampling(args.entries)
    bench_upload(args.rows)


if __name__ == "__main__":
    main()
