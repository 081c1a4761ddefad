"""Grade a record's study design and population: publication types and MeSH first (indexers
read the full text), then the abstract's own words. Pure: record fields in, grade out.

The words are the field's own for its designs (docs/claims.md, "How design is graded"):
how epidemiologists name a data source (a poison centre, a registry, a reporting system,
medical records, online posts), how toxicologists describe a series of deaths, how
pharmacologists describe an assay. Patterns are written in lower case: the title and abstract
are lower-cased once and matched case-sensitively (`re` cannot skip ahead on a
case-insensitive alternation)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

DESIGNS = (
    "meta-analysis", "systematic-review", "rct", "controlled-trial", "cohort", "case-control",
    "cross-sectional", "case-report", "animal", "in-vitro", "narrative-review", "qualitative",
    "other",
)  # fmt: skip
POPULATIONS = ("human", "animal", "in-vitro", "none")
_NOT_PRIMARY = {"meta-analysis", "systematic-review", "narrative-review"}


_WORD = re.compile(r"[a-z0-9]+")
_LOOKBEHIND = re.compile(r"^(?:\(\?<[=!][^)]*\))+")
# A cue's alternatives are screened by the first 3-5 letters of their opening word: 3 lets
# short words ("rat", "ema") be screened, 5 keeps common openings ("met" of "methods") from
# letting "meta-analysis" through.
_SHORT, _LONG = 3, 5


@dataclass(frozen=True)
class _Text:
    """A lower-cased text and the openings (3, 4 and 5 letters) of those of its words that
    open as some cue's alternative does, found in one pass per record."""

    text: str
    heads: frozenset[str]

    @classmethod
    def of(cls, text: str) -> _Text:
        found = set(_OPENINGS.findall(text))
        return cls(text, frozenset(found.union({w[:3] for w in found}, {w[:4] for w in found})))


class _Cue:
    """Any of the alternatives, starting at a word start.

    Most cues are absent from a given abstract, and `re` tries every alternative at every word
    start; so the alternatives that open with a word run only when the text has a word that
    opens as theirs does. The few that open with a group, a class or a short word always run."""

    openings: ClassVar[set[str]] = set()  # every screened alternative's first 3 letters

    def __init__(self, *alternatives: str) -> None:
        self.pattern = _word_start(alternatives)
        screened: list[str] = []
        always: list[str] = []
        heads: set[str] = set()
        for alternative in alternatives:
            lead = _lead(alternative)
            if len(lead) >= _SHORT:
                screened.append(alternative)
                heads.add(lead[:_LONG])
            else:
                always.append(alternative)
        self._heads = frozenset(heads)
        _Cue.openings.update(h[:_SHORT] for h in heads)
        self._screened = _word_start(screened) if screened else None
        self._always = _word_start(always) if always else None

    def search(self, text: _Text) -> bool:
        screened = self._screened
        if screened and not self._heads.isdisjoint(text.heads) and screened.search(text.text):
            return True
        return self._always is not None and self._always.search(text.text) is not None


def _lead(alternative: str) -> str:
    """The letters every match of the alternative opens with ("rat" for `rats?`)."""
    bare = _LOOKBEHIND.sub("", alternative)
    lead = _WORD.match(bare)
    if lead is None:
        return ""
    optional = bare[lead.end() : lead.end() + 1] in ("?", "*", "{")
    return lead[0][:-1] if optional else lead[0]


def _trie(words: set[str]) -> str:
    """One pattern for many words, factored by their letters: `re` tries one branch per letter
    instead of every word at every position."""
    first: dict[str, set[str]] = {}
    for word in words:
        first.setdefault(word[0], set()).add(word[1:])
    branches = [
        re.escape(ch) + (_trie(rest - {""}) if rest - {""} else "")
        for ch, rest in sorted(first.items())
    ]
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


def _each(words: str, then: str, before: str = "") -> list[str]:
    """One alternative per word ("a b", " x") -> ["a x", "b x"], each preceded by `before` if
    given: alternatives that open with a word can be screened, one that opens with a group
    cannot."""
    if not before:
        return [word + then for word in words.split()]
    # The look-behind comes after the word, which is found first: at every other word start
    # the alternative fails on its first letter, before any look-behind is tried.
    return [f"{word}(?<={before}{word}){then}" for word in words.split()]


