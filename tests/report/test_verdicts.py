"""Verdict rules on real Evidence values and the shipped rules: each status and certainty
reachable, the claim's kind respected, one stray study never flipping a settled claim,
retracted evidence never counted."""

from __future__ import annotations

from litwatch.report.verdicts import ClaimTerms, Evidence, Verdict, grade_claim, load_rules
from tests.conftest import REPO

RULES = load_rules(REPO / "data" / "evidence.toml")
BENEFIT = ClaimTerms("eases-cramps", "Kratom eases cramps.", "efficacy", "benefit")
HARM = ClaimTerms("causes-itch", "Kratom can cause itching.", "safety", "harm")
MECHANISM = ClaimTerms("binds-x", "Kratom binds receptor X.", "mechanism", "property")
RARE = ClaimTerms("rare-rash", "Kratom can, rarely, cause a rash.", "safety", "harm", "occurs")
NO_RASH = ClaimTerms("no-rash", "Kratom is not associated with a rash.", "safety", "harm", "absent")
UNKNOWN = ClaimTerms("gaps", "Kratom's long-term safety is not known.", "safety", "unknown")


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


def many(stance: str, design: str, n: int, first: int = 1) -> list[Evidence]:
    return [ev(stance, design, first + i) for i in range(n)]


def grade(claim: ClaimTerms, *evidence: Evidence | list[Evidence]) -> Verdict:
    flat: list[Evidence] = []
    for item in evidence:
        flat.extend(item if isinstance(item, list) else [item])
    return grade_claim(claim, flat, RULES)


def test_each_status() -> None:
    assert grade(HARM).status == "no-evidence"
    assert grade(HARM, ev("mentions", "narrative-review")).status == "insufficient"
    assert grade(HARM, ev("supports", "case-report")).status == "insufficient"  # one case
    assert grade(HARM, many("supports", "animal", 5)).status == "insufficient"  # lab only
    assert grade(HARM, ev("supports", "rct", 1), ev("supports", "cohort", 2)).status == "supported"
    assert grade(HARM, ev("contradicts", "rct", 1), ev("supports", "cohort", 2)).status == (
        "contradicted"
    )
    assert grade(HARM, ev("supports", "rct", 1), ev("contradicts", "rct", 2)).status == "mixed"


def test_certainty_is_given_with_any_evidence_and_only_then() -> None:
    none = grade(HARM)
    assert none.certainty is None and none.certainty_reason == ""
    thin = grade(HARM, ev("supports", "case-report"))
    assert thin.certainty == "very-low" and thin.certainty_reason.startswith("too little evidence")


def test_certainty_starts_from_the_best_design_and_is_rated_down() -> None:
    trials = grade(HARM, many("supports", "rct", 3))
    assert (trials.certainty, trials.certainty_reason) == (
        "high",
        "best evidence (high): PMID 3 (rct), PMID 2 (rct), PMID 1 (rct)",
    )
    one_trial = grade(HARM, ev("supports", "rct"))
    assert one_trial.certainty == "moderate"
    assert "rated down for imprecision: 1 primary study of that level" in one_trial.certainty_reason
    split = grade(HARM, many("supports", "rct", 3), ev("contradicts", "rct", 9))
    assert split.status == "supported" and split.certainty == "moderate"
    assert "rated down for inconsistency: studies as good as the best disagree" in (
        split.certainty_reason
    )
    cohorts = grade(HARM, many("supports", "cohort", 3))
    assert cohorts.certainty == "low"  # observational studies start low


def test_a_benefit_users_only_perceive_is_insufficient() -> None:
    surveys = many("supports", "cross-sectional", 12) + many("supports", "qualitative", 4, 50)
    verdict = grade(BENEFIT, surveys)
    assert (verdict.status, verdict.certainty) == ("insufficient", "very-low")
    assert verdict.reason.startswith("no study measured the outcome")
    # The same surveys say more of a harm: people report harms against their own interest.
    assert grade(HARM, surveys).status == "supported"


def test_perceived_benefit_does_not_outweigh_a_study_that_measured_none() -> None:
    surveys = many("supports", "cross-sectional", 12)
    verdict = grade(BENEFIT, surveys, ev("contradicts", "cohort", 99))
    assert verdict.status == "insufficient"
    assert verdict.reason.startswith("no study that measured the outcome found the benefit")


