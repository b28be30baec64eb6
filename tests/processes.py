"""A second Django process on the test database, for tests that kill a worker with
SIGKILL halfway (the test itself must commit: ``django_db(transaction=True)``)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

from django.db import connection


def start(script: str, **environ: str) -> subprocess.Popen:
    """Run ``script`` (Python; Django is set up first) against this test's database,
    with ``environ`` added to the environment."""
    db = connection.settings_dict
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="integrity.web.settings_test", PYTHONPATH=os.pathsep.join(sys.path),
               **environ)
    if connection.vendor == "postgresql":
        env["INTEGRITY_DATABASE_URL"] = f"postgresql://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    else:
        env["INTEGRITY_SQLITE_NAME"] = str(db["NAME"])
    code = "import django\ndjango.setup()\n" + textwrap.dedent(script)
    return subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_line(process: subprocess.Popen, expected: str, timeout: float = 60) -> None:
    """Block until the process prints ``expected`` (or fail with what it said)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if line.strip() == expected:
            return
        if not line and process.poll() is not None:
            break
    raise AssertionError(f"the process never said {expected!r}: {process.stderr.read()}")


def finish(process: subprocess.Popen, timeout: float = 60) -> str:
    """Wait for the process to end by itself; what it printed (fail if it failed)."""
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, err
    return out


def kill(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    connection.close()  # a fresh connection sees the database as the killed process left it
