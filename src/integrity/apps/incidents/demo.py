"""The demo year's cross-check: some institutions submit their disciplinary lists (서식
4-1) through the roster check, and the commission's records file is imported. It holds
what they submitted, with a disposition one of them reported differently and a few
that were left out, so the cross-check page has omissions and mismatches to show."""

from __future__ import annotations

import csv
import io
import random
from datetime import timedelta

from integrity.generate.names import person_name
from integrity.rosters import get_form
from integrity.rosters.template import filled_workbook

from .records import import_records

ACTS = ["금품·향응수수", "공금횡령·유용", "직권남용", "부정청탁"]
DISPOSITIONS = ["견책", "감봉 1월", "정직 1월", "해임"]
DETECTED = ["감사원", "검찰·경찰", "상급감독기관", "국민권익위원회"]


def demo_crosscheck(year, *, bodies: int = 15, seed: int = 2017) -> dict[str, int]:
    from integrity.apps.rosters.models import UploadStatus
    from integrity.apps.rosters.services import process_upload, start_upload

    rng = random.Random(seed)
    incidents = year.model.incidents
    if incidents.disciplinary_period is None:
        return {"submitted": 0, "records": 0}
    start, end = incidents.disciplinary_period
    span = (end - start).days
    form = get_form("disciplinary_4_1")
    chosen = rng.sample(list(year.institutions.exclude(type_code="district_education").order_by("code")), bodies)
    records = []
    for n, body in enumerate(chosen):
        rows = [{"name": person_name(rng), "grade": rng.choice(["5급", "6급", "7급"]), "act_type": rng.choice(ACTS),
                 "disposition": rng.choice(DISPOSITIONS), "disposed_on": start + timedelta(days=rng.randrange(span)),
                 "detected_by": rng.choice(DETECTED), "amount": rng.choice([None, 300_000, 1_500_000])}
                for i in range(rng.randint(1, 3))]
        upload = start_upload(None, body, form.code, None, filled_workbook(form, rows, year.model.fieldwork),
                              f"{body.name}_징계목록.xlsx", None, enqueue=False)
        upload = process_upload(upload.pk)
        upload.refresh_from_db()
        if upload.status != UploadStatus.ACCEPTED:
            raise RuntimeError(f"{body.name} 서식 4-1이 반려되었습니다: {upload.problems[:3]}")
        for r in rows:
            records.append({**r, "institution": body.code, "institution_name": body.name, "submitted": True})
        if n % 5 == 0:  # the commission also holds a disposition this body left out
            records.append({"institution": body.code, "institution_name": body.name, "name": person_name(rng),
                            "grade": "6급", "act_type": "금품·향응수수", "disposition": "정직 2월",
                            "disposed_on": start + timedelta(days=rng.randrange(span))})
    changed = next(i for i, r in enumerate(records) if r.get("submitted"))
    other = next(d for d in DISPOSITIONS if d != records[changed]["disposition"])
    records[changed] = {**records[changed], "disposition": other}  # the institution reported it differently
    out = io.StringIO()
    columns = ["기관코드", "기관명", "성명", "직급", "부패행위 유형", "처분", "처분일", "금액(원)"]
    keys = ["institution", "institution_name", "name", "grade", "act_type", "disposition", "disposed_on", "amount"]
    writer = csv.writer(out)
    writer.writerow(columns)
    for r in records:
        writer.writerow(["" if r.get(k) is None else r[k] for k in keys])
    import_records(year, "위원회_처분자료.csv", out.getvalue().encode("utf-8-sig"), None)
    return {"submitted": len(chosen), "records": len(records)}
