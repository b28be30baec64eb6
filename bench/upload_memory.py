"""Benchmark: peak resident memory of the web server and of the worker on the worst
uploads the limits admit (issue 9: each under 500 MB).

    python bench/upload_memory.py [--rows 200000]

Each side runs in a fresh process (its peak, VmHWM, is its own) on a throwaway SQLite
database:
- server: the upload view, in Django's server as one process, receiving a 60 MB file
  (the request limit) streamed as a browser sends it, plain and password-protected
  (decrypted and checked in the request), stored for the worker to check (the queue
  backend: the check does not run in the request); and a 200 MB body, refused from
  its declared length;
- worker: the check and storing of the largest roster the archive limits admit (a
  sheet just under 80 MB of XML, about 200,000 rows), of the largest grid the sheet
  limits admit (3,000,000 cells of numbers), and the refusal of a 1.5 MB file that
  inflates to 1.5 GB and of a 5 KB file naming cell XFD1048576.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).parent))
from targets import report  # noqa: E402

TARGET_MB = 500
PASSWORD = "bench-비밀"


def _encrypted(xlsx: bytes, password: str) -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(xlsx)).encrypt(password, out)
    return out.getvalue()


def _roster(rows: int) -> bytes:
    import xlsxwriter

    from integrity.rosters import get_form

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"constant_memory": True})
    sheet = book.add_worksheet("명부")
    sheet.write_row(0, 0, [c.header for c in get_form("external").columns])
    for i in range(rows):
        sheet.write_string(i + 1, 0, f"민원인{i}")
        sheet.write_string(i + 1, 1, f"010-{2000 + i // 10000:04d}-{i % 10000:04d}")
        sheet.write_string(i + 1, 2, f"person{i}@example.com")
        sheet.write_string(i + 1, 3, "2017-01-02")
        sheet.write_string(i + 1, 4, "건축허가")
        sheet.write_string(i + 1, 6, "아니오")
    book.close()
    return buf.getvalue()


def _grid(rows: int, columns: int) -> bytes:
    """The most cells the grid limit admits, each as short as a cell can be."""
    import xlsxwriter

    from integrity.rosters import get_form

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"constant_memory": True})
    sheet = book.add_worksheet("명부")
    sheet.write_row(0, 0, [c.header for c in get_form("external").columns] + ["비고2", "비고3", "비고4"])
    for i in range(1, rows):
        sheet.write_row(i, 0, [i % 10] * columns)
    book.close()
    return buf.getvalue()


def _bomb(inflated: int) -> bytes:
    """A workbook whose sheet inflates to ``inflated`` bytes of one repeated row."""
    out = io.BytesIO(_roster(10))
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for part in src.infolist():
            if part.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(part, src.read(part))
        with dst.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            row = b'<row r="2"><c r="A2"><v>0</v></c></row>' * 25_000
            for _ in range(inflated // len(row)):
                sheet.write(row)
    return out.getvalue()


def _far_cell() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "명부"
    book.active["A1"], book.active["XFD1048576"] = "성명", "x"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _padded(xlsx: bytes, size: int) -> bytes:
    """The same workbook grown to ``size`` bytes by an incompressible part nobody reads."""
    out = io.BytesIO(xlsx)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_STORED) as archive:
        archive.writestr("customXml/padding.bin", os.urandom(max(0, size - len(xlsx) - 200)))
    return out.getvalue()


def _inflated(xlsx: bytes) -> int:
    return sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(xlsx)).infolist())


def _child(side: str, path: str) -> None:
    """setup: a database with an institution and a signed-in administrator (the session
    key printed); worker: check and store the queued upload, print its peak memory."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "integrity.web.settings_test")
    import django

    django.setup()
    from integrity.apps.rosters import services
    from integrity.apps.rosters.models import RosterUpload

    if side == "queue":  # the file as the server would have stored it, queued for the worker
        from integrity.apps.registry.models import Institution

        from django.db import connection

        from integrity.apps.rosters.models import RosterEntry

        with connection.cursor() as cursor:  # the previous case's rows, without loading them (its memory is not ours)
            for model in (RosterEntry, RosterUpload):
                cursor.execute(f"DELETE FROM {model._meta.db_table}")
        body = Institution.objects.get()
        upload = services.start_upload(None, body, "external", body.tasks.get(), Path(path).read_bytes(), "roster.xlsx", None,
                                       enqueue=False)
        print(json.dumps({"upload": upload.status, "problems": upload.problems[:2], "peak_mb": _peak_mb(os.getpid())}))
        return
    if side == "setup":
        from django.contrib.auth import get_user_model
        from django.contrib.sessions.backends.db import SessionStore
        from django.core.management import call_command

        from integrity.apps.registry.models import AssessmentYear, Institution, TargetTask

        call_command("migrate", verbosity=0)
        year = AssessmentYear.objects.create(year=2017, model_name="2017", open_to_liaisons=True)
        body = Institution.objects.create(year=year, code="0100001", name="가람부", type_code="central_1", staff=5000)
        task = TargetTask.objects.create(institution=body, code="T1", name="건축허가", quota=100)
        admin = get_user_model().objects.create_superuser("bench", password="bench-password-123")
        session = SessionStore()
        session.update({"_auth_user_id": str(admin.pk), "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
                        "_auth_user_hash": admin.get_session_auth_hash()})
        session.create()
        print(json.dumps({"session": session.session_key, "institution": body.pk, "task": task.pk}))
        return
    upload = RosterUpload.objects.get()
    services.process_upload(upload.pk)
    upload.refresh_from_db()
    print(json.dumps({"upload": upload.status, "rows": upload.row_count, "problems": upload.problems[:2],
                      "peak_mb": _peak_mb(os.getpid())}))


