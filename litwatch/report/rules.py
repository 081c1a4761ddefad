"""The evidence rules (`data/evidence.toml`): loaded, validated strictly, documented in
docs/evidence.md. Weights and thresholds are data a researcher edits; verdicts.py and
certainty.py apply them."""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from litwatch.errors import LitwatchError
from litwatch.validation import field_problem

DEFAULT_RULES = Path("data/evidence.toml")
CERTAINTIES = ("very-low", "low", "moderate", "high")  # index + 1 = GRADE level
Certainty = Literal["very-low", "low", "moderate", "high"]
Weight = Annotated[float, Field(ge=0)]
Factor = Annotated[float, Field(ge=0, le=1)]
Levels = Annotated[int, Field(ge=0, le=3)]  # how many levels a study is rated down


class RulesError(LitwatchError):
    """The evidence rules file is malformed."""

    exit_code = 2


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class _Rules(_Strict):
    min_weight: Annotated[float, Field(gt=0)]
    dominance: Annotated[float, Field(ge=1)]
    human_categories: list[str]
    lab_designs: list[str]
    indirect_factor: Factor
    decisive_studies: Annotated[int, Field(ge=1)]


class _Benefit(_Strict):
    self_report: list[str]
    self_report_factor: Factor
    measured: list[str]


class _RareEvent(_Strict):
    weights: dict[str, Weight] = {}
    levels: dict[str, Certainty] = {}
    null_factor: Factor


class _Unknown(_Strict):
    weights: dict[str, Weight] = {}
    levels: dict[str, Certainty] = {}
    against_factor: Factor


class _Certainty(_Strict):
    indirect_levels: Levels
    self_report_levels: Levels
    few_studies: Annotated[int, Field(ge=1)]
    inconsistency_best: Annotated[float, Field(gt=0)]
    inconsistency_all: Annotated[float, Field(gt=0)]
    reviews: list[str]


class _RulesFile(_Strict):
    weights: dict[str, Weight]
    levels: dict[str, Certainty]
    rules: _Rules
    benefit: _Benefit
    rare_event: _RareEvent
    unknown: _Unknown
    certainty: _Certainty

    @model_validator(mode="after")
    def _every_design_has_a_level(self) -> _RulesFile:
        missing = sorted(set(self.weights) - set(self.levels))
        if missing:
            raise ValueError(f"designs with a weight but no level: {', '.join(missing)}")
        if "other" not in self.weights:
            raise ValueError("weights must include 'other' (the design of anything unclassified)")
        return self


@dataclass(frozen=True)
class BenefitRules:
    self_report: frozenset[str]
    self_report_factor: float
    measured: frozenset[str]


@dataclass(frozen=True)
class RareEventRules:
    weights: dict[str, float]
    levels: dict[str, int]
    null_factor: float


@dataclass(frozen=True)
class UnknownRules:
    weights: dict[str, float]
    levels: dict[str, int]
    against_factor: float


@dataclass(frozen=True)
class CertaintyRules:
    indirect_levels: int
    self_report_levels: int
    few_studies: int
    inconsistency_best: float
    inconsistency_all: float
    reviews: frozenset[str]


@dataclass(frozen=True)
class EvidenceRules:
    weights: dict[str, float]
    levels: dict[str, int]
    min_weight: float
    dominance: float
    human_categories: tuple[str, ...]
    lab_designs: frozenset[str]
    indirect_factor: float
    decisive_studies: int
    benefit: BenefitRules
    rare_event: RareEventRules
    unknown: UnknownRules
    certainty: CertaintyRules
    version: str = ""  # of the rules file and the grading code: shown in the as-of stamp

    def weight(self, design: str | None) -> float:
        return self.weights.get(design or "other", self.weights["other"])

    def level(self, design: str) -> int:
        return self.levels.get(design, self.levels["other"])


def _levels(names: dict[str, Certainty]) -> dict[str, int]:
    return {design: CERTAINTIES.index(name) + 1 for design, name in names.items()}


_GRADING_CODE = ("certainty.py", "rules.py", "verdicts.py", "weigh.py")


def _version(text: str) -> str:
    digest = hashlib.sha256(text.encode())
    for name in _GRADING_CODE:
        digest.update((Path(__file__).parent / name).read_bytes())
    return digest.hexdigest()[:12]


def _read(path: Path) -> tuple[_RulesFile, str]:
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
        return _RulesFile.model_validate(data), _version(text)
    except FileNotFoundError:
        raise RulesError(f"{path}: no evidence rules here (use --rules FILE)") from None
    except UnicodeDecodeError:
        raise RulesError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"{path}: not valid TOML ({exc})") from None
    except ValidationError as exc:
        raise RulesError(f"{path}: {field_problem(exc)}") from None


def load_rules(path: Path) -> EvidenceRules:
    """Read and validate the rules; the error names the file and the field."""
    parsed, version = _read(path)
    r, b, rare, unknown, c = (
        parsed.rules,
        parsed.benefit,
        parsed.rare_event,
        parsed.unknown,
        parsed.certainty,
    )
    return EvidenceRules(
        weights=parsed.weights,
        levels=_levels(parsed.levels),
        min_weight=r.min_weight,
        dominance=r.dominance,
        human_categories=tuple(r.human_categories),
        lab_designs=frozenset(r.lab_designs),
        indirect_factor=r.indirect_factor,
        decisive_studies=r.decisive_studies,
        benefit=BenefitRules(frozenset(b.self_report), b.self_report_factor, frozenset(b.measured)),
        rare_event=RareEventRules(rare.weights, _levels(rare.levels), rare.null_factor),
        unknown=UnknownRules(unknown.weights, _levels(unknown.levels), unknown.against_factor),
        certainty=CertaintyRules(
            c.indirect_levels,
            c.self_report_levels,
            c.few_studies,
            c.inconsistency_best,
            c.inconsistency_all,
            frozenset(c.reviews),
        ),
        version=version,
    )
