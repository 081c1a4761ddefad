"""Study design and population grading: hard cases written for these tests (never copied
from a corpus), each as an indexed record would give it and as a bare synthetic one would."""

from __future__ import annotations

import pytest

from litwatch.claims import design
from litwatch.claims.design import DESIGNS, POPULATIONS, DesignGrade, grade_design

JA = ("Journal Article",)

# (title, abstract, publication types, MeSH, design, population)
OBSERVATIONAL = {
    "poison centre, bare": (
        "Herbal opioid substitute exposures reported to a regional poison control center, 2015-2020",
        "Kratom is sold as a dietary supplement. All exposures logged by the center over six "
        "years were extracted and summarised. Of 212 exposures, 61% were intentional and "
        "nausea, agitation and tachycardia were the commonest effects; two people died.",
        JA,
        (),
        "cross-sectional",
        "human",
    ),
    "poison centre, indexed as retrospective": (
        "Kratom enquiries to a national poisons information service",
        "We analysed every enquiry about kratom received over a decade. Enquiries rose from 3 in "
        "the first year to 58 in the last, and most came from emergency physicians.",
        JA,
        ("Humans", "Poison Control Centers", "Retrospective Studies"),
        "cross-sectional",
        "human",
    ),
    "poison centre whose title names the law": (
        "Kratom exposures before and after state scheduling",
        "Calls to the state's poison centers about kratom were compared between the two years "
        "before and the two years after it was scheduled. Calls fell by 40%.",
        JA,
        (),
        "cross-sectional",
        "human",
    ),
    "poison centre mentioning one child": (
        "Mitragynine exposures in the National Poison Data System",
        "We examined kratom exposures in the National Poison Data System from 2014 to 2019. The "
        "incidence of exposures rose each year; one death was a 2-year-old who found a relative's "
        "capsules. Most adults had used kratom to self-treat opioid withdrawal.",
        JA,
        (),
        "cross-sectional",
        "human",
    ),
    "pharmacovigilance": (
        "Liver injury signals for botanical supplements in spontaneous reports",
        "Spontaneous reports naming kratom were retrieved from a national adverse event reporting "
        "system and compared with all other reports in a disproportionality analysis. Hepatic "
        "events were reported more often than expected (reporting odds ratio 3.1).",
        JA,
        ("Adverse Drug Reaction Reporting Systems", "Humans"),
        "cross-sectional",
        "human",
    ),
    "chart review": (
        "Kratom use among adults admitted for withdrawal management",
        "We retrospectively reviewed the electronic medical records of all adults admitted to a "
        "detoxification unit in 2019 and 2020. Kratom use was documented in 37 of 1,150 "
        "admissions, and those patients were younger than other admissions.",
        JA,
        (),
        "cross-sectional",
        "human",
    ),
    "medical examiner surveillance": (
        "Drug combinations in overdose deaths across one state",
        "Using statewide medical examiner records, we identified 1,214 overdose deaths between "
        "2016 and 2019 and tabulated every substance found on toxicology testing. Mitragynine was "
        "found in 31 deaths, always with other drugs.",
        JA,
        (),
        "cross-sectional",
        "human",
    ),
    "toxicology series of deaths": (
        "Fatalities with mitragynine detected on toxicology",
        "We describe nine deaths in which mitragynine was found at autopsy. Postmortem femoral "
        "blood concentrations ranged widely, and seven decedents had also taken opioids or "
        "benzodiazepines.",
        JA,
        (),
        "case-report",
        "human",
    ),
    "forum content analysis": (
        "What people who use kratom say online about stopping opioids",
        "We collected 2,400 posts from an online drug discussion forum and coded each for the "
        "reason for use and the effects described. Relief of withdrawal was the reason most "
        "often given (44%).",
        JA,
        (),
        "cross-sectional",
        "human",
    ),
    "website content analysis": (
        "Therapeutic claims made by online kratom sellers",
        "Sixty seller websites were identified by search engine and every health claim on them "
        "was coded. Claims of pain relief appeared on 70% of sites and of opioid withdrawal "
        "relief on 52%.",
        JA,
        (),
        "cross-sectional",
        "none",
    ),
    "thematic analysis of posts": (
        "Making sense of kratom withdrawal: accounts from an online community",
        "Threads about quitting kratom were read in full and analysed thematically. Three themes "
        "were identified: unexpected dependence, self-managed tapering and mutual support.",
        JA,
        (),
        "qualitative",
        "human",
    ),
    "ecological momentary assessment, bare": (
        "Moment-to-moment pain and craving in people who use kratom",
        "Forty-two adults who use kratom daily answered smartphone prompts three times a day for "
        "two weeks about pain, mood, craving and kratom doses. Pain fell in the hours after a dose.",
        JA,
        (),
        "cohort",
        "human",
    ),
    "ecological momentary assessment, indexed": (
        "Daily kratom use and mood",
        "Adults answered brief questions on their phones each day for a month. Mood was no "
        "better on days with kratom use than on days without.",
        JA,
        ("Ecological Momentary Assessment", "Humans", "Surveys and Questionnaires"),
        "cohort",
        "human",
    ),
    "cohort followed over time": (
        "Kratom use and return to opioid use after residential treatment",
        "We enrolled 210 people leaving residential opioid treatment and reassessed them at 3, "
        "6 and 12 months. Those who used kratom after discharge were as likely to return to "
        "opioids as those who did not.",
        JA,
        (),
        "cohort",
        "human",
    ),
    "registry-based cohort": (
        "Outcomes of pregnancies exposed to kratom",
        "In a registry-based cohort, infants exposed to kratom in utero were followed for their "
        "first year. Neonatal withdrawal was treated in 5 of 19 exposed infants.",
        JA,
        ("Registries",),
        "cohort",
        "human",
    ),
    "one-off survey that calls for follow-up": (
        "Kratom and sleep among people who use it",
        "An anonymous online survey of 1,030 adults asked about kratom use and sleep in the past "
        "month. Daily users reported shorter sleep. Longitudinal studies are needed to tell "
        "whether kratom causes poor sleep.",
        JA,
        (),
        "cross-sectional",
        "human",
    ),
    "survey that mentions earlier cohorts": (
        "Motives for kratom use in the rural South",
        "Previous cohort studies have followed people who use opioids, not kratom. We asked 300 "
        "adults attending rural clinics to complete a questionnaire on their reasons for use.",
        JA,
        (),
        "cross-sectional",
        "human",
    ),
    "people with a condition against healthy controls": (
        "Prior kratom use in adults with acute liver injury",
        "Sixty patients admitted with acute liver injury of unknown cause were compared with 120 "
        "age-matched controls for supplement use in the previous three months.",
        JA,
        (),
        "case-control",
        "human",
    ),
    "users against non-users, indexed as case-control": (
        "Kidney function in long-term kratom users",
        "We compared creatinine and eGFR in 90 daily kratom users with those of 60 non-users from "
        "the same villages. Values did not differ.",
        JA,
        ("Case-Control Studies", "Humans"),
        "cross-sectional",
        "human",
    ),
    "individual case safety reports": (
        "Adverse events after kratom use reported to a national vigilance programme",
        "Individual case safety reports naming kratom submitted between 2012 and 2020 were "
        "analysed for seriousness and causality.",
        JA,
        (),
        "cross-sectional",
        "human",
    ),
    "overdose reporting system": (
        "Kratom-involved overdose deaths in a multistate reporting system",
        "Using data from an overdose reporting system covering 27 states, we described 91 "
        "deaths in which kratom was detected; nearly all involved other substances.",
        JA,
        (),
        "cross-sectional",
        "human",
    ),
    "death investigation files": (
        "Deaths with mitragynine in one medical examiner's jurisdiction",
        "Death investigation files of 40 decedents with mitragynine on postmortem toxicology "
        "were examined; other substances were present in 38.",
        JA,
        (),
        "case-report",
        "human",
    ),
    "customer reviews on vendor websites": (
        "Withdrawal relief in kratom customer reviews",
        "We extracted 1,200 customer reviews from the websites of ten kratom vendors and coded "
        "each mention of withdrawal relief.",
        JA,
        (),
        "cross-sectional",
        "human",
    ),
    "newspaper coverage": (
        "How newspapers framed kratom, 2014-2019",
        "We identified 310 newspaper articles about kratom and coded their framing. Coverage "
        "emphasised danger over benefit.",
        JA,
        (),
        "cross-sectional",
        "none",
    ),
    "daily diaries over four weeks": (
        "Day-to-day kratom dose, craving and withdrawal",
        "For 28 days, participants reported each evening on their kratom use, craving and "
        "withdrawal using a phone app. Withdrawal was worse on days after lower doses.",
        JA,
        (),
        "cohort",
        "human",
    ),
    "interviewed every three months": (
        "Kratom use and later opioid use among adults in treatment",
        "Adults starting outpatient opioid treatment (n = 412) reported kratom use at entry and "
        "were interviewed every three months for a year.",
        JA,
        (),
        "cohort",
        "human",
    ),
    "baseline survey and one-year recontact": (
        "A year after switching from opioids to kratom",
        "People recruited online completed a baseline survey and were contacted again after one "
        "year; of 180 who answered both, 12% had returned to opioids.",
        JA,
        (),
        "cohort",
        "human",
    ),
    "structured intake interview": (
        "Kratom use among new patients of an addiction clinic",
        "All new patients over six months completed a structured intake interview that asked "
        "about kratom. Of 600 patients, 11% reported lifetime use.",
        JA,
        (),
        "cross-sectional",
        "human",
    ),
    "observational study with no design word": (
        "Kratom use among people starting buprenorphine",
        "Adults starting buprenorphine at two clinics reported their kratom use at intake. One "
        "in eight had used kratom in the past month.",
        ("Journal Article", "Observational Study"),
        ("Humans",),
        "cross-sectional",
        "human",
    ),
}
OTHER_DESIGNS = {
    "case report without its publication type": (
        "Seizure after a large dose of kratom",
        "A 27-year-old man was brought to the emergency department after a generalised seizure. "
        "He had taken about 30 g of kratom powder.",
        JA, (), "case-report", "human",
    ),
    "case report published as a letter": (
        "Grey skin in a man who used kratom for years",
        "To the Editor: we saw a man with slate-grey discoloration of the face and hands.",
        ("Case Reports", "Letter"), ("Humans",), "case-report", "human",
    ),
    "letter with its own patients": (
        "Sleep in kratom users seen at our clinic",
        "To the Editor: over one year we assessed 23 consecutive patients who used kratom; "
        "fifteen slept badly.",
        ("Letter",), ("Humans",), "other", "human",
    ),
    "editorial": (
        "Regulating kratom: prohibition is not the answer",
        "Kratom divides clinicians and regulators. We argue that product standards would serve "
        "people who use it better than a ban.",
        ("Editorial",), (), "other", "none",
    ),
    "analytical method on people's samples": (
        "Quantification of mitragynine in urine by LC-MS/MS",
        "A method was developed and validated in urine and applied to samples from 40 people "
        "in treatment who reported kratom use.",
        JA, (), "other", "human",
    ),
    "receptor assay on rat tissue": (
        "Binding of kratom alkaloids to opioid receptors in rat brain membranes",
        "Displacement of radiolabelled ligands was measured in membranes prepared from rat "
        "forebrain. Mitragynine bound the mu receptor with micromolar affinity.",
        JA, (), "in-vitro", "in-vitro",
    ),
    "behavioural study in rats": (
        "Mitragynine and morphine withdrawal in rats",
        "Rats dependent on morphine received mitragynine (10 mg/kg, i.p.) or vehicle, and "
        "withdrawal signs were scored. Mitragynine reduced jumping and diarrhoea.",
        JA, ("Animals", "Rats"), "animal", "animal",
    ),
    "docking study": (
        "Molecular docking of kratom alkaloids at the kappa-opioid receptor",
        "Twenty-five alkaloids were docked into a crystal structure of the receptor, and "
        "binding energies were compared with those of known ligands.",
        JA, (), "other", "none",
    ),
    "field trial of the plant": (
        "Shade and nitrogen fertilisation alter mitragynine content of young kratom trees",
        "Seedlings were grown under three shade levels and two nitrogen rates in a randomized "
        "complete block design, and leaf alkaloids were measured after six months.",
        JA, (), "other", "none",
    ),
    "review indexed only as a review": (
        "Kratom for opioid withdrawal: what does the evidence show?",
        "We searched PubMed, Embase and PsycINFO for studies of kratom and opioid withdrawal "
        "and found 14 eligible reports, none of them a trial.",
        ("Journal Article", "Review"), (), "systematic-review", "none",
    ),
    "narrative review": (
        "The pharmacology of kratom: an update",
        "This review summarises what is known of kratom's alkaloids, their receptors and their "
        "effects in animals and people.",
        ("Journal Article", "Review"), ("Animals", "Humans"), "narrative-review", "none",
    ),
    "indexed randomised trial": (
        "Kratom tea versus placebo for chronic pain",
        "Adults with chronic back pain were randomly assigned to kratom tea or a matched placebo "
        "tea for four weeks.",
        ("Journal Article", "Randomized Controlled Trial"), ("Humans",), "rct", "human",
    ),
    "open-label trial": (
        "Kratom taper with buprenorphine: an open-label pilot",
        "Twelve adults with kratom use disorder received buprenorphine in an open-label study.",
        ("Journal Article", "Clinical Trial"), ("Humans",), "controlled-trial", "human",
    ),
    "dosing healthy volunteers": (
        "Pharmacokinetics of mitragynine after a single cup of kratom tea",
        "Ten healthy volunteers drank a standardised kratom tea and plasma mitragynine was "
        "measured over 24 hours.",
        JA, (), "controlled-trial", "human",
    ),
    "pilot interview study is not a trial": (
        "Experiences of kratom tapering: a pilot study",
        "In this pilot study, we conducted semi-structured interviews with 14 adults who had "
        "stopped using kratom.",
        JA, (), "qualitative", "human",
    ),
    "phase I metabolites are not a phase I trial": (
        "Phase I metabolites of mitragynine formed by human liver microsomes",
        "Mitragynine was incubated with pooled human liver microsomes and its phase I "
        "metabolites were identified.",
        JA, (), "in-vitro", "in-vitro",
    ),
}  # fmt: skip


