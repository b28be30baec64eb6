"""Importing earlier years' incidents into the history from a CSV file (UTF-8, with or
without BOM): 발생일, 분야, 부패행위 유형, 기관코드, 기관명, 기관유형, 시·도. Every bad row
is reported by row and column; the file is stored whole or not at all."""

from __future__ import annotations

import csv
import io
from datetime import date

from django.db import transaction

from integrity.apps.audit.services import record
from integrity.registry.regions import REGIONS

from .models import PastIncident
from .services import current_model, warning_settings

COLUMNS = {"발생일": "occurred_on", "분야": "field", "부패행위 유형": "act_type", "기관코드": "institution_code",
           "기관명": "institution_name", "기관유형": "type_code", "시·도": "region"}
REQUIRED = ("발생일", "분야", "기관코드", "기관명", "기관유형")


class HistoryError(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems[:50]))
        self.problems = problems


def import_history(data: bytes, *, source: str, actor=None) -> int:
    settings = warning_settings()
    model = current_model()
    by_name = {name: code for code, name in settings.fields.items()}
    try:
        reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
    except UnicodeDecodeError as exc:
        raise HistoryError(["파일을 UTF-8로 읽을 수 없습니다 (CSV UTF-8로 저장하세요)"]) from exc
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise HistoryError([f"열이 없습니다: {', '.join(missing)} (필요한 열: {', '.join(COLUMNS)})"])
    rows, problems = [], []
    for n, raw in enumerate(reader, start=2):
        value = {k: (raw.get(k) or "").strip() for k in COLUMNS}
        try:
            day = date.fromisoformat(value["발생일"])
        except ValueError:
            problems.append(f"{n}행 '발생일': 날짜가 아닙니다('{value['발생일'][:20]}', 예: 2019-09-12)")
            day = None
        field = value["분야"] if value["분야"] in settings.fields else by_name.get(value["분야"])
        if field is None:
            problems.append(f"{n}행 '분야': 알 수 없는 분야 '{value['분야'][:20]}' (쓸 수 있는 값: {', '.join(settings.fields.values())})")
        type_spec = model.institution_types.get(value["기관유형"])
        if type_spec is None:
            problems.append(f"{n}행 '기관유형': 알 수 없는 유형 '{value['기관유형'][:30]}'")
        if value["시·도"] and value["시·도"] not in REGIONS:
            problems.append(f"{n}행 '시·도': 알 수 없는 시·도 '{value['시·도'][:20]}' (비우면 전국)")
        for column in ("기관코드", "기관명"):
            if not value[column]:
                problems.append(f"{n}행 '{column}': 비어 있습니다")
        if day and field and type_spec and value["기관코드"] and value["기관명"]:
            rows.append(PastIncident(occurred_on=day, field=field, act_type=value["부패행위 유형"][:40],
                                     institution_code=value["기관코드"][:32], institution_name=value["기관명"][:200],
                                     type_code=value["기관유형"], family=type_spec.family, region=value["시·도"],
                                     source=source[:40]))
    if problems:
        raise HistoryError(problems)
    with transaction.atomic():
        PastIncident.objects.bulk_create(rows, batch_size=2000)
        record(actor, "earlywarning.history_imported", "earlywarning.PastIncident",
               f"지난 부패사건 {len(rows)}건 가져옴 ({source})", rows=len(rows), source=source)
    return len(rows)
