"""The interchange format: institutions, responses and deductions as CSV, Parquet or xlsx.

See docs/interchange.md for the columns. ``load_year`` reads and validates all
three and either returns clean frames or raises ``InputError``.
"""

from .errors import InputError, InputProblem
from .formats import FORMATS, check_output, write_table, write_together
from .io import YearInput, load_year, read_deductions, read_institutions, read_responses

__all__ = [
    "check_output", "write_together",
    "FORMATS", "InputError", "InputProblem", "YearInput", "load_year", "read_deductions",
    "read_institutions", "read_responses", "write_table",
]
