"""What one finding is worth for one claim: its weight in the balance and its GRADE level, by
its design and by the kind of claim (docs/evidence.md). Pure."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from litwatch.report.rules import EvidenceRules

if TYPE_CHECKING:
    from litwatch.report.verdicts import ClaimTerms, Evidence

# Why a finding counts differently from its design's weight and level; the reasons quote them.
SELF_REPORT = "self-report"  # a benefit as self-selected users perceive it: risk of bias
INDIRECT = "indirect"  # laboratory or non-study evidence on a claim about people
RARE_CASE = "rare-case"  # a case of a rare event: the design that can show one
RARE_NULL = "rare-null"  # a sample that did not show a rare event cannot rule it out
PARTIAL = "partial"  # one finding of safety does not establish what is claimed unknown


@dataclass(frozen=True)
class Scored:
    """A finding as weighed for one claim."""

    evidence: Evidence
    weight: float
    start: int  # the design's GRADE level (1 very-low … 4 high) for this kind of claim
    level: int  # after rating this one study down (risk of bias, indirectness)
    notes: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"PMID {self.evidence.pmid} ({self.evidence.design})"


def asserts_event(stance: str, rare_event: str) -> bool:
    """Whether a finding reports that the rare event happened (for either way of claiming it)."""
    return (stance == "supports") == (rare_event == "occurs")


def is_human_claim(claim: ClaimTerms, rules: EvidenceRules) -> bool:
    return claim.category in rules.human_categories


def score_finding(e: Evidence, claim: ClaimTerms, rules: EvidenceRules) -> Scored:
    """The weight and level of one supporting or contradicting finding on `claim`."""
    weight, start, notes = e.weight, rules.level(e.design), []
    if claim.rare_event is not None:
        rare = rules.rare_event
        if asserts_event(e.stance, claim.rare_event):
            if e.design in rare.weights or e.design in rare.levels:
                weight = rare.weights.get(e.design, weight)
                start = rare.levels.get(e.design, start)
                notes.append(RARE_CASE)
        else:
            weight *= rules.rare_event.null_factor
            notes.append(RARE_NULL)
    if claim.kind == "unknown":
        weight = rules.unknown.weights.get(e.design, weight)
        start = rules.unknown.levels.get(e.design, start)
        if e.stance == "contradicts":
            weight *= rules.unknown.against_factor
            notes.append(PARTIAL)
    level = start
    if claim.kind == "benefit" and e.stance == "supports" and e.design in rules.benefit.self_report:
        # Self-selected users' perceptions are biased towards the benefit; reports against it
        # from the same people are not discounted.
        weight *= rules.benefit.self_report_factor
        level -= rules.certainty.self_report_levels
        notes.append(SELF_REPORT)
    if is_human_claim(claim, rules) and e.design in rules.lab_designs:
        weight *= rules.indirect_factor
        level -= rules.certainty.indirect_levels
        notes.append(INDIRECT)
    return Scored(e, weight, start, max(level, 1), tuple(notes))


def strongest_first(scored: list[Scored]) -> list[Scored]:
    """Best level first, then weight, then the newest."""
    return sorted(
        scored, key=lambda s: (-s.level, -s.weight, -(s.evidence.year or 0), -s.evidence.pmid)
    )
