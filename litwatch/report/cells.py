"""Spreadsheet-safe CSV cells. A cell starting with =, +, -, @, a tab or a carriage return is
read by Excel and LibreOffice as a formula (a title can start so; an attacker can make one
that does), so, as OWASP advises, such a cell is written with a leading apostrophe, which
spreadsheets show as text and do not display."""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def restore_cell(value: str) -> str:
    """A cell read back from a CSV litwatch wrote: the apostrophe `safe_cell` added removed."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value
