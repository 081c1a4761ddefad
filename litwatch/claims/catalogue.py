"""The claim catalogue (`data/claims.toml`): loaded, validated strictly, versioned by content.

Documented in docs/claims.md. A malformed catalogue fails with one line naming the claim and
the field. The version is a hash of the file's content: records tagged under another version
are re-tagged on the next run.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from litwatch.claims.language import load_language
from litwatch.claims.phrases import check_phrases
from litwatch.errors import LitwatchError
from litwatch.validation import field_problem, first_problem

DEFAULT_CATALOGUE = Path("data/claims.toml")
KINDS = ("benefit", "harm", "property", "unknown")
# The code that turns an abstract into tags and a design grade: a change to any of these
# files re-tags stored records (a number raised by hand was forgotten).
_TAGGER_CODE = (
    "conditions.py", "design.py", "phrases.py", "reading.py", "rules.py", "tagger.py", "text.py",
)  # fmt: skip


@cache
def tagger_code_version() -> str:
    folder = Path(__file__).parent
    digest = hashlib.sha256()
    for name in _TAGGER_CODE:
        digest.update((folder / name).read_bytes())
    return digest.hexdigest()[:12]


class CatalogueError(LitwatchError):
    """The claim catalogue is malformed."""

    exit_code = 2


class _ClaimEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)
    id: str
    category: Literal["efficacy", "mechanism", "safety"]
    kind: Literal["benefit", "harm", "property", "unknown"]
    statement: str
    quote: str
    subject: list[str] = []
    outcome: list[str] = []
    exclude: list[str] = []
    null: list[str] = []
    opposite: list[str] = []
    inverse_of: str | None = None
    contradicts_claim: str | None = None
    rare_event: Literal["occurs", "absent"] | None = None

    @field_validator("id")
    @classmethod
    def _slug(cls, v: str) -> str:
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", v):
            raise ValueError("use lower-case letters, digits and '-'")
        return v

    @field_validator("subject", "outcome", "exclude", "null", "opposite")
    @classmethod
    def _patterns(cls, v: list[str]) -> list[str]:
        return check_phrases(v)


class _CatalogueFile(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    claim: list[_ClaimEntry]


@dataclass(frozen=True)
class Claim:
    id: str
    category: str
    kind: str
    statement: str
    quote: str
    subject: tuple[str, ...]
    outcome: tuple[str, ...]
    exclude: tuple[str, ...]
    null: tuple[str, ...]  # the claim's own words for "no effect" ("within normal limits")
    opposite: tuple[str, ...]  # the opposite of a benefit ("kept them awake" for sleep)
    inverse_of: str | None
    contradicts_claim: str | None
    rare_event: str | None = None  # "occurs" | "absent": see docs/evidence.md


@dataclass(frozen=True)
class Catalogue:
    claims: tuple[Claim, ...]
    version: str
    path: Path

    def get(self, claim_id: str) -> Claim:
        for claim in self.claims:
            if claim.id == claim_id:
                return claim
        known = ", ".join(c.id for c in self.claims)
        raise CatalogueError(f"no claim {claim_id!r}; known: {known}")

    @property
    def conflicts(self) -> list[tuple[str, str]]:
        """Pairs of claims the source article asserts although they contradict each other."""
        pairs = {
            tuple(sorted((c.id, c.contradicts_claim))) for c in self.claims if c.contradicts_claim
        }
        return sorted((a, b) for a, b in pairs)


def _where(exc: ValidationError, data: dict[str, object]) -> str:
    loc, msg = first_problem(exc)
    if len(loc) >= 2 and loc[0] == "claim" and isinstance(loc[1], int):
        entries = data.get("claim")
        claim_id = "?"
        if (
            isinstance(entries, list)
            and loc[1] < len(entries)
            and isinstance(entries[loc[1]], dict)
        ):
            claim_id = str(entries[loc[1]].get("id", f"#{loc[1] + 1}"))
        field = ".".join(str(p) for p in loc[2:]) or "entry"
        return f"claim {claim_id!r}, field '{field}': {msg}"
    return field_problem(exc)


def load_catalogue(path: Path = DEFAULT_CATALOGUE) -> Catalogue:
    """Read and validate the catalogue; the error names the file, the claim and the field."""
    try:
        raw = path.read_bytes()
        data = tomllib.loads(raw.decode("utf-8"))
    except FileNotFoundError:
        raise CatalogueError(f"{path}: no claim catalogue here (use --claims FILE)") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CatalogueError(f"{path}: not valid TOML ({exc})") from None
    try:
        parsed = _CatalogueFile.model_validate(data)
    except ValidationError as exc:
        raise CatalogueError(f"{path}: {_where(exc, data)}") from None
    ids = [c.id for c in parsed.claim]
    for entry in parsed.claim:
        if ids.count(entry.id) > 1:
            raise CatalogueError(f"{path}: claim {entry.id!r} appears twice")
        for field in ("inverse_of", "contradicts_claim"):
            target = getattr(entry, field)
            if target is not None and target not in ids:
                raise CatalogueError(
                    f"{path}: claim {entry.id!r}, field '{field}': no claim {target!r}"
                )
        if entry.inverse_of is None and not entry.subject:
            raise CatalogueError(f"{path}: claim {entry.id!r}, field 'subject': must not be empty")
    claims = tuple(
        Claim(
            id=c.id,
            category=c.category,
            kind=c.kind,
            statement=c.statement,
            quote=c.quote,
            subject=tuple(c.subject),
            outcome=tuple(c.outcome),
            exclude=tuple(c.exclude),
            null=tuple(c.null),
            opposite=tuple(c.opposite),
            inverse_of=c.inverse_of,
            contradicts_claim=c.contradicts_claim,
            rare_event=c.rare_event,
        )
        for c in parsed.claim
    )
    # Tags depend on the claims, on the tagger's language and on its rules: a change to any
    # of them re-tags the stored records.
    language = load_language().version
    code = tagger_code_version()
    version = hashlib.sha256(raw + f"{language}/{code}".encode()).hexdigest()[:12]
    return Catalogue(claims=claims, version=version, path=path)
