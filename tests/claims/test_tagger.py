"""Hard cases for the tagger, written for these tests (not copied from the dev corpus)."""

from __future__ import annotations

import pytest

from litwatch.claims.catalogue import load_catalogue
from litwatch.claims.tagger import Tagger
from litwatch.claims.text import split_sentences
from tests.conftest import REPO

TAGGER = Tagger(load_catalogue(REPO / "data" / "claims.toml"))


def stances(title: str, *abstract: str, labelled: bool = False) -> dict[str, str]:
    sections = [("RESULTS" if labelled else None, None, " ".join(abstract))]
    return {t.claim_id: t.stance for t in TAGGER.tag_record(title, sections)}


@pytest.mark.parametrize(
    "sentence, claim, stance",
    [
        # synonyms and paraphrases
        (
            "Daily kratom users reported sleeplessness on days they stopped taking it (41%).",
            "insomnia-risk",
            "supports",
        ),
        (
            "Dermal discolouration of the hands developed after two years of daily kratom tea.",
            "hyperpigmentation-risk",
            "supports",
        ),
        (
            "Mitragynine was a partial agonist at the mu-opioid receptor in transfected cells.",
            "opioid-receptor-agonism",
            "supports",
        ),
        (
            "Kratom extract lowered Clinical Opiate Withdrawal Scale scores relative to baseline (P < .01).",
            "withdrawal-relief",
            "supports",
        ),
        # negation and null results
        (
            "Kratom did not reduce opioid craving compared with placebo (P = .48).",
            "craving-reduction",
            "contradicts",
        ),
        (
            "Pain scores did not differ between kratom users and non-users in this cohort.",
            "pain-relief",
            "contradicts",
        ),
        (
            "Rates of constipation were similar in kratom and placebo groups (12% versus 11%).",
            "gastrointestinal-effects",
            "contradicts",
        ),
        # hedged findings still support
        (
            "These results suggest that kratom may ease anxiety in regular users (P = .03).",
            "anxiety-relief",
            "supports",
        ),
    ],
)
def test_sentence_level_stance(sentence: str, claim: str, stance: str) -> None:
    found = stances(
        "A study of kratom.",
        "Background sentence about kratom use in the region.",
        sentence,
        "Overall, more work is required on kratom.",
    )
    assert found.get(claim) == stance


def test_record_without_kratom_addresses_no_claim() -> None:
    found = stances(
        "Lofexidine for opioid withdrawal: a randomised trial.",
        "Opioid withdrawal causes insomnia, anxiety and craving.",
        "Lofexidine reduced withdrawal scores and craving compared with placebo (P < .001).",
        "Lofexidine eases opioid withdrawal.",
    )
    assert found == {}


def test_finding_about_another_drug_is_not_about_kratom() -> None:
    found = stances(
        "Buprenorphine outcomes in people with prior kratom use.",
        "Many patients had used kratom before entering treatment.",
        "Buprenorphine reduced craving scores by half over 30 days (P < .001).",
        "Prior kratom use did not change treatment retention.",
    )
    assert "craving-reduction" not in found


def test_background_and_marketing_are_mentions() -> None:
    found = stances(
        "Kratom product labels in online shops.",
        "Kratom is marketed online as a remedy for opioid withdrawal and as an aid to sleep.",
        "We examined 300 product pages for dosing information.",
        "Most pages gave no dose.",
    )
    assert found.get("withdrawal-relief") == "mentions"


def test_questions_in_titles_report_nothing() -> None:
    found = stances(
        "Does kratom relieve pain?",
        "We surveyed users.",
        "Users were older than expected.",
        "More research is needed.",
    )
    assert found.get("pain-relief") in (None, "mentions")


def test_inverse_claim_takes_the_opposite_stance() -> None:
    found = stances(
        "Grey-blue skin discolouration in a long-term kratom user: a case report.",
        "A 45-year-old man presented with slowly progressive hyperpigmentation of the face after five years of daily kratom use.",
    )
    assert found["hyperpigmentation-risk"] == "supports"
    assert found["no-hyperpigmentation"] == "contradicts"


