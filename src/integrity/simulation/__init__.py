"""Validation of the published uncertainty by simulation (pure: no Django)."""

from .coverage import SimulationResult, simulate_coverage

__all__ = ["SimulationResult", "simulate_coverage"]