def _word_start(alternatives: Sequence[str]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(alternatives) + ")")


_cue = _Cue


@dataclass(frozen=True)
class DesignGrade:
    design: str
    population: str


# Publication types, in order of precedence: a trial that is also a case report is a trial.
_PUB_TYPES = (
    ("Retraction of Publication", "other"),
    ("Meta-Analysis", "meta-analysis"),
    ("Systematic Review", "systematic-review"),
    ("Scoping Review", "systematic-review"),
    ("Randomized Controlled Trial", "rct"),
    ("Equivalence Trial", "rct"),
    ("Case Reports", "case-report"),
    ("Controlled Clinical Trial", "controlled-trial"),
    ("Clinical Trial, Phase I", "controlled-trial"),
    ("Clinical Trial, Phase II", "controlled-trial"),
    ("Clinical Trial, Phase III", "controlled-trial"),
    ("Clinical Trial, Phase IV", "controlled-trial"),
    ("Pragmatic Clinical Trial", "controlled-trial"),
    ("Clinical Trial", "controlled-trial"),
    ("Editorial", "other"),
    ("Letter", "other"),
    ("Comment", "other"),
    ("News", "other"),
    ("Newspaper Article", "other"),
    ("Practice Guideline", "other"),
    ("Guideline", "other"),
    ("Published Erratum", "other"),
    ("Expression of Concern", "other"),
)
_OPINION = {"Editorial", "Letter", "Comment", "News", "Newspaper Article"}
# MeSH headings that name a design; where several do (a cohort with controls may carry
# "Case-Control Studies" too), the abstract's words choose among them.
_MESH_DESIGNS = (
    ("Case-Control Studies", "case-control"),
    ("Cross-Sectional Studies", "cross-sectional"),
    ("Cohort Studies", "cohort"),
    ("Longitudinal Studies", "cohort"),
    ("Prospective Studies", "cohort"),
    ("Follow-Up Studies", "cohort"),
    ("Ecological Momentary Assessment", "cohort"),
    ("Qualitative Research", "qualitative"),
    ("Focus Groups", "qualitative"),
    ("Grounded Theory", "qualitative"),
)
# Headings that name a data source or tool, not a design: they decide only when the abstract
# does not. Indexers add "Retrospective Studies" to any analysis of past records (poison-centre
# calls, registries, charts) and "Surveys and Questionnaires" to any study that used one, and a
# registry or a reporting system also feeds cohort and case-control studies.
_MESH_SOURCES = (
    ("Poison Control Centers", "cross-sectional"),
    ("Adverse Drug Reaction Reporting Systems", "cross-sectional"),
    ("Pharmacovigilance", "cross-sectional"),
    ("Registries", "cross-sectional"),
    ("Health Surveys", "cross-sectional"),
    ("Social Media", "cross-sectional"),
    ("Surveys and Questionnaires", "cross-sectional"),
    ("Population Surveillance", "cross-sectional"),
    ("Sentinel Surveillance", "cross-sectional"),
    ("Databases, Factual", "cross-sectional"),
    ("Medical Records", "cross-sectional"),
    ("Electronic Health Records", "cross-sectional"),
    ("Internet", "cross-sectional"),
    ("Self Report", "cross-sectional"),
    ("Retrospective Studies", "cross-sectional"),
    # deaths examined one by one: a toxicology case series
    ("Autopsy", "case-report"),
    ("Forensic Toxicology", "case-report"),
)
_MESH_IN_VITRO = {
    "In Vitro Techniques", "Cell Line", "Cell Line, Tumor", "Cells, Cultured", "HEK293 Cells", "CHO Cells",
    "Radioligand Assay", "Synaptosomes", "Microsomes, Liver", "Cell Survival", "Melanocytes", "Keratinocytes",
}  # fmt: skip