def _peak_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text().splitlines()
    return next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024


def _run(side: str, path: Path, env: dict) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", side, str(path)], env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def _post_to_server(path: Path, env: dict, setup: dict, password: str = "", declared: int | None = None) -> dict:
    """The web process (Django's WSGI application in a plain server, one process) gets the
    file as a browser sends it, streamed from disk; its peak memory is read from /proc."""
    import http.client
    import socket
    import time

    port = 8197
    server = subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "runserver", f"127.0.0.1:{port}", "--noreload",
                               "--nothreading", "--skip-checks"], env=env | {"DJANGO_SETTINGS_MODULE": "integrity.web.settings_test"},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        boundary, csrf = "BENCHBOUNDARY", "b" * 32
        fields = {"csrfmiddlewaretoken": csrf, "form_code": "external", "task": str(setup["task"]), "password": password,
                  "sublisting": ""}
        head = "".join(f"--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n" for k, v in fields.items())
        head += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"roster.xlsx\"\r\n"
                 "Content-Type: application/octet-stream\r\n\r\n")
        tail = f"\r\n--{boundary}--\r\n".encode()
        size = declared or len(head.encode()) + path.stat().st_size + len(tail)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        connection.putrequest("POST", f"/rosters/i/{setup['institution']}/upload/")
        for name, value in {"Content-Type": f"multipart/form-data; boundary={boundary}", "Content-Length": str(size),
                            "Cookie": f"sessionid={setup['session']}; csrftoken={csrf}",
                            "Referer": f"http://127.0.0.1:{port}/"}.items():
            connection.putheader(name, value)
        connection.endheaders()
        connection.send(head.encode())
        if declared is None:
            with path.open("rb") as fh:
                while chunk := fh.read(1 << 20):
                    connection.send(chunk)
            connection.send(tail)
        answer = connection.getresponse()  # refused from its length: answered before the body is sent
        status, text = answer.status, answer.read()[:2000].decode(errors="replace")
        if status >= 400 and declared is None:
            print(text, file=sys.stderr)
        return {"status": status, "peak_mb": _peak_mb(server.pid)}
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    import shutil

    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--child", nargs=2, metavar=("SIDE", "FILE"))
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    folder = Path(tempfile.mkdtemp(prefix="upload-memory-"))
    try:
        _measure(folder, args)
    finally:
        shutil.rmtree(folder, ignore_errors=True)  # half a gigabyte of files and database


