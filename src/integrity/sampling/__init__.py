"""Sampling rules (pure): interval selection of departments and staff, random draws
per task with quotas, and stratified draws by region, age and sex."""

from .interval import IntervalPlan, interval_plan, select_by_interval, select_departments, select_names
from .random_draw import draw_per_group
from .stratified import allocate_largest_remainder, draw_stratified

__all__ = [
    "IntervalPlan", "allocate_largest_remainder", "draw_per_group", "draw_stratified", "interval_plan",
    "select_by_interval", "select_departments", "select_names",
]
