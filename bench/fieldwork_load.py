"""Load benchmark: concurrent respondents submitting questionnaire pages.

    python bench/fieldwork_load.py [--respondents 3000] [--concurrency 200] [--think 0.4]
                                   [--workers 2] [--kill-after 8] [--timeline]

Server (granian, WSGI, the production server) and load generator (asyncio streams
with uvloop) run on this machine, against PostgreSQL (INTEGRITY_DATABASE_URL,
default postgresql://postgres@127.0.0.1:5432/; a throwaway database is created and
dropped). Each respondent opens the link, starts, and submits every page; the answer
to a page is the next page (or the thanks). Afterwards the database is checked: one
response per finished respondent, no duplicates, quota counter equal to the responses.

Load model. ``--concurrency`` respondents are in the questionnaire at once; each
reads a page for 0.5-1.5 x ``--think`` seconds before submitting it (and the
introduction before starting); when one finishes, the next opens their link. The
first ones arrive over 10 x think seconds (about one questionnaire), not in one instant. Issue 4's target,
300 pages/s from 200 concurrent respondents, means each submits a page at least every
0.67 s: ``--think 0.4`` offers about 330 pages/s if the server keeps up. ``--think 0``
submits back to back and measures the server's capacity; latency is then queueing,
200 / throughput by Little's law, whatever the server does.

With --kill-after S, the server is killed (SIGKILL) S seconds into the run and
started again; respondents retry, and every page the server had acknowledged must
still be there: a respondent sent back to an earlier page counts as a lost page.

Target (issue 4): >= 300 page submissions/s with p99 < 250 ms; zero lost or
duplicated responses.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PAGE = re.compile(rb'name="page" value="(-?\d+)"')
PORT = 8765


def _env(db_url: str) -> dict:
    from integrity.pii import new_key

    env = dict(os.environ)
    env.update({
        "DJANGO_SETTINGS_MODULE": "integrity.web.settings",
        "INTEGRITY_DATABASE_URL": db_url,
        "INTEGRITY_SECRET_KEY": env.get("INTEGRITY_SECRET_KEY") or secrets.token_urlsafe(50),
        "INTEGRITY_PII_KEY": env.get("INTEGRITY_PII_KEY") or new_key(),
        "INTEGRITY_VAR_DIR": env.get("INTEGRITY_VAR_DIR") or tempfile.mkdtemp(prefix="load-"),
        "INTEGRITY_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "INTEGRITY_HTTPS": "0",
        "INTEGRITY_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "INTEGRITY_SMS_BACKEND": "integrity.apps.fieldwork.sms.DiscardBackend",
    })
    env.pop("INTEGRITY_DEBUG", None)
    return env


def _admin_url(db_url: str) -> str:
    return db_url.rsplit("/", 1)[0] + "/postgres"


def _setup(db_url: str, respondents: int) -> list[str]:
    """A year, one institution with a task whose quota is never reached, and invitations."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from integrity.apps.fieldwork.models import Invitation
    from integrity.apps.fieldwork.services import invite_draw
    from integrity.apps.registry.models import AssessmentYear, Institution, TargetTask
    from integrity.apps.rosters.models import RosterEntry, RosterUpload
    from integrity.apps.rosters.services import cipher
    from integrity.apps.sampling.services import draw_sample

    c = cipher()
    year = AssessmentYear.objects.create(year=2017, model_name="2017", open_to_liaisons=True)
    body = Institution.objects.create(year=year, code="0100001", name="가람부", type_code="central_1", staff=5000)
    task = TargetTask.objects.create(institution=body, code="T1", name="보조금 지원", quota=respondents * 2, census=True)
    upload = RosterUpload.objects.create(institution=body, form_code="external", task=task, filename="load.xlsx",
                                         file_sha256="0" * 64, status="accepted")
    RosterEntry.objects.bulk_create([
        RosterEntry(upload=upload, institution=body, task=task, form_code="external", row_number=i + 2,
                    name_enc=c.encrypt(f"응답자{i}"), email_enc=c.encrypt(f"r{i}@example.com"), attributes={})
        for i in range(respondents)
    ], batch_size=2000)
    invite_draw(draw_sample(upload, None))
    return [c.decrypt(i.token_enc) for i in Invitation.objects.all()]


def _check(respondents: int) -> dict:
    from integrity.apps.fieldwork import release
    from integrity.apps.fieldwork.models import Invitation, QuotaFill, Response

    release.release_all()  # the close of fieldwork: what still waits for a batch of k is stored now
    return {
        "responses": Response.objects.count(),
        "used": Invitation.objects.filter(used=True).count(),
        "quota": QuotaFill.objects.get().completes if QuotaFill.objects.exists() else 0,
        "respondents": respondents,
    }


