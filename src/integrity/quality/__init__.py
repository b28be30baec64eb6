"""Data-quality signals for the administrator's review (pure): careless-response
measures and institution-level outliers. Never sanctions by themselves."""

from .careless import careless_flags, chi2_critical, longstring, mahalanobis_squared
from .signals import Signal, institution_signals

__all__ = ["Signal", "careless_flags", "chi2_critical", "institution_signals", "longstring", "mahalanobis_squared"]
