"""A registry for the demo, from a generated year (fictional bodies)."""

from __future__ import annotations

import polars as pl
from django.db import transaction

from .models import AssessmentYear, Institution, LocalOffice, Officer, TargetTask

OFFICERS = [("원현심", "사무관", "044-200-7632"), ("이금희", "사무관", "044-200-7636"), ("김도윤", "주무관", "044-200-7640")]


@transaction.atomic
def registry_from_generated(year: AssessmentYear, institutions: pl.DataFrame, tasks: pl.DataFrame, offices: dict | None = None):
    officers = [Officer.objects.get_or_create(name=n, defaults={"title": t, "phone": p})[0] for n, t, p in OFFICERS]
    year.institutions.all().delete()
    bodies = Institution.objects.bulk_create([
        Institution(year=year, code=r["code"], name=r["name"], type_code=r["type"], staff=r["staff"],
                    officer=officers[i % len(officers)])
        for i, r in enumerate(institutions.iter_rows(named=True))
    ])
    by_code = {b.code: b for b in bodies}
    for r in institutions.iter_rows(named=True):
        if r["supervisor"]:
            by_code[r["code"]].supervisor = by_code[r["supervisor"]]
    Institution.objects.bulk_update([b for b in bodies if b.supervisor_id], ["supervisor"])
    _regions(year, bodies, institutions)
    TargetTask.objects.bulk_create([
        TargetTask(institution=by_code[r["institution"]], code=r["task"].rsplit("-", 1)[-1], name=r["task_name"], quota=r["quota"])
        for r in tasks.iter_rows(named=True)
    ])
    if offices:
        LocalOffice.objects.bulk_create([
            LocalOffice(institution=by_code[code], code=o.rsplit("-", 1)[-1], name=f"{by_code[code].name} {n}지방관서")
            for code, names in offices.items() for n, o in enumerate(names, start=1)
        ])
    return by_code


def _regions(year, bodies: list[Institution], institutions: pl.DataFrame) -> None:
    """The generated 광역 and 시·도교육청 take the 17 시·도 in order (as the generator's
    provinces do); everything under them inherits, national bodies stay 전국."""
    from integrity.registry.regions import REGIONS

    from .services import assign_regions

    own: dict[str, str] = {}
    model = year.model
    for type_code in ("metropolitan", "provincial_education"):
        if type_code not in model.institution_types:
            continue
        codes = institutions.filter(pl.col("type") == type_code)["code"].sort().to_list()
        own |= {code: REGIONS[i % len(REGIONS)] for i, code in enumerate(codes)}
    assign_regions(bodies, own)
