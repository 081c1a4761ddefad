"""Saved searches: `queries/<slug>.toml`, one search a file, validated strictly.

    name = "kratom-withdrawal"
    term = '(kratom[tiab] OR mitragynine[tiab]) AND withdrawal[tiab]'
    description = "Kratom and opioid withdrawal"   # optional
    mindate = "2000/01/01"                         # optional: publication date from

See docs/queries.md.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from litwatch.errors import LitwatchError, QueryFileError
from litwatch.models import SavedSearch
from litwatch.pubmed.query import parse_term
from litwatch.validation import field_problem

_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_DATE = re.compile(r"^\d{4}(/\d{2}(/\d{2})?)?$")


class _SearchFile(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)
    name: str
    term: str
    description: str | None = None
    mindate: str | None = None

    @field_validator("name")
    @classmethod
    def _slug(cls, v: str) -> str:
        if not _SLUG.match(v):
            raise ValueError("use lower-case letters, digits, '-' and '_' (a slug)")
        return v

    @field_validator("term")
    @classmethod
    def _term(cls, v: str) -> str:
        if not v:
            raise ValueError("must not be empty")
        return v

    @field_validator("mindate")
    @classmethod
    def _date(cls, v: str | None) -> str | None:
        if v is not None and not _DATE.match(v):
            raise ValueError("use YYYY, YYYY/MM or YYYY/MM/DD")
        return v


def load_saved_search(path: Path) -> SavedSearch:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        parsed = _SearchFile.model_validate(data)
    except tomllib.TOMLDecodeError as exc:
        raise QueryFileError(f"{path}: not valid TOML ({exc})") from None
    except ValidationError as exc:
        problem = field_problem(exc)
        if problem.endswith(": unknown field"):
            problem += " (allowed: name, term, description, mindate)"
        raise QueryFileError(f"{path}: {problem}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryFileError(f"{path}: cannot read ({exc})") from None
    try:
        # Checked here so a term the local evaluator cannot read fails before any run starts.
        parse_term(parsed.term)
    except LitwatchError as exc:
        raise QueryFileError(f"{path}: field 'term': {exc}") from None
    return SavedSearch(parsed.name, parsed.term, parsed.description, parsed.mindate)


def load_saved_searches(directory: Path, names: list[str] | None = None) -> list[SavedSearch]:
    """All saved searches in `directory` (or just `names`), sorted by name."""
    if not directory.is_dir():
        raise QueryFileError(f"{directory}: no such folder of saved searches (use --queries DIR)")
    searches = [load_saved_search(p) for p in sorted(directory.glob("*.toml"))]
    seen: dict[str, SavedSearch] = {}
    for s in searches:
        if s.name in seen:
            raise QueryFileError(f"{directory}: two saved searches are named {s.name!r}")
        seen[s.name] = s
    if not searches:
        raise QueryFileError(f"{directory}: no saved searches (*.toml) found")
    if names:
        missing = [n for n in names if n not in seen]
        if missing:
            raise QueryFileError(
                f"no saved search named {', '.join(missing)}; known: {', '.join(sorted(seen))}"
            )
        return [seen[n] for n in names]
    return sorted(searches, key=lambda s: s.name)
