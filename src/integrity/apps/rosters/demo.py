"""The demo year's 서식 3-3: staff transferred into basic local governments from central
agencies, metropolitan governments and education offices, sent through the same check
as a liaison's file, drawn and invited to rate their former body."""

from __future__ import annotations

import random
from datetime import timedelta

from integrity.generate.names import person_name
from integrity.rosters import get_form
from integrity.rosters.template import filled_workbook

from .models import UploadStatus
from .services import process_upload, start_upload



def demo_transferees(year, *, bodies: int = 12, per_body: int = 8, seed: int = 2017) -> dict[str, int]:
    from integrity.apps.fieldwork.services import invite_draw
    from integrity.apps.sampling.services import draw_sample

    model = year.model
    rule = model.fieldwork.transferred_in if model.fieldwork else None
    if rule is None:
        return {"uploads": 0, "people": 0, "invited": 0}
    rng = random.Random(seed)
    receivers = list(year.institutions.filter(type_code__in=rule.basic_types).order_by("code"))
    formers = list(year.institutions.filter(type_code__in=rule.former_types).order_by("code"))
    if not receivers or not formers:
        return {"uploads": 0, "people": 0, "invited": 0}
    start, span = model.fieldwork.transfer_start, (model.fieldwork.transfer_end - model.fieldwork.transfer_start).days
    form = get_form("transferred_3_3")
    uploads = people = invited = 0
    for body in rng.sample(receivers, min(bodies, len(receivers))):
        rows = []
        for i in range(per_body):
            former = rng.choice(formers)
            rows.append({"name": person_name(rng),
                         "previous_institution": former.name, "previous_code": former.code,
                         "transferred_on": start + timedelta(days=rng.randrange(span)),
                         "department": rng.choice(["총무과", "기획예산과", "민원봉사과", "건설과"]),
                         "grade": rng.choice(["6급", "7급", "8급"]),
                         "phone": f"010-{rng.randrange(2000, 9999)}-{rng.randrange(1000, 9999)}",
                         "email": f"t{body.code}{i}@korea.kr"})
        data = filled_workbook(form, rows, model.fieldwork)
        upload = start_upload(None, body, form.code, None, data, f"{body.name}_전입직원.xlsx", None, enqueue=False)
        upload = process_upload(upload.pk)
        upload.refresh_from_db()
        if upload.status != UploadStatus.ACCEPTED:
            raise RuntimeError(f"{body.name} 서식 3-3이 반려되었습니다: {upload.problems[:3]}")
        uploads += 1
        people += upload.row_count
        invited += invite_draw(draw_sample(upload, None))
    return {"uploads": uploads, "people": people, "invited": invited}