# An assay, cells or tissue in a dish.
_IN_VITRO = _cue(
    r"vitro(?<=\bin vitro)\b", r"cells? (?:expressing|lines?)", r"assays?\b", r"receptor binding",
    r"radioligand", r"hek ?293", r"cho cells", r"transfected", r"synaptosom", r"microsom",
    r"hepatocytes", r"isolated (?:guinea-pig |rat |mouse )?(?:ileum|tissue|vas deferens)",
    r"organ bath", r"tyrosinase", r"melanocytes?", r"keratinocytes?", r"cell-free",
    r"brain membranes",
)  # fmt: skip
# Sentences that call for research or note that it is missing, and sentences about other
# people's studies, name designs the study is not ("prospective studies are needed",
# "previous cohort studies have ..."): they are left out before the text's cues are read.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[a-z0-9(\['\"])")
_NOT_THIS_STUDY = _cue(
    # screened by their own distinctive word, the auxiliary before it looked behind for
    *_each("needed warranted lacking scarce", r"\b"), r"future", r"should (?:be|now)",
    *_each("required", r"\b", before="are "), *_each("required", r"\b", before="is "),
    r"further (?:research|studies|study|investigation|work)", r"yet to be",
    *_each("prospective longitudinal controlled randomi[sz]ed cohort", "", before=r"\bno "),
    *_each("studied examined investigated established assessed", r"\b", before="not been "),
    *_each("studied examined investigated established assessed", r"\b", before="not yet been "),
    *_each(
        "previous prior earlier existing published",
        r" (?:\w+ ){0,2}(?:studies|surveys|reports|trials|research)",
    ),
)  # fmt: skip
_NUMBER = r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_PERSON = r"(?:man|woman|patient|male|female|infant|neonate|newborn|boy|girl|child|toddler)"
_PEOPLE = r"(?:patients|cases|deaths|fatalities|decedents|men|women|infants|neonates|users)"
# People with a condition against controls without it. Users against non-users is a comparison
# of exposures (cross-sectional, or cohort when followed), whatever its controls are called.
_CASES_AND_CONTROLS = _cue(
    r"healthy controls", r"matched controls", r"controls matched",
    rf"cases and (?:{_NUMBER} )?controls",
)  # fmt: skip
_EXPOSURE_GROUPS = _cue(
    r"non-?us(?:ing|ers?)\b", r"never used", r"never(?<=had never)", r"unexposed"
)
# Surveys of a sample at one time.
_SURVEYS = _cue(
    r"surveys?", r"questionnaires?", r"respondents", r"interview(?:s|ed)?\b", r"online panel",
    r"research panel",
    r"mechanical turk",
)  # fmt: skip
# Records of people kept by others, analysed after the fact: poison centres,
# pharmacovigilance, registries, records of care and of deaths.
_RECORDS = _cue(
    r"poisons?(?: information| control)? (?:centres?|centers?|services?)", r"poison control",
    r"poison data system", r"npds\b", r"calls (?:to|about|received)", r"exposure calls",
    r"exposures? (?:were )?(?:reported|logged)", r"pharmacovigilance", r"vigilance",
    r"disproportionality", r"case safety reports?",
    r"adverse (?:event|drug reaction|drug event)s? (?:reports?|data|database)",
    r"spontaneous(?:ly)? report", r"faers\b", r"reporting system", r"medwatch", r"vigibase",
    r"yellow card", r"reporting odds", r"eudravigilance", r"registr(?:y|ies)", r"database",
    r"surveillance", r"data system", r"health records?",
    *_each("patient medical hospital clinical", r" (?:charts|records?|files|notes)"),
    r"charts? review",
    r"reviewed (?:the )?(?:charts|records|files|case notes)", r"claims data",
    r"discharge (?:data|records)", r"emergency department (?:visits|records|data)",
    r"death certificates", r"vital statistics", r"mortality data",
    *_each("examiner coroner", r"s?'?s? (?:data|records|reports|files|inquests)"),
)  # fmt: skip
# What people post, sell and search for online.
_ONLINE = _cue(
    r"forums?", r"posts\b", r"threads\b", r"reddit", r"subreddits?", r"websites", r"web sites",
    r"online (?:discussions|reports|accounts|communities|community|retailers|vendors|sellers)",
    r"social media", r"twitter", r"tweets", r"youtube", r"google trends", r"content analysis",
    r"coded(?<=were coded)", r"coded(?<=and coded)", r"codebook",
    r"coded (?:each|every|all|their|them|for|using)",
)  # fmt: skip
# The abstract's own words, in order of precedence: the first design whose words it uses.
# What a study says it is comes first; where its data came from, next; weak hints last.
_TEXT = (
    ("meta-analysis", _cue(
        r"meta-analy[sz][ie]s", r"meta-analytic", r"pooled (?:proportion|estimate|prevalence)",
    )),
    ("systematic-review", _cue(
        r"systematic(?:ally)? review", r"scoping review", r"umbrella review", r"prisma\b",
        r"searched(?<=we searched) .{0,60}(?:databases|pubmed|medline|embase|scopus|web of science)",
        *_each("pubmed medline embase scopus", r"(?:,| and| or) .{0,60}(?:were|was) searched"),
    )),
    ("controlled-trial", _cue(
        r"open-label", r"nonrandomi[sz]ed", *_each("randomi[sz]ed", "", before="non-"),
        *_each("randomi[sz]ed", "", before="non "), r"single-arm", r"uncontrolled (?:pilot|trial)",
        r"pilot (?:trial|feasibility trial)", r"phase (?:1|i|2|ii) (?:trial|study|clinical)",
        # people given a dose to measure what it does: a human laboratory or PK study
        r"healthy (?:adult )?volunteers",
        *[
            rf"{given}(?<={who} {given}) (?:a |an )?(?:single|oral|standardi[sz]ed|fixed|\d)"
            for who in ("participants", "volunteers", "subjects", "participants were",
                        "volunteers were", "subjects were")
            for given in ("received", "given", "administered", "drank", "ingested")
        ],
    )),
    ("rct", _cue(
        # a randomised block is a field or greenhouse layout, not a trial
        r"(?<!non)(?<!non-)randomi[sz]ed(?! (?:complete )?block)",
        r"randomly (?:assigned|allocated)", r"placebo-controlled", r"double-blind",
    )),
    ("case-report", _cue(
        *_each("this our present", r" case (?:report|series)\b"), r"case(?<=\ba case) (?:report|series)\b",
        *_each("this present our", r" (?:case|patient)\b"),
        *_each("describe report present", rf" (?:the case|a case|an? (?:\S+ ){{0,3}}{_PERSON})"),
        *_each("describe report present", rf" {_NUMBER} (?:\w+ ){{0,2}}{_PEOPLE}"),
    )),
    ("qualitative", _cue(
        r"qualitative", r"semi-structured", r"depth(?<=in-depth) interviews", r"thematic(?:ally)? analy",
        r"analy[sz]ed thematically", r"focus groups?", r"grounded theory", r"phenomenolog",
        r"ethnograph", r"themes (?:emerged|were identified)",
    )),
    ("case-control", _cue(r"case-control")),
    ("in-vitro", _IN_VITRO),
    ("cross-sectional", _cue(r"cross-sectional")),
    ("cohort", _cue(
        r"cohort", r"followed (?:up )?(?:for|over|until|at|monthly|weekly|every|prospectively)",
        r"followed(?<=were followed)", rf"followed (?:up )?(?:{_NUMBER}|all)\b",
        r"follow-up (?:of|at|visits?|assessments?|interviews?|period|surveys?)",
        *_each("week month year", r" (?:follow-up|retention|outcomes?|abstinence|mortality)"),
        r"longitudinal(?:ly)?\b(?! trends?)", r"prospective(?:ly)? "
        r"(?:study|observational|enrolled|recruited|followed|collected|assessed)",
        *_each("reassessed reinterviewed resurveyed recontacted", r" (?:\w+ ){0,3}(?:at|after)"),
        *_each("assessed interviewed surveyed contacted seen", " again"),
        r"every (?:\w+ )?(?:weeks?|months?|years?) (?:for|over|until)", r"both waves",
        r"baseline (?:survey|assessment|interview|questionnaire|visit)",
        r"repeated(?:ly)? (?:measures|assessments|surveys|interviews)", r"baseline(?<=\bat baseline) and",
        r"retention (?:in|at)", *_each("two three four five several", " waves"),
        # ecological momentary assessment and its kin: many reports from each person
        r"ecological momentary", r"ema\b", r"experience sampling", r"daily diar",
        *_each("smartphone phone app mobile daily momentary", r" (?:\w+ )?(?:prompts|surveys|"
               r"assessments|diaries|reports) (?:\w+ ){0,4}(?:for|over) (?:\d+|one|two|three|four|a)"),
        r"times (?:a|per|each) day", *_each("each every", r" (?:evening|morning|night)\b"),
        r"days(?<=\bon days) (?:with|after|when)",
    )),
    ("case-control", _CASES_AND_CONTROLS),
    ("cross-sectional", _RECORDS),
    ("cross-sectional", _ONLINE),
    ("cross-sectional", _SURVEYS),
    ("cohort", _cue(
        r"incidence (?:of|rate)", r"hazard ratio", r"kaplan", r"time to (?:relapse|discontinuation)",
    )),
    ("case-report", _cue(
        *_each("year month week", "-old"), r"case series", rf"series of {_NUMBER}", r"post-?mortem",
        r"autops(?:y|ies)", r"decedents", r"medicolegal", r"fatal (?:cases|intoxications|poisonings)",
    )),
    ("cross-sectional", _cue(r"prevalence")),
    ("narrative-review", _cue(
        r"review\b", r"overview", r"summari[sz]e(?<=we summari[sz]e)", r"discuss(?<=we discuss)",
        r"this (?:article|commentary|paper) (?:reviews|discusses|summari[sz]es)",
    )),
)  # fmt: skip
_RANDOMISED = _cue(r"(?<!non)(?<!non-)(?<!non\u2010)randomi[sz]ed", r"randomly assigned")
_UNCONTROLLED = _cue(r"open-label", r"non.?randomi[sz]ed", r"single-arm", r"uncontrolled")
_HUMAN_SUBJECTS = _cue(
    *_each(r"patients? participants respondents users adults volunteers men women people urine "
           r"blood hair plasma deaths decedents infants? neonates? consumers", r"\b"),
)  # fmt: skip
# What a survey or content analysis sampled when it is not people: sites, products, listings.
_THINGS_SAMPLED = _cue(
    r"websites", r"web sites", r"vendors", r"retailers", r"products", r"labels", r"listings",
    r"advertisements", r"newspapers?", r"news (?:articles|stories|coverage)", r"media coverage",
    r"videos",
)  # fmt: skip
# People in an online sample: the posts and accounts of people who use.
_PEOPLE_ONLINE = _cue(
    r"posts\b", r"posters", r"first-person", r"accounts\b", r"members\b", r"customers?",
    r"testimonials", r"reviews\b",
)  # fmt: skip
# An analytical method or a forensic study tested on specimens taken from people.
_HUMAN_SPECIMENS = _cue(
    r"urine", r"hair\b", r"blood\b", r"plasma\b", r"serum\b", r"saliva", r"oral fluid",
    r"autops", r"post-?mortem", r"decedents",
)  # fmt: skip
# People the authors saw themselves: a letter or a commentary that reports its own patients
# studies people; one that argues does not.
_OWN_HUMAN_DATA = _cue(
    *_each("we our", r" (?:\w+ ){0,3}(?:reviewed|saw|treated|examined|assessed|followed|"
           r"interviewed|surveyed|recruited|enrolled|observed) (?:\w+ ){0,3}(?:\d+|all|the) "
           r"(?:\w+ ){0,2}(?:patients|participants|users|people|adults|cases|respondents)\b"),
)  # fmt: skip
_ANIMALS = _cue(
    *_each("mice rats? mouse zebrafish rodents? monkeys? dogs", r"\b"), r"guinea pigs\b"
)
# Dosing or observing live animals: an in-vitro assay beside it is part of an animal study.
_IN_VIVO = _cue(
    r"mg/kg", r"i\.p\.", r"intraperitoneal", r"gavage", r"self-administ", r"place preference",
    r"tail[- ]flick", r"hot[- ]plate", r"open field", r"elevated plus", r"forced swim",
    r"locomotor", *_each("rats mice animals", " (?:were|received)"), r"treated (?:rats|mice)",
    *_each("was were", r" (?:applied|administered|injected|given) (?:daily|orally|topically|"
           r"to (?:the )?(?:skin|animals|rats|mice))"),
    r"daily for \d+ (?:days|weeks)",
)  # fmt: skip
_MESH_IN_VIVO = {
    "Behavior, Animal", "Disease Models, Animal", "Administration, Oral", "Administration, Topical",
    "Injections, Intraperitoneal", "Conditioning, Operant", "Self Administration",
}  # fmt: skip
# Studies of products, plants, chemistry or law: no people or animals are studied.
_OTHER = _cue(
    *_each(r"editorial commentary letter policy schedul\w* legislation cultivat\w* agricultur\w* "
           r"chromatography lc.ms immunoassay validation quantif\w* synthesis "
           r"varieties botanical", r"\b"),
    r"chemical (?:composition|profile)", r"alkaloid (?:content|profile|composition)",
    r"mass spectrometry", r"leaf morphology", r"analytical methods?",
    # forensic toxicology of where a drug goes after death, not of the deaths
    r"post-?mortem (?:re)?distribution",
    # agronomy: plants grown, fertilised, harvested
    *_each(r"fertili[sz]\w* greenhouse seedlings? soils? harvest\w* propagation", r"\b"),
    r"crop yield", r"plant growth", r"light intensity",
    # computational chemistry: a model of a molecule, no biological test system
    r"docking", r"molecular dynamics", r"in silico", r"computational",
)  # fmt: skip
# A survey of the people who grow, sell or regulate the plant studies people.
_PEOPLE_ASKED = _cue(
    r"surveyed(?<=we surveyed)", r"interviewed(?<=we interviewed)", r"questionnaires?", r"respondents", r"semi-structured",
)  # fmt: skip
# A biological test system: a study that measures alkaloids and then tests them on receptors
# or cells is an in-vitro study, not chemistry.
_BIOASSAY = _cue(
    r"receptor (?:activity|activation|binding|affinity)", r"functional assay", r"cells?\b",
    r"cell lines?", r"synaptosom", r"microsom", r"tyrosinase", r"cytotox",
)  # fmt: skip


