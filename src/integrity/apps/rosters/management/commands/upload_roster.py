"""Check and store a roster from the command line, with a progress bar.

The file's password is asked at a prompt (never an argument: it would stay in the
shell history and the process list)."""

import getpass
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import Progress

from integrity.apps.registry.models import Institution

from ...models import UploadStatus
from ...services import UploadRefused, process_upload, start_upload


class Command(BaseCommand):
    help = "명부 파일을 점검해 저장합니다 (진행 막대 표시)"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--institution", required=True, help="기관코드")
        parser.add_argument("--form", default="external", help="서식 코드 (external, staff_2_1 ...)")
        parser.add_argument("--task", help="업무코드 (외부청렴도 명부)")
        parser.add_argument("--encrypted", action="store_true", help="암호가 걸린 파일: 비밀번호를 묻습니다")

    def handle(self, *args, **opts):
        try:
            body = Institution.objects.select_related("year").get(year__year=opts["year"], code=opts["institution"])
        except Institution.DoesNotExist as exc:
            raise CommandError(f"{opts['year']}년 등록부에 기관코드 '{opts['institution']}'가 없습니다") from exc
        task = body.tasks.filter(code=opts["task"]).first() if opts["task"] else None
        if opts["task"] and task is None:
            raise CommandError(f"업무코드 '{opts['task']}'가 없습니다")
        if not opts["file"].exists():
            raise CommandError(f"파일이 없습니다: {opts['file']}")
        password = getpass.getpass("파일 비밀번호: ") if opts["encrypted"] else None
        try:
            upload = start_upload(None, body, opts["form"], task, opts["file"].read_bytes(), opts["file"].name, password,
                                  enqueue=False)
        except UploadRefused as exc:
            raise CommandError(str(exc)) from exc
        if upload.status == UploadStatus.QUEUED:
            with Progress(console=Console(stderr=True), transient=True) as bar:
                step = bar.add_task("명부 점검", total=100)
                upload = process_upload(upload.pk, progress=lambda done, total, stage: bar.update(step, completed=done, description=stage))
        upload.refresh_from_db()
        if upload.status != UploadStatus.ACCEPTED:
            lines = "\n".join(f"  - {p['row'] or ''}{'행 ' if p['row'] else ''}{p['column'] or ''} {p['message']}" for p in upload.problems[:50])
            raise CommandError(f"오류 {upload.problem_count}건으로 접수하지 않았습니다:\n{lines}")
        self.stdout.write(f"접수: {upload.row_count:,}행 (제외 {upload.excluded_count:,}행)")
