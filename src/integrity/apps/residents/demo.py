"""The demo's residents and parents: generated frames and panels for every body that
polls them, stored as imports would be, and drawn."""

from __future__ import annotations

import polars as pl

from integrity.generate.population import generate_populations

from . import services


def demo_populations(year, *, seed: int = 2017, draw: bool = True) -> dict[str, int]:
    bodies = services.polling_bodies(year)
    if not bodies:
        return {"bodies": 0, "panel": 0, "drawn": 0}
    institutions = pl.DataFrame({"institution": [b.code for b in bodies], "type": [b.type_code for b in bodies]})
    made = generate_populations(year.model, institutions, seed=seed)
    for body in bodies:
        frame = made.frames.filter(pl.col("institution") == body.code)
        panel = made.panels.filter(pl.col("institution") == body.code)
        services.store_generated(body, frame, panel)
    draws = services.draw_year(year, None, seed=seed) if draw else []
    return {"bodies": len(bodies), "panel": made.panels.height, "drawn": sum(d.drawn for d in draws)}