# Word openings of 3-5 letters, for words that open as a screened alternative does.
_OPENINGS = re.compile(rf"\b{_trie(_Cue.openings)}[a-z0-9]{{0,{_LONG - _SHORT}}}")


def grade_design(
    title: str, abstract: str, publication_types: Sequence[str], mesh: Sequence[str]
) -> DesignGrade:
    """The study design and population of one record."""
    title = title.lower()
    text = _Text.of(f"{title}. {abstract.lower()}")
    design = _design(_Text.of(title), text, bool(abstract), publication_types, set(mesh))
    return DesignGrade(design, _population(design, text, publication_types))


def _design(
    title: _Text, text: _Text, has_abstract: bool, publication_types: Sequence[str], mesh: set[str]
) -> str:
    by_type = _by_publication_type(text, publication_types)
    if by_type is not None:
        return by_type
    if "Review" in publication_types:
        return _by_review_text(text)
    if _OTHER.search(title) and not _studies_people_or_cells(text):
        return "other"  # chemistry, analytics, botany, law: no study of people or animals
    lab = _lab_design(title, text, mesh)
    if lab is not None:
        return lab
    by_text = _by_text(_findings(text)) if has_abstract else None
    design = _by_mesh(by_text, mesh)
    if design is None and "Observational Study" in publication_types:
        return "cross-sectional"  # an observational study that names no design or source
    return design or "other"