def test_sentence_splitter_keeps_statistics_together() -> None:
    text = "Scores fell (P < .001 vs. baseline). Relief was reported by 62.5% of users, e.g. for aches."
    assert split_sentences(text) == [
        "Scores fell (P < .001 vs. baseline).",
        "Relief was reported by 62.5% of users, e.g. for aches.",
    ]


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Half had hepatitis C. Kratom use eased their pain.",
         ["Half had hepatitis C.", "Kratom use eased their pain."]),
        ("Asked about craving, most said no. Kratom did not help them.",
         ["Asked about craving, most said no.", "Kratom did not help them."]),
        ("Data are in table No. 2 below. Sleep improved.",
         ["Data are in table No. 2 below.", "Sleep improved."]),
        ("The leaf (M. Speciosa) was brewed as tea. Users slept better.",
         ["The leaf (M. Speciosa) was brewed as tea.", "Users slept better."]),
        ("Reported by Tran J. K. Lee and colleagues. Nothing else.",
         ["Reported by Tran J. K. Lee and colleagues.", "Nothing else."]),
    ],
)  # fmt: skip
def test_a_capital_or_no_before_a_full_stop_ends_a_sentence_unless_an_initial(
    text: str, sentences: list[str]
) -> None:
    assert split_sentences(text) == sentences


def test_every_tag_quotes_a_sentence_of_the_record() -> None:
    title = "Kratom and sleep in a clinic sample."
    body = "Kratom use is common. Insomnia was reported by 30% of kratom users during abstinence. Clinicians should ask."
    for tag in TAGGER.tag_record(title, [(None, None, body)]):
        assert tag.sentence in f"{title} {body}"


def test_the_deciding_sentence_follows_precedence() -> None:
    """Findings beat mentions, conclusions beat results beat the title, and within a section
    the first finding decides (abstracts state the main finding before qualifications)."""
    sections = [
        ("BACKGROUND", None, "Kratom is marketed to ease opioid withdrawal."),
        (
            "RESULTS",
            None,
            "Kratom reduced opioid withdrawal scores (P = .01). Kratom also reduced withdrawal severity at day 7 (P = .04).",
        ),
        (
            "CONCLUSIONS",
            None,
            "Whether kratom eases withdrawal long term is unknown. Kratom eased opioid withdrawal in this trial.",
        ),
    ]
    tags = {t.claim_id: t for t in TAGGER.tag_record("Kratom and opioid withdrawal.", sections)}
    assert tags["withdrawal-relief"].stance == "supports"
    assert tags["withdrawal-relief"].sentence == "Kratom eased opioid withdrawal in this trial."
    without_conclusion = sections[:2]
    tags = {t.claim_id: t for t in TAGGER.tag_record("Kratom.", without_conclusion)}
    assert (
        tags["withdrawal-relief"].sentence == "Kratom reduced opioid withdrawal scores (P = .01)."
    )
    only_mentions = [sections[0]]
    tags = {t.claim_id: t for t in TAGGER.tag_record("Kratom.", only_mentions)}
    assert tags["withdrawal-relief"].stance == "mentions"


def test_concession_then_finding() -> None:
    found = stances(
        "Sleep in daily kratom users.",
        "Kratom use is common in the region.",
        "Although many users believed kratom helped them sleep, daily use was associated with poorer sleep quality (P < .001).",
        "Kratom is unlikely to be a useful sleep aid.",
    )
    assert found.get("sleep-improvement") == "contradicts"


def test_relapse_reverses_cessation() -> None:
    found = stances(
        "Kratom to quit opioids.",
        "People try kratom to quit opioids.",
        "Of 60 participants who used kratom to stop opioids, 41 (68%) resumed opioid use within 6 months.",
        "Kratom rarely led to lasting abstinence.",
    )
    assert found.get("opioid-cessation") == "contradicts"


def test_relief_of_a_symptom_is_not_that_harm() -> None:
    found = stances(
        "Kratom for withdrawal.",
        "We surveyed users.",
        "Most users reported that kratom gave relief of restlessness, nausea and diarrhoea during opioid withdrawal (71%).",
        "More work is needed.",
    )
    assert "gastrointestinal-effects" not in found
    assert found.get("withdrawal-relief") == "supports"


def test_editorial_assertions_are_mentions_but_case_letters_are_findings() -> None:
    editorial = TAGGER.tag_record(
        "Kratom policy.",
        [(None, None, "Kratom can clearly produce dependence in regular users.")],
        "",
        ["Editorial"],
    )
    assert {t.stance for t in editorial} == {"mentions"}
    letter = TAGGER.tag_record(
        "Blue-grey skin in a kratom user.",
        [(None, None, "A man developed hyperpigmentation after daily kratom use.")],
        "",
        ["Letter", "Case Reports"],
    )
    assert {t.claim_id: t.stance for t in letter}["hyperpigmentation-risk"] == "supports"