def _grade(case: tuple[str, str, tuple[str, ...], tuple[str, ...], str, str]) -> DesignGrade:
    title, abstract, publication_types, mesh, _, _ = case
    return grade_design(title, abstract, publication_types, mesh)


@pytest.mark.parametrize("name", sorted(OBSERVATIONAL))
def test_observational_studies_get_their_design(name: str) -> None:
    case = OBSERVATIONAL[name]
    assert _grade(case) == DesignGrade(case[4], case[5])


@pytest.mark.parametrize("name", sorted(OTHER_DESIGNS))
def test_other_designs(name: str) -> None:
    case = OTHER_DESIGNS[name]
    assert _grade(case) == DesignGrade(case[4], case[5])


@pytest.mark.parametrize("name", sorted(OBSERVATIONAL | OTHER_DESIGNS))
def test_letter_case_does_not_change_the_grade(name: str) -> None:
    title, abstract, types, mesh, _, _ = (OBSERVATIONAL | OTHER_DESIGNS)[name]
    assert grade_design(title.upper(), abstract.upper(), types, mesh) == grade_design(
        title, abstract, types, mesh
    )


def test_every_grade_is_a_known_design_and_population() -> None:
    grades = [_grade(case) for case in (OBSERVATIONAL | OTHER_DESIGNS).values()]
    grades.append(grade_design("", "", (), ()))
    assert all(g.design in DESIGNS and g.population in POPULATIONS for g in grades)