def test_a_measured_benefit_with_weak_support_is_very_low_certainty() -> None:
    verdict = grade(BENEFIT, ev("supports", "cohort", 1), many("supports", "cross-sectional", 6, 2))
    assert (verdict.status, verdict.certainty) == ("supported", "very-low")
    assert "PMID 1 (cohort)" in verdict.reason


def test_one_contradicting_trial_does_not_flip_twenty_supporting_findings() -> None:
    findings = many("supports", "cohort", 5) + many("supports", "cross-sectional", 15, 10)
    for claim in (HARM, BENEFIT):
        verdict = grade(claim, findings, ev("contradicts", "rct", 99))
        assert verdict.status == "supported", verdict.reason
        assert "decided by PMID" in verdict.reason and "(cohort)" in verdict.reason


def test_agreeing_trials_outrank_perceptions_but_one_trial_alone_does_not() -> None:
    support = [ev("supports", "controlled-trial", 1), *many("supports", "cross-sectional", 8, 2)]
    two = grade(BENEFIT, support, ev("contradicts", "rct", 20), ev("contradicts", "rct", 21))
    assert two.status == "contradicted"
    assert "the 2 studies of the best level agree (PMID 21 (rct), PMID 20 (rct))" in two.reason
    one = grade(BENEFIT, support, ev("contradicts", "rct", 20))
    assert one.status == "mixed"


def test_credible_case_reports_establish_a_rare_harm_despite_null_cohorts() -> None:
    cases = many("supports", "case-report", 2)
    nulls = [*many("contradicts", "cohort", 2, 10), ev("contradicts", "cross-sectional", 20)]
    assert grade(RARE, cases, nulls).status == "supported"
    assert grade(HARM, cases, nulls).status == "contradicted"  # a common harm: cohorts count
    # The same evidence, as an inverse claim tags it, contradicts "not associated".
    flipped = [ev("contradicts", "case-report", e.pmid) for e in cases]
    flipped += [ev("supports", e.design, e.pmid) for e in nulls]
    verdict = grade(NO_RASH, flipped)
    assert verdict.status == "contradicted" and verdict.certainty == "very-low"
    assert "case(s) of a rare event" in verdict.reason


def test_mechanism_claims_may_rest_on_laboratory_evidence() -> None:
    lab = many("supports", "in-vitro", 3) + many("supports", "animal", 2, 10)
    mechanism = grade(MECHANISM, lab)
    assert (mechanism.status, mechanism.certainty) == ("supported", "moderate")
    efficacy = grade(HARM, lab)
    assert efficacy.status == "insufficient"
    assert efficacy.reason.startswith("only animal, in-vitro or non-study findings")


def test_laboratory_evidence_beside_human_evidence_is_indirect() -> None:
    verdict = grade(HARM, ev("supports", "case-report", 1), many("supports", "animal", 8, 2))
    assert verdict.certainty == "very-low"
    assert "indirectness" in verdict.certainty_reason


def test_an_unknown_stays_unknown_beside_partial_findings_of_safety() -> None:
    reviews = many("supports", "systematic-review", 3) + many("supports", "narrative-review", 3, 5)
    partial = many("contradicts", "cohort", 2, 20)
    verdict = grade(UNKNOWN, reviews, partial)
    assert (verdict.status, verdict.certainty) == ("supported", "moderate")
    assert "partial finding(s) of safety" in verdict.reason
    # Two narrative reviews saying it is unknown, and nothing establishing it, are enough.
    assert grade(UNKNOWN, many("supports", "narrative-review", 2)).status == "supported"
    # Many long-term studies finding no harm do establish safety: the claim then fails.
    assert grade(UNKNOWN, reviews[:1], many("contradicts", "cohort", 12, 30)).status == (
        "contradicted"
    )


def test_retracted_evidence_is_shown_but_never_counted() -> None:
    verdict = grade(HARM, ev("supports", "rct", 1, retracted=True))
    assert verdict.status == "no-evidence" and verdict.certainty is None
    assert [e.pmid for e in verdict.retracted] == [1]
    assert verdict.counts == {"supports": 0, "contradicts": 0, "mentions": 0}
    assert "1 retracted record(s) shown but not counted" in verdict.reason


def test_evidence_is_listed_strongest_first() -> None:
    verdict = grade(
        BENEFIT,
        ev("supports", "cross-sectional", 1),
        ev("supports", "rct", 2),
        ev("mentions", "other", 3),
    )
    assert [e.pmid for e in verdict.evidence] == [2, 1, 3]
    assert [e.pmid for e in verdict.strongest("supports")] == [2, 1]
