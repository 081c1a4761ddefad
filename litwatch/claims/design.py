"""Grade a record's study design and population: publication types and MeSH first (indexers
read the full text), then the abstract's own words. Pure: record fields in, grade out."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

DESIGNS = (
    "meta-analysis", "systematic-review", "rct", "controlled-trial", "cohort", "case-control",
    "cross-sectional", "case-report", "animal", "in-vitro", "narrative-review", "qualitative",
    "other",
)  # fmt: skip
POPULATIONS = ("human", "animal", "in-vitro", "none")
_NOT_PRIMARY = {"meta-analysis", "systematic-review", "narrative-review"}


def _lower_regex(source: str) -> re.Pattern[str]:
    # Text is lower-cased once and matched case-sensitively: `re` cannot skip ahead on a
    # case-insensitive alternation. Escapes (\W, \d) keep their case.
    return re.compile(
        re.sub(r"\\.|[A-Z]", lambda m: m[0].lower() if len(m[0]) == 1 else m[0], source)
    )


def _searcher(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    return lambda text: pattern.search(text) is not None


_PUB_TYPES = [
    ("Retraction of Publication", "other"),
    ("Meta-Analysis", "meta-analysis"),
    ("Systematic Review", "systematic-review"),
    ("Randomized Controlled Trial", "rct"),
    ("Case Reports", "case-report"),
    ("Controlled Clinical Trial", "controlled-trial"),
    ("Clinical Trial, Phase I", "controlled-trial"),
    ("Clinical Trial, Phase II", "controlled-trial"),
    ("Clinical Trial", "controlled-trial"),
    ("Editorial", "other"),
    ("Letter", "other"),
    ("Comment", "other"),
    ("News", "other"),
]
_MESH = [
    ("Cross-Sectional Studies", "cross-sectional"),
    ("Case-Control Studies", "case-control"),
    ("Cohort Studies", "cohort"),
    ("Prospective Studies", "cohort"),
    ("Longitudinal Studies", "cohort"),
    ("Retrospective Studies", "cohort"),
    ("Qualitative Research", "qualitative"),
    ("Focus Groups", "qualitative"),
    ("Surveys and Questionnaires", "cross-sectional"),
]
_TEXT = [
    (r"meta-analys[ie]s|pooled (proportion|estimate|prevalence|analysis)", "meta-analysis"),
    (
        r"systematic(ally)? review|we searched .{0,60}(databases|PubMed|MEDLINE|Embase)|PRISMA",
        "systematic-review",
    ),
    (
        r"open-label|non.?randomi[sz]ed|single-arm|pilot (study|trial)|uncontrolled (pilot|trial)",
        "controlled-trial",
    ),
    (r"(?<!non)(?<!non-)randomi[sz]ed|randomly assigned|placebo-controlled|double-blind", "rct"),
    (r"case-control|matched controls", "case-control"),
    (
        r"cohort|followed (up )?for|prospective(ly)?|longitudinal|follow-up|ecological momentary",
        "cohort",
    ),
    (
        r"semi-structured|in-depth interviews|qualitative|thematic analysis|focus groups?",
        "qualitative",
    ),
    (
        r"\b(a|an) \d+-year-old|we (describe|report) (a|an|two|three|four)|case series|this case",
        "case-report",
    ),
    (
        r"\bin vitro\b|\bcells? (expressing|lines?)|\bassays?\b|receptor binding|HEK ?293|CHO cells|"
        r"isolated (guinea-pig |rat |mouse )?(ileum|tissue)|docking|molecular dynamics|"
        r"simulations?|microsomes|tyrosinase|cell-free|melanocytes?|organ bath",
        "in-vitro",
    ),
    (r"\b(mice|rats|rat|mouse|zebrafish|rodents?|monkeys?|primates|dogs|guinea pigs)\b", "animal"),
    (
        r"survey|cross-sectional|questionnaire|respondents|poison (centre|center)|pharmacovigilance|"
        r"adverse event report|posts|websites|forum|registry|national .{0,20}data|prevalence",
        "cross-sectional",
    ),
    (
        r"\breview\b|overview|we (summari[sz]e|discuss)|this (article|commentary) (reviews|discusses)",
        "narrative-review",
    ),
]
_TEXT_COMPILED = [(_lower_regex(p), d) for p, d in _TEXT]
_RANDOMISED = _lower_regex(r"(?<!non)(?<!non-)(?<!non\u2010)randomi[sz]ed|randomly assigned")
_UNCONTROLLED = _lower_regex(r"open-label|non.?randomi[sz]ed|single-arm|uncontrolled")
_OPINION = {"Editorial", "Letter", "Comment", "News"}
_HUMAN_SUBJECTS = _searcher(
    _lower_regex(
        r"\b(patients?|participants|respondents|users|adults|volunteers|men|women|people|"
        r"urine|blood|hair|plasma|deaths|decedents|infants?|neonates?|consumers)\b"
    )
)
_ANIMALS = _searcher(
    _lower_regex(r"\b(mice|rats?|mouse|zebrafish|rodents?|monkeys?|dogs|guinea pigs)\b")
)
_OTHER = _searcher(
    _lower_regex(
        r"\b(editorial|commentary|letter|policy|schedul\w*|legislation|cultivat\w*|agricultur\w*|"
        r"chemical (composition|profile)|alkaloid (content|profile|composition)|analytical method|"
        r"chromatography|LC.MS|mass spectrometry|immunoassay|validation|quantif\w*|synthesis|"
        r"leaf morphology|varieties|botanical)\b"
    )
)


@dataclass(frozen=True)
class DesignGrade:
    design: str
    population: str


def _population(design: str, text: str, mesh: Sequence[str]) -> str:
    if design in _NOT_PRIMARY:
        return "none"
    if design in ("animal", "in-vitro"):
        return design
    if design == "other":
        return "human" if "Humans" in mesh and _HUMAN_SUBJECTS(text) else "none"
    return "human"


def grade_design(
    title: str, abstract: str, publication_types: Sequence[str], mesh: Sequence[str]
) -> DesignGrade:
    """The study design and population of one record."""
    title = title.lower()  # the patterns are for lower-cased text (_lower_regex)
    text = f"{title} {abstract.lower()}"
    design = _design(title, text, bool(abstract), publication_types, mesh)
    if _OPINION & set(publication_types):
        return DesignGrade(design, "none")
    return DesignGrade(design, _population(design, text, mesh))


def _design(
    title: str, text: str, has_abstract: bool, publication_types: Sequence[str], mesh: Sequence[str]
) -> str:
    for pub_type, design in _PUB_TYPES:
        if pub_type in publication_types:
            if (
                design == "controlled-trial"
                and _RANDOMISED.search(text)
                and not _UNCONTROLLED.search(text)
            ):
                return "rct"
            return design
    if _OTHER(title):
        return "other"  # chemistry, analytics, botany, law: no study of people or animals
    if "Review" in publication_types:
        return "narrative-review"
    animal_study = _ANIMALS(text) and not _HUMAN_SUBJECTS(text)
    if ("Animals" in mesh and "Humans" not in mesh) or animal_study:
        for pattern, design in _TEXT_COMPILED:
            if design == "in-vitro" and pattern.search(text) and not _ANIMALS(text):
                return "in-vitro"
        return "animal"
    if "Review" in publication_types:
        return "narrative-review"
    for heading, design in _MESH:
        if heading in mesh:
            return design
    if not has_abstract:
        return "other"
    for pattern, design in _TEXT_COMPILED:
        if pattern.search(text):
            if design in ("cross-sectional", "narrative-review") and _OTHER(text):
                return "other"
            return design
    return "other"
