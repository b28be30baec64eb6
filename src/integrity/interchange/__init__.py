"""The interchange format: institutions, responses and deductions as CSV, Parquet or xlsx.

See docs/interchange.md for the columns. ``load_year`` reads and validates all
three and either returns clean frames or raises ``InputError``.
"""

from .errors import InputError, InputProblem
from .formats import FORMATS, write_table
from .io import YearInput, load_year, read_deductions, read_institutions, read_responses

__all__ = [
    "FORMATS", "InputError", "InputProblem", "YearInput", "load_year", "read_deductions",
    "read_institutions", "read_responses", "write_table",
]
