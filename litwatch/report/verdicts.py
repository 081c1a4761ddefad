"""Per-claim verdicts from tagged evidence, by the editable rules in data/evidence.toml.
Pure: tags and rules in, verdicts out (docs/evidence.md). Each claim gets a status, the
studies that decide it, and a GRADE-style certainty. Retracted records are shown but never
count as evidence."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from litwatch.models import Author, Reference, pubmed_url
from litwatch.report.certainty import grade_certainty
from litwatch.report.rules import DEFAULT_RULES, EvidenceRules, RulesError, load_rules
from litwatch.report.weigh import (
    INDIRECT,
    PARTIAL,
    RARE_CASE,
    RARE_NULL,
    SELF_REPORT,
    Scored,
    is_human_claim,
    score_finding,
    strongest_first,
)

__all__ = ["DEFAULT_RULES", "EvidenceRules", "RulesError", "load_rules"]

STATUSES = ("supported", "contradicted", "mixed", "insufficient", "no-evidence")
_SIDE = {"supported": "supports", "contradicted": "contradicts"}
_NOTE_WORDS = {
    SELF_REPORT: "users' perceptions",
    INDIRECT: "laboratory or non-study",
    RARE_CASE: "case(s) of a rare event",
    RARE_NULL: "null result(s) on a rare event",
    PARTIAL: "partial finding(s) of safety",
}


@dataclass(frozen=True)
class ClaimTerms:
    """What grading needs to know of a catalogue claim (docs/claims.md)."""

    id: str
    statement: str
    category: str
    kind: str
    rare_event: str | None = None  # "occurs" | "absent": credible case reports decide
    conflicts_with: str | None = None


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
    reviewed: bool = False  # a person confirmed or set this stance (`litwatch review`)

    @property
    def url(self) -> str:
        return pubmed_url(self.pmid)

    def reference(self) -> Reference:
        return Reference(
            self.pmid, self.title, self.authors, self.journal_title or self.journal,
            self.journal, self.year, self.volume, self.issue, self.pages, self.doi,
        )  # fmt: skip


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
    certainty: str | None = None  # high | moderate | low | very-low; None without evidence
    certainty_reason: str = ""

    @property
    def reviewed(self) -> int:
        """How many of the claim's tags (retracted included) a person has reviewed."""
        return sum(e.reviewed for e in (*self.evidence, *self.retracted))

    @property
    def tagged(self) -> int:
        return len(self.evidence) + len(self.retracted)

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
            reviewed=bool(r.get("reviewed", False)),
        )
        for r in rows
    ]


def _labels(scored: Sequence[Scored], n: int = 3) -> str:
    return ", ".join(s.label for s in strongest_first(list(scored))[:n])


def _tally(scored: Sequence[Scored]) -> str:
    s = [x for x in scored if x.evidence.stance == "supports"]
    c = [x for x in scored if x.evidence.stance == "contradicts"]
    tally = (
        f"{len(s)} supporting (weight {sum(x.weight for x in s):.1f}) vs "
        f"{len(c)} contradicting (weight {sum(x.weight for x in c):.1f})"
    )
    notes = Counter(note for x in scored for note in x.notes)
    if notes:
        tally += " [weighed as " + ", ".join(f"{n} {_NOTE_WORDS[k]}" for k, n in notes.items())
        tally += "]"
    return tally


def _insufficient(
    claim: ClaimTerms, scored: list[Scored], mentions: int, rules: EvidenceRules
) -> str | None:
    """Why the findings cannot carry a status, if they cannot."""
    if not scored:
        return f"only mentions ({mentions}): no record reports a finding"
    if is_human_claim(claim, rules) and all(s.evidence.design in rules.lab_designs for s in scored):
        return f"only animal, in-vitro or non-study findings for a claim about people: {_tally(scored)}"
    if claim.kind == "benefit" and not any(
        s.evidence.design in rules.benefit.measured for s in scored
    ):
        return (
            "no study measured the outcome: only users' perceptions, case reports, reviews or "
            f"laboratory work ({_tally(scored)}; best: {_labels(scored)})"
        )
    if sum(s.weight for s in scored) < rules.min_weight:
        return f"too little evidence: {_tally(scored)} (needs weight {rules.min_weight:.1f})"
    return None


def _measured_benefit(claim: ClaimTerms, scored: list[Scored], rules: EvidenceRules) -> bool:
    """A benefit counts as shown only when a study that measured it found it; any other claim
    passes."""
    return claim.kind != "benefit" or any(
        s.evidence.stance == "supports" and s.evidence.design in rules.benefit.measured
        for s in scored
    )


