"""Verdict rules: each status reachable, retracted evidence never counted."""

from __future__ import annotations

from litwatch.report.verdicts import Evidence, grade_claim, load_rules
from tests.conftest import REPO

RULES = load_rules(REPO / "data" / "evidence.toml")


def ev(stance: str, design: str, pmid: int = 1, retracted: bool = False) -> Evidence:
    return Evidence(
        pmid=pmid,
        stance=stance,
        design=design,
        population="human",
        year=2020,
        sentence="s",
        section="results",
        title="t",
        first_author="A",
        journal="J",
        doi=None,
        retracted=retracted,
        new=False,
        weight=RULES.weight(design),
    )


def status(*evidence: Evidence, category: str = "efficacy") -> str:
    return grade_claim("c", "statement", category, list(evidence), RULES).status


def test_each_status() -> None:
    assert status() == "no-evidence"
    assert status(ev("mentions", "narrative-review")) == "insufficient"
    assert status(ev("supports", "case-report")) == "insufficient"  # one case report
    assert status(ev("supports", "animal", 1), ev("supports", "animal", 2)) == "insufficient"
    assert status(ev("supports", "rct", 1), ev("supports", "cohort", 2)) == "supported"
    assert status(ev("contradicts", "rct", 1), ev("supports", "case-report", 2)) == "contradicted"
    assert status(ev("supports", "rct", 1), ev("contradicts", "rct", 2)) == "mixed"


def test_mechanism_claims_may_rest_on_laboratory_evidence() -> None:
    lab = [ev("supports", "in-vitro", i) for i in range(30)]
    assert status(*lab, category="mechanism") == "supported"
    assert status(*lab, category="efficacy") == "insufficient"


def test_retracted_evidence_is_shown_but_never_counted() -> None:
    verdict = grade_claim("c", "s", "efficacy", [ev("supports", "rct", 1, retracted=True)], RULES)
    assert verdict.status == "insufficient" or verdict.status == "no-evidence"
    assert [e.pmid for e in verdict.retracted] == [1]
    assert verdict.counts == {"supports": 0, "contradicts": 0, "mentions": 0}
    assert "retracted" in verdict.reason


def test_many_weak_studies_do_not_outvote_a_stronger_one() -> None:
    surveys = [ev("supports", "cross-sectional", i) for i in range(6)]
    assert status(*surveys) == "supported"
    assert status(*surveys, ev("contradicts", "rct", 99)) == "mixed"


def test_three_case_reports_establish_a_rare_harm() -> None:
    cases = [ev("supports", "case-report", i) for i in range(3)]
    assert status(*cases, category="safety") == "supported"
    assert status(*cases[:2], category="safety") == "insufficient"