def _by_review_text(text: _Text) -> str:
    """Reviews indexed before PubMed had "Systematic Review" say how they searched."""
    for design, pattern in _TEXT[:2]:
        if pattern.search(text):
            return design
    return "narrative-review"


def _studies_people_or_cells(text: _Text) -> bool:
    # A survey of growers, poison-centre calls after a law changed, an assay of products:
    # the title's chemistry, farming or law is the topic, not the design.
    return any(p.search(text) for p in (_BIOASSAY, _PEOPLE_ASKED, _RECORDS))


def _by_publication_type(text: _Text, publication_types: Sequence[str]) -> str | None:
    for pub_type, design in _PUB_TYPES:
        if pub_type in publication_types:
            if (
                design == "controlled-trial"
                and _RANDOMISED.search(text)
                and not _UNCONTROLLED.search(text)
            ):
                return "rct"  # indexed as a trial, described as randomised
            return design
    return None


def _lab_design(title: _Text, text: _Text, mesh: set[str]) -> str | None:
    """`animal` or `in-vitro` for a laboratory study, else None."""
    in_vitro = bool(_MESH_IN_VITRO & mesh) or _IN_VITRO.search(text)
    animals = _ANIMALS.search(text)
    animal_only = "Animals" in mesh and "Humans" not in mesh
    if not (animal_only or (animals and not _HUMAN_SUBJECTS.search(text))):
        return None
    # The title names the main experiment when there are both: "... in rat synaptosomes".
    if _IN_VITRO.search(title) or _BIOASSAY.search(title):
        return "in-vitro"
    if _ANIMALS.search(title):
        return "animal"
    if in_vitro and not _MESH_IN_VIVO & mesh and not _IN_VIVO.search(text):
        return "in-vitro"  # tissue or cells taken from animals, tested in a dish
    return "animal"


