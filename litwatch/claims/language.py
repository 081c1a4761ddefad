"""The tagger's language (`litwatch/claims/language.toml`): named cues, each a list of
phrases with what it marks and an example sentence. Loaded and validated once; the tagger's
rules (`rules.py`) read sentences through these cues."""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from litwatch.claims.phrases import check_phrases
from litwatch.errors import LitwatchError
from litwatch.validation import field_problem

LANGUAGE = Path(__file__).with_name("language.toml")
# The cues the rules read; the file must define each (and may define no other).
CUES = (
    "kratom", "other-drug", "comparator", "negation", "null-result", "reversal", "relief",
    "improvement", "attribution", "prior-work", "presupposed", "limitation", "rebuttal", "own-finding",
    "self-report", "motive", "aim", "evidence-gap", "explanation", "recommendation",
    "kratom-withdrawal", "covariate", "minority", "low", "methods", "result",
)  # fmt: skip


class LanguageError(LitwatchError):
    """The tagger's language file is malformed."""

    exit_code = 2


class _CueEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    doc: str
    example: str
    phrases: list[str]

    @field_validator("phrases")
    @classmethod
    def _patterns(cls, v: list[str]) -> list[str]:
        return check_phrases(v)


class _LanguageFile(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    cue: dict[str, _CueEntry]


@dataclass(frozen=True)
class Cue:
    name: str
    doc: str
    example: str
    phrases: tuple[str, ...]


@dataclass(frozen=True)
class Language:
    cues: dict[str, Cue]
    version: str


@cache
def load_language(path: Path = LANGUAGE) -> Language:
    """Read and validate the language file; an error names the file, the cue and the field."""
    raw = path.read_bytes()
    try:
        parsed = _LanguageFile.model_validate(tomllib.loads(raw.decode("utf-8")))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise LanguageError(f"{path}: not valid TOML ({exc})") from None
    except ValidationError as exc:
        raise LanguageError(f"{path}: {field_problem(exc)}") from None
    names = set(parsed.cue)
    if names != set(CUES):
        missing, extra = sorted(set(CUES) - names), sorted(names - set(CUES))
        raise LanguageError(f"{path}: cues missing {missing}, unknown {extra}")
    cues = {
        name: Cue(name, entry.doc, entry.example, tuple(entry.phrases))
        for name, entry in parsed.cue.items()
    }
    return Language(cues, hashlib.sha256(raw).hexdigest()[:12])