def test_a_record_without_abstract_or_indexing_is_other() -> None:
    assert grade_design("Kratom: a note", "", JA, ()) == DesignGrade("other", "none")


def test_a_retraction_notice_is_other_whatever_it_retracts() -> None:
    grade = grade_design(
        "Retraction: Kratom tea versus placebo for chronic pain",
        "This article has been retracted at the request of the authors.",
        ("Retraction of Publication", "Randomized Controlled Trial"), ("Humans",),
    )  # fmt: skip
    assert grade.design == "other"


def _cues() -> list[design._Cue]:
    found = [c for c in vars(design).values() if isinstance(c, design._Cue)]
    return found + [cue for _, cue in design._TEXT]


SCREEN_TEXTS = [case[1].lower() for case in (OBSERVATIONAL | OTHER_DESIGNS).values()] + [
    "a rat was given a single oral dose. the soil was dry. one cell responded.",
    "non-users and nonusers; a case report; meta-analyses were pooled; in vitro; ema.",
    "we report a 2-year-old boy. previous cohort studies are needed. at baseline and later.",
]


@pytest.mark.parametrize("text", SCREEN_TEXTS)
def test_the_word_screen_never_hides_a_match(text: str) -> None:
    # Cues skip their patterns when no word opens as theirs do; that must change nothing.
    screened = design._Text.of(text)
    for cue in _cues():
        assert cue.search(screened) == (cue.pattern.search(text) is not None), cue.pattern
