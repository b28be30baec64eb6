"""Fictional Korean personal names for generated data (demo rosters, panels, records)."""

from __future__ import annotations

import random

SURNAMES = "김이박최정강조윤장임한오서신권황안송류전홍"
GIVEN = "민서지현수영준우예진하윤도연성호은경"


def person_name(rng: random.Random) -> str:
    """A surname and a two-syllable given name."""
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
