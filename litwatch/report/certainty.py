"""GRADE-style certainty of a claim's verdict: start from the best evidence on the deciding
side, rate down for risk of bias, indirectness, inconsistency and imprecision
(docs/evidence.md). Pure."""

from __future__ import annotations

from typing import TYPE_CHECKING

from litwatch.report.rules import CERTAINTIES, EvidenceRules
from litwatch.report.weigh import INDIRECT, SELF_REPORT, Scored, strongest_first

if TYPE_CHECKING:
    from litwatch.report.verdicts import ClaimTerms

_SIDE = {"supported": "supports", "contradicted": "contradicts"}
_DOWN_FOR = {
    SELF_REPORT: "risk of bias: benefits as self-selected users perceive them",
    INDIRECT: "indirectness: laboratory or non-study evidence for a claim about people",
}


def _name(level: int) -> str:
    return CERTAINTIES[max(level, 1) - 1]


def _start(best: list[Scored]) -> str:
    """Where the rating starts: the best studies (all of one level), and which of them were
    rated down to it from their design's level, and why."""
    labels = ", ".join(s.label for s in best[:3]) + (
        f" and {len(best) - 3} more" if best[3:] else ""
    )
    text = f"best evidence ({_name(best[0].level)}): {labels}"
    for note, why in _DOWN_FOR.items():
        down = [s for s in best if note in s.notes and s.start > s.level]
        if down:
            text += f"; {len(down)} of them rated down from {_name(down[0].start)} for {why}"
    return text


def _inconsistent(body: list[Scored], against: list[Scored], rules: EvidenceRules) -> str | None:
    """Whether the evidence disagrees: the best studies among themselves (findings of the
    deciding side's best level or better), or all findings nearly as much as a mixed claim's."""
    top = max(s.level for s in body)
    best_for = sum(s.weight for s in body if s.level >= top)
    best_against = sum(s.weight for s in against if s.level >= top)
    if best_against and best_against >= rules.certainty.inconsistency_best * best_for:
        return f"studies as good as the best disagree (weight {best_against:.1f} vs {best_for:.1f})"
    all_for, all_against = sum(s.weight for s in body), sum(s.weight for s in against)
    if all_against and all_against >= rules.certainty.inconsistency_all * all_for:
        # Sides of the verdict, not of the claim: for a contradicted claim the findings
        # "against" the verdict are the supporting ones.
        return (
            f"findings on the other side weigh {all_against:.1f} "
            f"beside {all_for:.1f} on the deciding side"
        )
    return None


def _studies(best: list[Scored], claim: ClaimTerms, rules: EvidenceRules) -> int:
    """Independent studies among the best: reviews re-count primary studies, except on a claim
    that something is unknown, where a review that looked for the data is the evidence."""
    if claim.kind == "unknown":
        return len(best)
    return sum(s.evidence.design not in rules.certainty.reviews for s in best)


def grade_certainty(
    claim: ClaimTerms, status: str, scored: list[Scored], rules: EvidenceRules
) -> tuple[str | None, str]:
    """(certainty, its reason) for a claim graded `status` on these findings."""
    if status == "no-evidence":
        return None, ""
    if status == "insufficient":
        return "very-low", "too little evidence to rate higher (see the status)"
    body = [s for s in scored if status == "mixed" or s.evidence.stance == _SIDE[status]]
    against = [s for s in scored if status != "mixed" and s.evidence.stance != _SIDE[status]]
    ranked = strongest_first(body)
    if not ranked:  # only with rules that let weightless findings carry a status
        return "very-low", "no weighed finding on the deciding side"
    best = [s for s in ranked if s.level == ranked[0].level]
    level, steps = ranked[0].level, [_start(best)]
    if status == "mixed":
        level -= 1
        steps.append("rated down for inconsistency: findings go both ways")
    elif (why := _inconsistent(body, against, rules)) is not None:
        level -= 1
        steps.append(f"rated down for inconsistency: {why}")
    if (n := _studies(best, claim, rules)) < rules.certainty.few_studies:
        level -= 1
        kind = "" if claim.kind == "unknown" else "primary "
        steps.append(
            f"rated down for imprecision: {n} {kind}stud{'y' if n == 1 else 'ies'} of that level"
        )
    return _name(level), "; ".join(steps)
