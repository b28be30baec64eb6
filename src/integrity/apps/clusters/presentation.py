"""How the core's cluster rules read on screen, in the visitor's language (the core has no Django)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from integrity.clusters.rules import Threshold


def threshold_text(threshold: Threshold) -> str:
    share = f"{threshold.share.numerator}/{threshold.share.denominator}"
    return (_("%(share)s 초과") if threshold.strict else _("%(share)s 이상")) % {"share": share}
