"""Per-claim verdicts from tagged evidence, by the editable rules in data/evidence.toml.
Pure: tags and rules in, verdicts out (docs/evidence.md). Retracted records are shown but
never count as evidence."""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from litwatch.errors import LitwatchError
from litwatch.models import Author, pubmed_url
from litwatch.validation import field_problem

STATUSES = ("supported", "contradicted", "mixed", "insufficient", "no-evidence")
DEFAULT_RULES = Path("data/evidence.toml")
LAB_DESIGNS = {"animal", "in-vitro", "other"}


class RulesError(LitwatchError):
    """The evidence rules file is malformed."""

    exit_code = 2


class _Rules(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    min_weight: float
    dominance: float
    human_categories: list[str]


class _RulesFile(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    weights: dict[str, float]
    rules: _Rules


@dataclass(frozen=True)
class EvidenceRules:
    weights: dict[str, float]
    min_weight: float
    dominance: float
    human_categories: tuple[str, ...]

    def weight(self, design: str | None) -> float:
        return self.weights.get(design or "other", self.weights.get("other", 0.1))


def load_rules(path: Path) -> EvidenceRules:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        parsed = _RulesFile.model_validate(data)
    except FileNotFoundError:
        raise RulesError(f"{path}: no evidence rules here (use --rules FILE)") from None
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"{path}: not valid TOML ({exc})") from None
    except ValidationError as exc:
        raise RulesError(f"{path}: {field_problem(exc)}") from None
    return EvidenceRules(
        parsed.weights,
        parsed.rules.min_weight,
        parsed.rules.dominance,
        tuple(parsed.rules.human_categories),
    )


@dataclass(frozen=True)
class Evidence:
    pmid: int
    stance: str
    design: str
    population: str
    year: int | None
    sentence: str
    section: str
    title: str
    first_author: str | None
    journal: str | None
    doi: str | None
    retracted: bool
    new: bool
    weight: float
    # What a formatted citation needs beyond the above (litwatch/report/citations.py).
    # `journal` is the NLM abbreviation when the record has one; `journal_title` in full.
    authors: tuple[Author, ...] = ()
    journal_title: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None

    @property
    def url(self) -> str:
        return pubmed_url(self.pmid)

    def citation(self) -> str:
        author = self.first_author or "Anonymous"
        parts = [f"{author} et al." if self.first_author else author, f"({self.year or 'n.d.'})"]
        parts.append(self.title.rstrip("."))
        if self.journal:
            parts.append(self.journal.rstrip("."))
        return ". ".join([" ".join(parts[:2]), *parts[2:]]) + f". PMID {self.pmid}. {self.url}"


@dataclass(frozen=True)
class Verdict:
    claim_id: str
    statement: str
    category: str
    status: str
    reason: str
    counts: dict[str, int]
    by_design: dict[str, int]
    newest_year: int | None
    evidence: tuple[Evidence, ...]  # not retracted, strongest first
    retracted: tuple[Evidence, ...]
    new: tuple[Evidence, ...]
    conflicts_with: str | None
    certainty: str | None = None  # how sure the status is, when graded
    certainty_reason: str = ""

    def strongest(self, stance: str, n: int = 3) -> list[Evidence]:
        return [e for e in self.evidence if e.stance == stance][:n]


def evidence_from_rows(
    rows: Sequence[dict[str, Any]], rules: EvidenceRules, new_pmids: set[int]
) -> list[Evidence]:
    return [
        Evidence(
            pmid=int(r["pmid"]),
            stance=r["stance"],
            design=r["design"] or "other",
            population=r["population"] or "none",
            year=r["pub_year"],
            sentence=r["sentence"],
            section=r["section"],
            title=r["title"],
            first_author=r["first_author"],
            journal=r["journal_abbrev"] or r["journal"],
            doi=r["doi"],
            retracted=bool(r["retracted"]),
            new=int(r["pmid"]) in new_pmids,
            weight=rules.weight(r["design"]),
            authors=tuple(r.get("authors", ())),
            journal_title=r["journal"],
            volume=r.get("volume"),
            issue=r.get("issue"),
            pages=r.get("pages"),
        )
        for r in rows
    ]


def _status(
    claim_category: str, findings: list[Evidence], mentions: int, rules: EvidenceRules
) -> tuple[str, str]:
    if not findings and not mentions:
        return "no-evidence", "no stored record addresses this claim"
    support = sum(e.weight for e in findings if e.stance == "supports")
    against = sum(e.weight for e in findings if e.stance == "contradicts")
    n_s = sum(e.stance == "supports" for e in findings)
    n_c = len(findings) - n_s
    tally = f"{n_s} supporting (weight {support:.1f}) vs {n_c} contradicting (weight {against:.1f})"
    if not findings:
        return "insufficient", f"only mentions ({mentions}): no record reports a finding"
    human = [e for e in findings if e.design not in LAB_DESIGNS]
    if claim_category in rules.human_categories and not human:
        return (
            "insufficient",
            f"only animal, in-vitro or non-study findings for a claim about human health: {tally}",
        )
    if support + against < rules.min_weight:
        return "insufficient", f"too little evidence: {tally} (needs weight {rules.min_weight:.1f})"
    # Many weak studies do not outvote a stronger one: the side that dominates by weight must
    # also hold the strongest single study.
    best_for = max((e.weight for e in findings if e.stance == "supports"), default=0.0)
    best_against = max((e.weight for e in findings if e.stance == "contradicts"), default=0.0)
    if support >= rules.dominance * against and best_for >= best_against:
        return "supported", f"findings favour the claim: {tally}"
    if against >= rules.dominance * support and best_against >= best_for:
        return "contradicted", f"findings go against the claim: {tally}"
    if support >= rules.dominance * against or against >= rules.dominance * support:
        return "mixed", f"the larger side is outweighed by a stronger study on the other: {tally}"
    return "mixed", f"substantial findings both ways: {tally}"


def grade_claim(
    claim_id: str,
    statement: str,
    category: str,
    evidence: Sequence[Evidence],
    rules: EvidenceRules,
    conflicts_with: str | None = None,
) -> Verdict:
    """The status of one claim, with its reason and the evidence behind it."""
    counted = sorted(
        (e for e in evidence if not e.retracted), key=lambda e: (-e.weight, -(e.year or 0), -e.pmid)
    )
    findings = [e for e in counted if e.stance != "mentions"]
    mentions = len(counted) - len(findings)
    status, reason = _status(category, findings, mentions, rules)
    retracted = tuple(e for e in evidence if e.retracted)
    if retracted:
        reason += f"; {len(retracted)} retracted record(s) shown but not counted"
    years = [e.year for e in counted if e.year]
    return Verdict(
        claim_id=claim_id,
        statement=statement,
        category=category,
        status=status,
        reason=reason,
        counts={
            s: sum(e.stance == s for e in counted) for s in ("supports", "contradicts", "mentions")
        },
        by_design=dict(Counter(e.design for e in findings)),
        newest_year=max(years) if years else None,
        evidence=tuple(counted),
        retracted=retracted,
        new=tuple(e for e in evidence if e.new),
        conflicts_with=conflicts_with,
    )
