"""Rosters (pure): submission forms, Excel templates, reading uploaded (possibly
password-protected) workbooks, and checking them against the year's rules."""

from .forms import Column, Form, get_form, load_forms
from .problems import Problem, RosterRejected
from .template import build_template
from .validate import EXCLUDED, FLAG, REASON, RegisteredBody, RosterCheck, RosterContext, check_roster
from .workbook import ROW, decrypt, read_sheet


def check_upload(form: Form, data: bytes, password: str | None, ctx: RosterContext) -> RosterCheck:
    """Decrypt, read and check an uploaded file. Raises ``RosterRejected`` when the
    file cannot be read at all."""
    xlsx, notices = decrypt(data, password)
    sheet = read_sheet(xlsx, form)
    sheet.notices[:0] = notices
    return check_roster(form, sheet, ctx)


__all__ = [
    "EXCLUDED", "FLAG", "REASON", "ROW", "Column", "Form", "Problem", "RegisteredBody", "RosterCheck", "RosterContext",
    "RosterRejected", "build_template", "check_roster", "check_upload", "decrypt", "get_form", "load_forms", "read_sheet",
]