def _measure(folder: Path, args) -> None:
    from integrity.rosters.archive import MAX_ENTRY_BYTES, MAX_TOTAL_BYTES, check_archive

    roster = _roster(args.rows)
    sheet = max(i.file_size for i in zipfile.ZipFile(io.BytesIO(roster)).infolist())
    # The server's worst: the largest request (60 MB). The worker's: the largest sheet, with
    # the rest of the archive's inflated size taken by a part nobody reads.
    largest_file = _padded(_roster(1000), 60_000_000 - 1_000)
    largest_sheet = _padded(roster, len(roster) + MAX_TOTAL_BYTES - _inflated(roster) - 10_000)
    from integrity.rosters.extent import MAX_CELLS

    columns = 12  # a form's columns and a few more; rows as many as the cells and the sheet's XML allow
    largest_grid = _grid(min(MAX_CELLS // columns, int(MAX_ENTRY_BYTES * 0.97) // (columns * 28 + 40)), columns)
    for name, data in (("largest_file.xlsx", largest_file), ("largest_sheet.xlsx", largest_sheet),
                       ("largest_grid.xlsx", largest_grid)):
        check_archive(data)  # admitted: the worst cases within the limits
        (folder / name).write_bytes(data)
    (folder / "largest_encrypted.xlsx").write_bytes(_encrypted(_padded(_roster(1000), 59_000_000), PASSWORD))
    (folder / "bomb.xlsx").write_bytes(_bomb(1_500_000_000))
    (folder / "far_cell.xlsx").write_bytes(_far_cell())
    env = dict(os.environ, INTEGRITY_VAR_DIR=str(folder), INTEGRITY_TASK_BACKEND="django_tasks_db.DatabaseBackend",
               INTEGRITY_ALLOWED_HOSTS="127.0.0.1,localhost", INTEGRITY_HTTPS="0",
               PYTHONPATH=str(ROOT / "src"), INTEGRITY_SQLITE_NAME="bench.sqlite3")
    env.pop("INTEGRITY_DATABASE_URL", None)
    from integrity.pii import new_key

    env.update(INTEGRITY_SECRET_KEY=new_key() + new_key(), INTEGRITY_PII_KEY=new_key())  # the same in every process
    print(f"worst uploads: a {len(largest_file) / 1e6:.1f} MB file (limit 60 MB); a sheet of {sheet / 1e6:.0f} MB of XML "
          f"(limit {MAX_ENTRY_BYTES / 1e6:.0f} MB, {args.rows:,} rows) in an archive inflating to "
          f"{_inflated(largest_sheet) / 1e6:.0f} MB (limit {MAX_TOTAL_BYTES / 1e6:.0f} MB)")
    setup = _run("setup", folder / "largest_file.xlsx", env)
    servers = [("the 60 MB file", "largest_file.xlsx", "", None),
               ("the 60 MB file, password-protected", "largest_encrypted.xlsx", PASSWORD, None),
               ("a 200 MB body (refused from its length)", "largest_file.xlsx", "", 200_000_000)]
    for label, name, password, declared in servers:
        server = _post_to_server(folder / name, env, setup, password, declared)
        print(report(f"server  : {label} (HTTP {server['status']}) peak RSS", server["peak_mb"], TARGET_MB, "MB"))
    workers = [("the largest sheet", "largest_sheet.xlsx"), ("the largest grid", "largest_grid.xlsx"),
               ("a zip bomb, 1.5 GB inflated", "bomb.xlsx"), ("a cell at XFD1048576", "far_cell.xlsx")]
    for label, name in workers:
        queued = _run("queue", folder / name, env)
        if queued["upload"] == "rejected":  # refused where the file arrives, in the request
            said = queued["problems"][0]["message"][:60]
            print(report(f"server  : {label} (refused on arrival: {said}) peak RSS", queued["peak_mb"], TARGET_MB, "MB"))
            continue
        worker = _run("worker", folder / name, env)
        said = f", {worker['rows']:,} rows" if worker["upload"] == "accepted" else f": {worker['problems'][0]['message'][:60]}"
        print(report(f"worker  : {label} ({worker['upload']}{said}) peak RSS", worker["peak_mb"], TARGET_MB, "MB"))


if __name__ == "__main__":
    main()
