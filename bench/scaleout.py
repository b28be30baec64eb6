"""Two web nodes behind nginx, one killed mid-run (issue 11, "Two web nodes").

    python bench/scaleout.py [--respondents 3000] [--concurrency 200] [--think 0.4] [--kill-after 8]

What runs, all on this machine: nginx (Debian package) balancing two granian processes
(one worker each, ports 8771 and 8772), one PostgreSQL database (INTEGRITY_DATABASE_URL's
server, a throwaway database ``integrity_scaleout``) and one Redis (port 6391, no disk)
holding the shared rate limits and cache (INTEGRITY_REDIS_URL). Nothing a respondent
needs lives on a node: answers and quotas in PostgreSQL, counters in Redis, no files.

Phase 1, the target load of bench/fieldwork_load.py through nginx; node B is SIGKILLed
``--kill-after`` seconds in and not restarted. nginx passes a request that could not
reach B to A, POSTs included (``proxy_next_upstream error timeout non_idempotent``): a
replayed page submission is safe because every form carries its page number and a page
posted twice or out of turn changes nothing (fieldwork.services.submit_page), and a
completion counts once per link (services.complete). Without ``non_idempotent`` the POSTs
in flight to B when it died reach the respondent as 502s (about 0.7% in a trial run);
they resume from the stored draft either way.
Phase 2, a quota race: B restarted, 500 respondents back to back on a task whose quota
is 300; the quota must hold exactly across both nodes.

Printed: pages/s, p50/p99, lost pages (a respondent sent back behind a page already
acknowledged), duplicated responses, quota overshoot, and the share of requests nginx
failed over to the other node (from its access log: an ``$upstream_addr`` with two
addresses) and the share the client saw fail (502/504). Targets: 0 lost, 0 duplicated,
0 overshoot.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import fieldwork_load as load  # noqa: E402

NGINX_PORT, NODES, REDIS_PORT = 8770, (8771, 8772), 6391
NGINX_CONF = """
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log error;
events {{ worker_connections 4096; }}
http {{
  log_format up '$status "$upstream_addr" "$upstream_status"';
  access_log {tmp}/access.log up;
  client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy; fastcgi_temp_path {tmp}/fcgi;
  uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
  upstream app {{
    server 127.0.0.1:{a} max_fails=1 fail_timeout=30s;
    server 127.0.0.1:{b} max_fails=1 fail_timeout=30s;
    keepalive 64;
  }}
  server {{
    listen 127.0.0.1:{port} backlog=2048;
    location / {{
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_connect_timeout 1s;
      proxy_next_upstream error timeout non_idempotent;
    }}
  }}
}}
"""


def _need(program: str) -> str:
    path = shutil.which(program) or (f"/usr/sbin/{program}" if Path(f"/usr/sbin/{program}").exists() else None)
    if path is None:
        sys.exit(f"{program}이(가) 없습니다: apt-get install nginx-light redis-server (make bench-scaleout이 설치합니다)")
    return path


def _wait_port(port: int, timeout: float = 30.0) -> None:
    import socket

    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"port {port} did not open")


def _node(env: dict, port: int) -> subprocess.Popen:
    command = [str(Path(sys.executable).parent / "granian"), "--interface", "wsgi", "integrity.web.wsgi:application",
               "--host", "127.0.0.1", "--port", str(port), "--workers", "1", "--blocking-threads", "1",
               "--backlog", "2048", "--log-level", "warning"]
    proc = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)
    _wait_port(port)
    return proc


def _setup_quota_task(respondents: int, quota: int) -> list[str]:
    """A second task of the same institution: ``respondents`` links, quota ``quota``."""
    from integrity.apps.fieldwork.models import Invitation
    from integrity.apps.fieldwork.services import invite_draw
    from integrity.apps.registry.models import Institution, TargetTask
    from integrity.apps.rosters.models import RosterEntry, RosterUpload
    from integrity.apps.rosters.services import cipher
    from integrity.apps.sampling.services import draw_sample

    c = cipher()
    body = Institution.objects.get()
    task = TargetTask.objects.create(institution=body, code="T2", name="인허가", quota=quota, census=True)
    upload = RosterUpload.objects.create(institution=body, form_code="external", task=task, filename="race.xlsx",
                                         file_sha256="1" * 64, status="accepted")
    RosterEntry.objects.bulk_create([
        RosterEntry(upload=upload, institution=body, task=task, form_code="external", row_number=i + 2,
                    name_enc=c.encrypt(f"경쟁{i}"), email_enc=c.encrypt(f"q{i}@example.com"), attributes={})
        for i in range(respondents)])
    invite_draw(draw_sample(upload, None))
    return [c.decrypt(i.token_enc) for i in Invitation.objects.filter(task=task)]


def _quota_check(quota: int) -> dict:
    from integrity.apps.fieldwork import release
    from integrity.apps.fieldwork.models import Invitation, QuotaFill, Response

    release.release_all()
    return {"completes": QuotaFill.objects.get(task__code="T2").completes,
            "responses": Response.objects.filter(task__code="T2").count(),
            "used": Invitation.objects.filter(task__code="T2", used=True).count(), "quota": quota}


def _failovers(log: Path, since: int) -> tuple[int, int, int]:
    """Requests logged after byte ``since``: all, passed on to the second node, failed at the client."""
    lines = log.read_bytes()[since:].decode().splitlines()
    moved = sum(1 for line in lines if "," in line.split('"')[1])
    failed = sum(1 for line in lines if line.split(" ", 1)[0] in ("502", "504"))
    return len(lines), moved, failed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--respondents", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--think", type=float, default=0.4)
    parser.add_argument("--kill-after", type=float, default=8.0)
    args = parser.parse_args()
    nginx, redis = _need("nginx"), _need("redis-server")
    tmp = Path(tempfile.mkdtemp(prefix="scaleout-"))
    base = os.environ.get("INTEGRITY_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/integrity")
    db_url = base.rsplit("/", 1)[0] + "/integrity_scaleout"
    env = load._env(db_url) | {"INTEGRITY_REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0", "INTEGRITY_PROXY_COUNT": "1",
                               "INTEGRITY_VAR_DIR": str(tmp / "var")}
    os.environ.update(env)
    import psycopg

    admin = load._admin_url(db_url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS integrity_scaleout")
        conn.execute("CREATE DATABASE integrity_scaleout")
    procs: dict[str, subprocess.Popen] = {}
    try:
        procs["redis"] = subprocess.Popen([redis, "--port", str(REDIS_PORT), "--save", "", "--appendonly", "no",
                                           "--loglevel", "warning"], start_new_session=True, stdout=subprocess.DEVNULL)
        _wait_port(REDIS_PORT)
        tokens = load._setup(db_url, args.respondents)
        from django.db import connections

        connections.close_all()
        (tmp / "nginx.conf").write_text(NGINX_CONF.format(tmp=tmp, a=NODES[0], b=NODES[1], port=NGINX_PORT))
        procs["a"], procs["b"] = _node(env, NODES[0]), _node(env, NODES[1])
        procs["nginx"] = subprocess.Popen([nginx, "-c", str(tmp / "nginx.conf"), "-p", str(tmp)], start_new_session=True)
        _wait_port(NGINX_PORT)
        load.PORT = NGINX_PORT  # respondents talk to nginx only

        def kill_b():
            time.sleep(args.kill_after)
            os.killpg(procs["b"].pid, signal.SIGKILL)
            procs["b"].wait()
            print(f"  node B (port {NODES[1]}) killed after {args.kill_after:.0f} s, not restarted")

        try:
            import uvloop

            uvloop.install()
        except ImportError:
            pass
        log = tmp / "access.log"
        stats, seconds = asyncio.run(load._run(tokens, args.concurrency, kill_b, args.think))
        total, moved, failed = _failovers(log, 0)
        load._report(f"two nodes behind nginx, {args.concurrency} concurrent respondents, reading ~{args.think:g} s "
                     f"per page, node B killed mid-run", stats, seconds, load._check(args.respondents))
        print(f"  nginx: {total:,} requests; failed over to the other node {moved:,} ({moved / max(total, 1):.2%}); "
              f"failed at the client (502/504) {failed:,} ({failed / max(total, 1):.2%})")

        procs["b"] = _node(env, NODES[1])  # both nodes again for the race
        time.sleep(1)
        quota = 300
        race = _setup_quota_task(500, quota)
        connections.close_all()
        mark = log.stat().st_size
        stats, seconds = asyncio.run(load._run(race, args.concurrency, None, 0.05))
        check = _quota_check(quota)
        total, moved, failed = _failovers(log, mark)
        print(f"quota race through both nodes: 500 respondents back to back for a quota of {quota}: "
              f"finished {stats.finished}, told the survey had closed {stats.closed}; quota counter {check['completes']}, "
              f"responses {check['responses']}, links used {check['used']}; "
              f"overshoot {max(0, check['completes'] - quota) + max(0, check['responses'] - quota)} (target 0)")
        print(f"  nginx: {total:,} requests, failed over {moved}, failed at the client {failed}")
    finally:
        for proc in procs.values():
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS integrity_scaleout")
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
