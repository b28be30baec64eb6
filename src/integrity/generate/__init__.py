"""Synthetic assessment years for demos, tests and benchmarks."""

from .year import DEFAULT_RESPONSES, DEFAULT_SEED, GeneratedYear, generate_year

__all__ = ["DEFAULT_RESPONSES", "DEFAULT_SEED", "GeneratedYear", "generate_year"]