@pytest.mark.parametrize(
    "sentence, claim, stance",
    [
        (
            "Three patients developed bluish-gray discoloration of sun-exposed skin after years of daily kratom use.",
            "hyperpigmentation-risk",
            "supports",
        ),
        (
            "Kratom users more often reported GI upset than non-users (18% versus 6%; P < .01).",
            "gastrointestinal-effects",
            "supports",
        ),
        (
            "Trouble falling asleep was reported by 29% of daily kratom users.",
            "insomnia-risk",
            "supports",
        ),
        (
            "Mitragynine showed no measurable affinity for the kappa-opioid receptor and did not activate the μOR in this assay.",
            "opioid-receptor-agonism",
            "contradicts",
        ),
        (
            "Kratom failed to reduce urges to use opioids compared with placebo (P = .61).",
            "craving-reduction",
            "contradicts",
        ),
        (
            "Most respondents said kratom helped them quit using prescription painkillers (64%).",
            "opioid-cessation",
            "supports",
        ),
    ],
)
def test_wording_not_in_the_dev_corpus(sentence: str, claim: str, stance: str) -> None:
    found = stances(
        "A report on kratom.",
        "Kratom is widely available.",
        sentence,
        "Further studies are needed.",
    )
    assert found.get(claim) == stance


WHOLE_ABSTRACTS = [
    (
        "Kratom for opioid withdrawal: a randomized, double-blind, placebo-controlled trial.",
        [
            ("OBJECTIVE", None, "To test whether kratom tea reduces opioid withdrawal severity."),
            (
                "METHODS",
                None,
                "Adults tapering opioids were randomized to kratom tea or placebo for 7 days.",
            ),
            (
                "RESULTS",
                None,
                "Mean COWS scores did not differ between groups (8.1 vs 8.4; P = .71). Nausea occurred in 22% of the kratom group and 9% of the placebo group.",
            ),
            (
                "CONCLUSIONS",
                None,
                "Kratom tea was not superior to placebo for opioid withdrawal and caused more nausea.",
            ),
        ],
        {"withdrawal-relief": "contradicts", "gastrointestinal-effects": "supports"},
    ),
    (
        "Skin pigmentation in kratom chewers and non-chewers.",
        [
            (
                None,
                None,
                "Anecdotal reports link kratom to skin darkening. We measured the melanin index in 200 chewers and 200 controls. Melanin index did not differ between groups (P = .44). Kratom chewing was not associated with hyperpigmentation.",
            )
        ],
        {"hyperpigmentation-risk": "contradicts", "no-hyperpigmentation": "supports"},
    ),
    (
        "Mitragynine attenuates naloxone-precipitated withdrawal in morphine-dependent rats.",
        [
            (
                None,
                None,
                "Rats were made dependent on morphine. Mitragynine (10-30 mg/kg) attenuated jumping and wet-dog shakes after naloxone (P < .01). Mitragynine may be useful for opioid withdrawal.",
            )
        ],
        {"withdrawal-relief": "supports"},
    ),
    (
        "Kratom use disorder: a prospective cohort.",
        [
            (
                None,
                None,
                "Little is known about the course of kratom dependence. We followed 410 daily users for 12 months. At follow-up, 38% met criteria for kratom use disorder and 52% reported withdrawal symptoms, including restlessness and trouble sleeping, when they could not obtain kratom. Daily kratom use carries a substantial risk of dependence.",
            )
        ],
        {"dependence-risk": "supports", "insomnia-risk": "supports"},
    ),
]


@pytest.mark.parametrize("title, sections, expected", WHOLE_ABSTRACTS, ids=lambda v: str(v)[:30])
def test_whole_abstracts_in_other_styles(
    title: str, sections: list[tuple[str | None, None, str]], expected: dict[str, str]
) -> None:
    found = {t.claim_id: t.stance for t in TAGGER.tag_record(title, sections)}
    assert found == expected


