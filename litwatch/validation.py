"""One line from a pydantic validation error, for files people edit (rule 4 of the style guide):
the field's path and what is wrong with it."""

from __future__ import annotations

import re

from pydantic import ValidationError


def first_problem(exc: ValidationError) -> tuple[list[str | int], str]:
    """(location, message) of the first error, the message in plain words."""
    err = exc.errors()[0]
    message = err["msg"].removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        message = "unknown field"
    return list(err["loc"]), message


def field_problem(exc: ValidationError) -> str:
    """ "field 'a.b': message"."""
    loc, message = first_problem(exc)
    return f"field '{'.'.join(str(p) for p in loc) or 'file'}': {message}"


def check_patterns(patterns: list[str]) -> list[str]:
    """A field validator's body for lists of regular expressions: each must compile."""
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"bad pattern {pattern!r}: {exc}") from None
    return patterns