def _by_weight(scored: list[Scored], rules: EvidenceRules) -> str:
    support = sum(s.weight for s in scored if s.evidence.stance == "supports")
    against = sum(s.weight for s in scored if s.evidence.stance == "contradicts")
    if support >= rules.dominance * against:
        return "supported"
    if against >= rules.dominance * support:
        return "contradicted"
    return "mixed"


def _agreeing(group: list[Scored], rules: EvidenceRules) -> str | None:
    stances = {s.evidence.stance for s in group}
    if len(group) >= rules.decisive_studies and len(stances) == 1:
        return stances.pop()
    return None


def _best_agree(
    claim: ClaimTerms, scored: list[Scored], rules: EvidenceRules
) -> tuple[str | None, list[Scored], str]:
    """The stance of the best studies when there are enough of them and all agree: those of
    the best level, else, on a benefit, those that measured it (they outrank perceptions)."""
    top = max(s.level for s in scored)
    best = [s for s in scored if s.level == top]
    if (agreed := _agreeing(best, rules)) is not None:
        return agreed, best, "studies of the best level"
    if claim.kind == "benefit":
        measured = [s for s in scored if s.evidence.design in rules.benefit.measured]
        if (agreed := _agreeing(measured, rules)) is not None:
            return agreed, measured, "studies that measured the outcome"
    return None, best, ""


def _status(claim: ClaimTerms, scored: list[Scored], rules: EvidenceRules) -> tuple[str, str]:
    """The status of findings that can carry one, and the reason naming the deciding studies."""
    status = _by_weight(scored, rules)
    agreed, best, which = _best_agree(claim, scored, rules)
    tally = _tally(scored)
    if agreed is not None and status == "mixed":
        status = "supported" if agreed == "supports" else "contradicted"
        return status, (
            f"the {len(best)} {which} agree ({_labels(best)}) although the weights alone are "
            f"mixed: {tally}"
        )
    if agreed is not None and status != "mixed" and _SIDE[status] != agreed:
        return "mixed", (
            f"the weights favour one side ({tally}) but the {len(best)} {which} go the other "
            f"way ({_labels(best)})"
        )
    if status == "mixed":
        sides = [[s for s in scored if s.evidence.stance == st] for st in _SIDE.values()]
        return status, (
            f"findings go both ways: {tally}; strongest for: {_labels(sides[0], 2)}; "
            f"strongest against: {_labels(sides[1], 2)}"
        )
    side = [s for s in scored if s.evidence.stance == _SIDE[status]]
    verb = "favour the claim" if status == "supported" else "go against the claim"
    return status, f"findings {verb}: {tally}; decided by {_labels(side)}"


def _grade_status(
    claim: ClaimTerms, scored: list[Scored], mentions: int, rules: EvidenceRules
) -> tuple[str, str]:
    if not scored and not mentions:
        return "no-evidence", "no stored record addresses this claim"
    if (why := _insufficient(claim, scored, mentions, rules)) is not None:
        return "insufficient", why
    status, reason = _status(claim, scored, rules)
    if status == "supported" and not _measured_benefit(claim, scored, rules):
        return "insufficient", (
            "no study that measured the outcome found the benefit: the support is users' "
            f"perceptions, case reports, reviews or laboratory work ({_tally(scored)}; "
            f"best: {_labels(scored)})"
        )
    return status, reason


def grade_claim(claim: ClaimTerms, evidence: Sequence[Evidence], rules: EvidenceRules) -> Verdict:
    """The status and certainty of one claim, with their reasons and the evidence behind them."""
    counted = [e for e in evidence if not e.retracted]
    scored = [score_finding(e, claim, rules) for e in counted if e.stance != "mentions"]
    status, reason = _grade_status(claim, scored, len(counted) - len(scored), rules)
    certainty, certainty_reason = grade_certainty(claim, status, scored, rules)
    retracted = tuple(e for e in evidence if e.retracted)
    if retracted:
        reason += f"; {len(retracted)} retracted record(s) shown but not counted"
    order = {id(s.evidence): i for i, s in enumerate(strongest_first(scored))}
    ranked = sorted(counted, key=lambda e: (order.get(id(e), len(order)), -(e.year or 0), -e.pmid))
    years = [e.year for e in counted if e.year]
    return Verdict(
        claim_id=claim.id,
        statement=claim.statement,
        category=claim.category,
        status=status,
        reason=reason,
        counts={
            s: sum(e.stance == s for e in counted) for s in ("supports", "contradicts", "mentions")
        },
        by_design=dict(Counter(s.evidence.design for s in scored)),
        newest_year=max(years) if years else None,
        evidence=tuple(ranked),
        retracted=retracted,
        new=tuple(e for e in evidence if e.new),
        conflicts_with=claim.conflicts_with,
        certainty=certainty,
        certainty_reason=certainty_reason,
    )