def _server(env: dict, workers: int) -> subprocess.Popen:
    """granian's WSGI server: keep-alive connections, one blocking thread per worker
    process (the application is synchronous; more threads only contend for the GIL)."""
    command = [str(Path(sys.executable).parent / "granian"), "--interface", "wsgi", "integrity.web.wsgi:application",
               "--host", "127.0.0.1", "--port", str(PORT), "--workers", str(workers), "--blocking-threads", "1",
               "--backlog", "2048", "--log-level", "warning"]
    proc = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)
    _wait_up()
    return proc


def _wait_up(timeout: float = 30.0) -> None:
    import socket

    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", PORT), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


class Stats:
    def __init__(self) -> None:
        self.latencies: list[float] = []  # page submissions acknowledged
        self.at: list[float] = []  # when each of those was submitted
        self.lost_pages = 0
        self.errors = 0
        self.finished = 0
        self.closed = 0  # arrived after the quota was met and were told so
        self.retries = 0


class _Http:
    """A respondent's browser, reduced to what the benchmark needs: one keep-alive
    connection and form posts (respondents' pages set no cookie). Written on asyncio
    streams so that the generator leaves the shared cores to the server (aiohttp cost
    ~4x more per page)."""

    def __init__(self) -> None:
        self.reader = self.writer = None

    async def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", PORT)
        body = urlencode(form).encode() if form is not None else b""
        head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{PORT}\r\nAccept-Language: ko\r\n"
        if form is not None:
            head += f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n"
        try:
            self.writer.write(head.encode() + b"\r\n" + body)
            status, headers = _head(await self.reader.readuntil(b"\r\n\r\n"))
            reply = await self.reader.readexactly(int(headers.get(b"content-length", b"0")))
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            self.close()
            raise ConnectionError from None
        if headers.get(b"connection", b"").lower() == b"close":
            self.close()
        return status, reply

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def _head(raw: bytes) -> tuple[int, dict]:
    """Status and headers (names in lower case) of a response head."""
    lines = raw.split(b"\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        headers[name.strip().lower()] = value.strip()
    return int(lines[0].split(b" ", 2)[1]), headers


async def _respondent(token: str, stats: Stats, limiter: asyncio.Semaphore, think: float = 0.0,
                      ramp: float = 0.0) -> None:
    """One respondent: open the link, start, then answer each page from the previous
    response's body; after a connection failure, open the link again (resume)."""
    path = f"/s/{token}/"
    thanks = "응답해 주셔서 감사합니다".encode()
    http = _Http()
    async with limiter:
        if ramp:  # the first respondents arrive over a few seconds, not in one instant
            await asyncio.sleep(random.uniform(0, ramp))
        acknowledged = -1
        body = None
        try:
            for _attempt in range(300):
                try:
                    if body is None:
                        _, body = await http.request("GET", path)
                    if "설문 시작하기".encode() in body:
                        if think:
                            await asyncio.sleep(random.uniform(0.5, 1.5) * think)  # reading the introduction
                        _, body = await http.request("POST", path, {"start": "1"})
                        continue
                    if thanks in body or "이미 응답을 마치셨습니다".encode() in body:
                        stats.finished += 1
                        return
                    if "설문이 마감되었습니다".encode() in body:  # the task's quota was met before this one finished
                        stats.closed += 1
                        return
                    match = PAGE.search(body)
                    if match is None:
                        stats.errors += 1
                        body = None
                        await asyncio.sleep(0.2)
                        continue
                    page = int(match.group(1))
                    if page < acknowledged:
                        stats.lost_pages += 1
                    if think:
                        await asyncio.sleep(random.uniform(0.5, 1.5) * think)  # reading and answering the page
                    form = {"page": str(page)}
                    for name, values in _questions(body).items():
                        form[name] = "2" if values == ["1", "2"] else values[len(values) // 2]
                    started = time.perf_counter()
                    status, reply = await http.request("POST", path, form)
                    if status == 200:  # acknowledged: the answer to a page is the next page (or the thanks)
                        stats.latencies.append(time.perf_counter() - started)
                        stats.at.append(started)
                        acknowledged = page + 1
                        body = reply
                    else:
                        stats.errors += 1
                        body = None
                except ConnectionError:
                    stats.retries += 1
                    body = None
                    await asyncio.sleep(0.3)
        finally:
            http.close()


_RADIO = re.compile(rb'type="radio" name="([^"]+)" value="(\d+)"')


def _questions(body: bytes) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, value in _RADIO.findall(body):
        out.setdefault(name.decode(), []).append(value.decode())
    return out


async def _run(tokens: list[str], concurrency: int, on_start=None, think: float = 0.0) -> tuple[Stats, float]:
    stats = Stats()
    limiter = asyncio.Semaphore(concurrency)
    started = time.perf_counter()
    ramp = 10 * think  # about one questionnaire: the first respondents arrive spread out, not in waves
    tasks = [asyncio.create_task(_respondent(t, stats, limiter, think, ramp if i < concurrency else 0.0))
             for i, t in enumerate(tokens)]
    if on_start:
        asyncio.get_running_loop().run_in_executor(None, on_start)
    await asyncio.gather(*tasks)
    return stats, time.perf_counter() - started


def _timeline(stats: Stats) -> None:
    """Page submissions and their latency per second of the run (waves, stalls)."""
    first = min(stats.at)
    by_second: dict[int, list[float]] = {}
    for at, latency in zip(stats.at, stats.latencies):
        by_second.setdefault(int(at - first), []).append(latency * 1000)
    for second, ms in sorted(by_second.items()):
        ms.sort()
        print(f"  {second:3d} s: {len(ms):4d} pages, p50 {ms[len(ms) // 2]:5.0f} ms, "
              f"p99 {ms[min(len(ms) - 1, int(0.99 * len(ms)))]:5.0f} ms, max {ms[-1]:5.0f} ms")


def _report(label: str, stats: Stats, seconds: float, check: dict, timeline: bool = False) -> None:
    if timeline:
        _timeline(stats)
    lat = sorted(stats.latencies)
    p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000 if lat else float("nan")  # noqa: E731
    rate = len(lat) / seconds
    print(f"{label}: {len(lat):,} page submissions in {seconds:.1f} s = {rate:,.0f}/s "
          f"({rate / 300:.2f}x the 300/s target); latency p50 {p(0.5):.0f} ms, p99 {p(0.99):.0f} ms "
          f"({p(0.99) / 250:.2f} of the 250 ms budget); mean {statistics.mean(lat) * 1000 if lat else 0:.0f} ms")
    duplicates = check["responses"] - check["used"]
    print(f"  database: {check['responses']:,} responses, {check['used']:,} links used, quota counter {check['quota']:,}; "
          f"finished {stats.finished:,}/{check['respondents']:,}; lost pages {stats.lost_pages}; duplicates {duplicates}; "
          f"client retries {stats.retries}; unexpected answers {stats.errors}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--respondents", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--kill-after", type=float, default=0.0, help="kill and restart the server after S seconds")
    parser.add_argument("--think", type=float, default=0.4, help="mean pause before each page (s); 0 = back to back")
    parser.add_argument("--timeline", action="store_true", help="latency per second of the run")
    args = parser.parse_args()
    base = os.environ.get("INTEGRITY_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/integrity")
    db_url = base.rsplit("/", 1)[0] + "/integrity_load"
    env = _env(db_url)
    os.environ.update(env)
    import psycopg

    with psycopg.connect(_admin_url(db_url), autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS integrity_load")
        conn.execute("CREATE DATABASE integrity_load")
    server = None
    try:
        tokens = _setup(db_url, args.respondents)
        from django.db import connections

        connections.close_all()
        server = _server(env, args.workers)

        def kill_and_restart():
            nonlocal server
            time.sleep(args.kill_after)
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
            print(f"  server killed after {args.kill_after:.0f} s; restarting")
            server = _server(env, args.workers)

        try:  # the load generator shares the machine's two cores: a faster event loop leaves more to the server
            import uvloop

            uvloop.install()
        except ImportError:
            pass
        stats, seconds = asyncio.run(_run(tokens, args.concurrency, kill_and_restart if args.kill_after else None, args.think))
        label = f"{args.concurrency} concurrent respondents, granian with {args.workers} workers, PostgreSQL, "
        label += f"reading time ~{args.think:g} s per page" if args.think else "back to back (capacity)"
        if args.kill_after:
            label += " (killed and restarted mid-run)"
        _report(label, stats, seconds, _check(args.respondents), args.timeline)
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGKILL)
        from django.db import connections

        connections.close_all()
        with psycopg.connect(_admin_url(db_url), autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS integrity_load")


if __name__ == "__main__":
    main()