# The classes of error seen on abstracts nobody tuned on (issue 10), in sentences of our own.
HARD_CASES = [
    # paraphrase: the claim's subject in other words
    (
        "Participants said their desire for heroin eased within an hour of a kratom dose (61%).",
        "craving-reduction",
        "supports",
    ),
    (
        "Two thirds of respondents reported that kratom lifted their mood (66.2%).",
        "depression-relief",
        "supports",
    ),
    ("After stopping kratom, 48% could not sleep for several nights.", "insomnia-risk", "supports"),
    (
        "On abrupt cessation of kratom, users reported watery stools and cramps (31%).",
        "gastrointestinal-effects",
        "supports",
    ),
    (
        "Over two years his kratom intake rose from 5 g to 40 g a day.",
        "dependence-risk",
        "supports",
    ),
    (
        "Responses to the same kratom dose varied widely between participants.",
        "variable-response",
        "supports",
    ),
    # attribution: another drug's effect, or kratom's relief of a symptom
    (
        "After the kratom taper, patients were maintained on methadone and craving fell.",
        "craving-reduction",
        None,
    ),
    (
        "Kratom reduced the diarrhoea and tremor of morphine withdrawal in rats (P < .01).",
        "gastrointestinal-effects",
        None,
    ),
    # mention versus finding
    ("Proponents credit kratom with easing opioid withdrawal.", "withdrawal-relief", "mentions"),
    ("Many users are convinced that kratom helps them sleep.", "sleep-improvement", "mentions"),
    (
        "Batch differences might account for reports of variable effects of kratom.",
        "variable-response",
        "mentions",
    ),
    (
        "Respondents who used kratom for pain rated it as very effective (88%).",
        "pain-relief",
        "supports",
    ),
    # negation and null results
    (
        "Constipation was as frequent in kratom users as in non-users (12% vs 11%).",
        "gastrointestinal-effects",
        "contradicts",
    ),
    (
        "Evening kratom worsened rather than improved sleep in most respondents (58%).",
        "sleep-improvement",
        "contradicts",
    ),
    (
        "Daily kratom use was not linked with sleeplessness (P = .52).",
        "insomnia-risk",
        "contradicts",
    ),
    (
        "Mitragynine produced no reinforcing effect at those doses in rats.",
        "dependence-risk",
        "contradicts",
    ),
]


@pytest.mark.parametrize("sentence, claim, stance", HARD_CASES, ids=lambda v: str(v)[:40])
def test_hard_cases(sentence: str, claim: str, stance: str | None) -> None:
    found = stances(
        "A study of kratom.",
        "Kratom is a plant used in Southeast Asia.",
        sentence,
        "Further work is planned.",
    )
    assert found.get(claim) == stance, TAGGER.explain(sentence)


def test_null_result_against_insomnia_is_not_about_sleep_improvement() -> None:
    found = stances(
        "Kratom and sleep.",
        "Kratom is a plant used in Southeast Asia.",
        "Daily kratom use was not linked with sleeplessness (P = .52).",
    )
    assert "sleep-improvement" not in found


def test_a_review_concluding_the_evidence_is_insufficient_mentions_the_claim() -> None:
    sections = [
        (
            "RESULTS",
            None,
            "Several surveys reported that users perceived relief of withdrawal with kratom (70%).",
        ),
        (
            "CONCLUSIONS",
            None,
            "Evidence that kratom eases opioid withdrawal remains insufficient and of very low certainty.",
        ),
    ]
    review = TAGGER.tag_record(
        "Kratom for opioid withdrawal: a systematic review.", sections, "", ["Systematic Review"]
    )
    assert {t.claim_id: t.stance for t in review}["withdrawal-relief"] == "mentions"
    trial = TAGGER.tag_record("Kratom for opioid withdrawal: a pilot study.", sections)
    assert {t.claim_id: t.stance for t in trial}["withdrawal-relief"] == "supports"


def test_a_record_about_another_drug_is_not_credited_to_kratom() -> None:
    found = stances(
        "Buprenorphine induction in patients with prior kratom use.",
        "Some patients had used kratom before treatment.",
        "Withdrawal scores fell by half within two days (P < .001).",
    )
    assert "withdrawal-relief" not in found


def test_each_tag_names_the_rule_that_decided() -> None:
    tags = TAGGER.tag_record(
        "Kratom and craving.", [("RESULTS", None, "Kratom did not reduce craving (P = .4).")]
    )
    assert {(t.claim_id, t.stance, t.rule) for t in tags} == {
        ("craving-reduction", "contradicts", "null")
    }