def _findings(text: _Text) -> _Text:
    """The text without the sentences that are not about this study's design."""
    if not _NOT_THIS_STUDY.search(text):
        return text
    sentences = _SENTENCE_END.split(text.text)
    kept = " ".join(s for s in sentences if _NOT_THIS_STUDY.pattern.search(s) is None)
    return _Text(kept, text.heads)  # the words of a part are among the words of the whole


def _by_text(text: _Text) -> str | None:
    exposure_groups = _EXPOSURE_GROUPS.search(text)
    for design, pattern in _TEXT:
        if pattern.search(text):
            if pattern is _CASES_AND_CONTROLS and exposure_groups:
                continue
            if design == "narrative-review" and _OTHER.search(text):
                return "other"
            return design
    return None


def _by_mesh(by_text: str | None, mesh: set[str]) -> str | None:
    """The design MeSH names, the abstract choosing among several; else the abstract's own
    design; else what the data source suggests."""
    named = [design for heading, design in _MESH_DESIGNS if heading in mesh]
    if "case-control" in named and by_text != "case-control":
        # Indexers add the heading to any comparison with a control group; a case-control
        # study selects people by outcome and says so. Users against non-users, seen once,
        # is a cross-sectional comparison.
        named = [d for d in named if d != "case-control"] or ["cross-sectional"]
    if named:
        return by_text if by_text in named else named[0]
    if by_text is not None:
        return by_text
    return next((design for heading, design in _MESH_SOURCES if heading in mesh), None)


def _population(design: str, text: _Text, publication_types: Sequence[str]) -> str:
    if design in _NOT_PRIMARY:
        return "none"
    if design in ("animal", "in-vitro"):
        return design
    if design == "other":
        return _population_of_other(text, publication_types)
    if design == "cross-sectional" and _THINGS_SAMPLED.search(text):
        people = _HUMAN_SUBJECTS.search(text) or _PEOPLE_ONLINE.search(text)
        return "human" if people else "none"
    return "human"


def _population_of_other(text: _Text, publication_types: Sequence[str]) -> str:
    """A letter or a method study is about people only when it reports people's data."""
    if _OWN_HUMAN_DATA.search(text):
        return "human"
    if _OPINION.intersection(publication_types):
        return "none"
    # Specimens of people, unless the method was put to work on animals' samples.
    if _HUMAN_SPECIMENS.search(text) and not _ANIMALS.search(text):
        return "human"
    return "none"
