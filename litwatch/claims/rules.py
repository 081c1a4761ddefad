"""The tagger's rules: how one sentence bears on one claim. Pure; read top to bottom.

A sentence that names a claim's subject is read through the cues of `language.toml` (and the
claim's own phrases in `data/claims.toml`). The rules below are tried **in order**; the first
that applies decides: `supports`, `contradicts`, `mentions`, or nothing (the sentence says
nothing about the claim, as kratom is not what it is about). Each rule carries an example
sentence of our own, which a test runs through the tagger, and `litwatch explain` names the
rule that decided. The order is the reasoning:

1. sentences that cannot hold a finding about kratom go first (questions, methods, another
   drug's effect, symptoms of stopping kratom, which bear only on its harms);
2. then what makes a sentence a mention although it names the claim (aims, other people's
   claims and beliefs, motives for use, evidence gaps, background);
3. then the polarity of a finding: reversed, null or negated findings contradict;
4. what is left is a finding that supports the claim, when its words say so.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from litwatch.claims.phrases import Match
from litwatch.claims.reading import Reading

ANY_KIND = "*"


@dataclass(frozen=True)
class Rule:
    """A named rule: when it applies, and what it decides for each kind of claim."""

    name: str
    why: str  # one line, as `litwatch explain` shows it
    applies: Callable[[Reading], bool]
    stances: dict[str, str | None]  # claim kind (or ANY_KIND) -> stance; None: no tag
    example: str  # a sentence of our own that this rule decides
    claim: str  # the claim of the example

    def stance_for(self, kind: str) -> tuple[bool, str | None]:
        if kind in self.stances:
            return True, self.stances[kind]
        if ANY_KIND in self.stances:
            return True, self.stances[ANY_KIND]
        return False, None


def _question(r: Reading) -> bool:
    text = r.sentence.lower.rstrip()
    return text.endswith("?") or (r.sentence.section == "title" and "?" in text)


def _methods(r: Reading) -> bool:
    if r.sentence.section == "methods":
        return True
    return r.in_clause("methods") and not r.in_clause("result")


def _methods_mention(r: Reading) -> bool:
    return _methods(r) and any(
        r.before_subject(cue, 80) for cue in ("motive", "attribution", "aim")
    )


# Words before another drug that make it what kratom is compared with, or what is stopped.
_COMPARED = re.compile(
    r"\b(than|compared (with|to)|versus|vs\.?|relative to|unlike|similar to|as with|instead of|"
    r"from|off|stopp\w+|switch\w*|replac\w*|substitut\w*|or|and|nor)\b[^,;.()]{0,25}$"
)


def _agent_drugs(r: Reading) -> list[Match]:
    """Other drugs in the clause that act in it: not part of the claim's own words ("come off
    heroin"), not what kratom is compared with ("better than methadone")."""
    start, end = r.clause
    text = r.sentence.lower
    return [
        m for m in r.found.get("other-drug", ())
        if start <= m.start < end
        and not any(s.start <= m.start < s.end for s in r.subject)
        and not _COMPARED.search(text, max(start, m.start - 40), m.start)
    ]  # fmt: skip


def _another_drug(r: Reading) -> bool:
    if r.other_drug_record and not r.in_sentence("kratom"):
        return True
    agents = _agent_drugs(r)
    if not agents:
        return False
    # "Buprenorphine reduced craving, with similar reductions in prior kratom users": the
    # drug that opens the clause is what acts in it.
    start = r.clause[0]
    kratom = [m.start for m in r.found.get("kratom", ()) if start <= m.start < r.clause[1]]
    if agents[0].start - start <= 20 and (not kratom or kratom[0] > agents[0].start):
        return True
    return not kratom and not r.in_clause("comparator")


def _kratom_withdrawal(r: Reading) -> bool:
    # "On stopping kratom, users reported muscle aches and poor sleep": the symptoms listed
    # after the context are withdrawal symptoms (not about pain relief or sleep improvement);
    # "after stopping heroin" is no such context.
    drugs = r.found.get("other-drug", ())
    text = r.sentence.lower
    for m in r.found.get("kratom-withdrawal", ()):
        if any(m.start <= d.start <= m.end + 25 for d in drugs):
            continue
        if _HELPED.search(text, max(0, m.start - 40), m.start):
            continue  # "kratom was rated helpful for withdrawal symptoms": opioid withdrawal
        first = r.subject[0]
        # The symptoms listed after the context, or one named just before it ("anxiety
        # during kratom withdrawal").
        if all(s.start >= m.end for s in r.subject) and first.start - m.end <= 50:
            return True
        if _BEFORE_CONTEXT.match(text, m.start) and 0 <= m.start - r.subject[-1].end <= 40:
            return True
    return False


_HELPED = re.compile(
    r"\b(helpful|effective|helped|useful|relie\w+|reduc\w+|attenuat\w+|alleviat\w+|eas\w+|"
    r"protect\w*|treat\w*|prevent\w*|control\w*)\b[^.;]*$"
)
_BEFORE_CONTEXT = re.compile(r"(during|on|after|upon|when|while)\b")


def _aim(r: Reading) -> bool:
    return r.before_subject("aim", 120) or (
        r.sentence.section in ("background", "title") and r.in_clause("aim")
    )


def _attributed(r: Reading) -> bool:
    if r.in_clause("self-report"):
        return False
    # A review's account of other studies is its finding, not hearsay.
    return (r.in_clause("prior-work") and not r.review) or r.governs("attribution", 120)


def _rebutted(r: Reading) -> bool:
    return r.in_clause("rebuttal")


def _presupposed(r: Reading) -> bool:
    return r.before_subject("presupposed", 30)


def _limitation(r: Reading) -> bool:
    return r.in_clause("limitation")


# What, said after a motive, reports how it went: "took it to come off heroin; most resumed".
_OUTCOME_CUES = ("reversal", "null-result", "negation", "self-report", "opposite", "null")


def _motive(r: Reading) -> bool:
    if r.in_clause("self-report"):
        return False
    if _list_of_motives(r):
        return True  # "Reasons for use included pain (68%), anxiety (44%), ..."
    return r.governs("motive", 60) and not _outcome_after(r)


# Not motives: "attempts to stop", "allowed him to quit" (dependence, outcome), "to stop kratom".
_NOT_MOTIVE_BEFORE = re.compile(
    r"\b(attempts?|attempted|tried|trying|efforts?|unable|failed|inability|allow\w*|enabl\w*|"
    r"let|help(ed|s)?|permitt\w*)( (him|her|them|me|people|users|patients))?\s*$"
)
_NOT_MOTIVE_AFTER = re.compile(r"\s*(kratom|ketum|it|use|using|taking)\b")


def motives(text: str, found: list[Match]) -> list[Match]:
    """The motive cues of a sentence that are motives (see above)."""
    return [
        m for m in found
        if not _NOT_MOTIVE_BEFORE.search(text, max(0, m.start - 30), m.start)
        and not _NOT_MOTIVE_AFTER.match(text, m.end)
    ]  # fmt: skip


def _list_of_motives(r: Reading) -> bool:
    start, end = r.clause
    text = r.sentence.lower
    return any(
        start <= m.start <= start + 40
        and text.count(",", m.end, end) + text.count("(", m.end, end) >= 2
        for m in r.found.get("motive", ())
    )


def _outcome_after(r: Reading) -> bool:
    """How it went, said after the motive ("took it to come off heroin; most resumed"): an
    outcome cue after the subject that is not part of an evidence gap."""
    gaps = r.found.get("evidence-gap", ())
    first = r.subject[0].end
    for cue in (*_OUTCOME_CUES, "outcome"):
        for m in r.found.get(cue, ()):
            if m.start >= first and not any(g.start <= m.start < g.end for g in gaps):
                return True
    return False


def _evidence_gap(r: Reading) -> bool:
    return r.in_clause("evidence-gap")


def _explained(r: Reading) -> bool:
    return r.governs("explanation", 60)


def _background(r: Reading) -> bool:
    return r.sentence.section == "background"


def _advice(r: Reading) -> bool:
    return r.in_sentence("recommendation") and not r.in_sentence("result")


def _relief_of_harm(r: Reading) -> bool:
    if r.in_clause("reversal"):
        return False
    start, end = r.clause
    # The relief must be kratom's: "treated kratom withdrawal with buprenorphine" is not.
    kratom = [m.start for m in r.found.get("kratom", ()) if start <= m.start < end]
    others = [m for m in r.found.get("other-drug", ()) if start <= m.start < end]
    for m in r.found.get("relief", ()):
        if m.start < start or any(s.start <= m.start < s.end for s in r.subject):
            continue  # part of the symptom's own words ("decreased appetite")
        if others and not any(k < m.start for k in kratom):
            continue
        if any(s.start - 60 <= m.end <= s.start + 1 and r.reaches(m, s.start) for s in r.subject):
            return True
    return False


def _covariate(r: Reading) -> bool:
    return r.before_subject("covariate", 60)


def _reversed(r: Reading) -> bool:
    return r.in_scope("reversal") or r.in_scope("opposite")


def _null(r: Reading) -> bool:
    if r.governs("motive", 60) and (r.after_subject("null-result") or r.after_subject("null")):
        return True
    return r.near_subject("null-result") or r.near_subject("null")


def _negated(r: Reading) -> bool:
    if any(r.negates(s.start, 45) for s in r.subject):
        return True
    start, end = r.clause
    if r.governs("motive", 60):  # "took it to cut down on heroin, but none stayed off"
        end = len(r.sentence.lower)
    cues = ["outcome"] + (["improvement"] if r.kind == "benefit" else [])
    words = [m for cue in cues for m in r.found.get(cue, ())]
    if any(r.negates(m.start, 30) for m in words if start <= m.start < end):
        return True
    # "Only 12% found kratom helpful for sleep": the benefit mostly did not come.
    few = [m for m in r.found.get("minority", ()) if start <= m.start < end]
    return r.kind == "benefit" and any(0 <= w.start - f.end <= 40 for f in few for w in words)


_DESIGN_WORDS = re.compile(
    r"\b(review|meta-analys[ie]s|trial|survey|study|analysis|protocol|cohort|overview|series|"
    r"perspective|commentary|consensus|guidelines?|case report|report|experience|update)\b"
)


def _topic_title(r: Reading) -> bool:
    # "Kratom for opioid withdrawal: a systematic review" names a topic; "Kratom worsened
    # insomnia: a case report" states a finding.
    if r.sentence.section != "title" or not _DESIGN_WORDS.search(r.sentence.lower):
        return False
    return not any(r.in_sentence(c) for c in ("result", "reversal", "null-result", "opposite"))


def _low_harm(r: Reading) -> bool:
    return r.before_subject("low", 3)  # "low abuse liability", "negligible tolerance"


def _no_improvement(r: Reading) -> bool:
    said = (
        r.in_scope("outcome") or r.in_scope("improvement") or r.in_scope("self-report")
    )  # fmt: skip
    if r.claim.outcome:
        return not said
    return r.kind == "benefit" and not said


def _always(r: Reading) -> bool:
    return True


RULES: tuple[Rule, ...] = (
    Rule("question", "a question reports nothing yet", _question,
         {ANY_KIND: "mentions"}, "Does kratom ease opioid withdrawal?", "withdrawal-relief"),
    Rule("topic-title", "a title naming a topic and a design, not a finding", _topic_title,
         {ANY_KIND: None}, "Kratom and opioid withdrawal: a systematic review.",
         "withdrawal-relief"),
    Rule("methods-mention", "a methods sentence naming the claim as a motive or aim",
         _methods_mention, {ANY_KIND: "mentions"},
         "We recruited adults who used kratom to self-treat chronic pain.", "pain-relief"),
    Rule("methods", "how the study was done, not what it found", _methods, {ANY_KIND: None},
         "Sleep quality was assessed with a standard index at each visit of the kratom study.",
         "sleep-improvement"),
    Rule("another-drug", "the finding is about another drug, not kratom", _another_drug,
         {ANY_KIND: None}, "In the comparison arm, buprenorphine reduced craving within days.",
         "craving-reduction"),
    Rule("kratom-withdrawal", "symptoms on stopping kratom say nothing of its benefits",
         _kratom_withdrawal, {"benefit": None},
         "On stopping kratom, most users reported poor sleep for several nights.",
         "sleep-improvement"),
    Rule("rebutted", "the authors reject the claim", _rebutted,
         {"benefit": "contradicts", "property": "contradicts"},
         "These results challenge the view that kratom is a safer option than opioids.",
         "safer-than-opioids"),
    Rule("attributed", "someone else's claim or belief, not the study's finding", _attributed,
         {ANY_KIND: "mentions"}, "Online sellers describe kratom as a remedy for anxiety.",
         "anxiety-relief"),
    Rule("presupposed", "the claim taken for granted in a comparison, not found", _presupposed,
         {ANY_KIND: "mentions"}, "Kratom, like other opioid agonists, may slow the gut.",
         "gastrointestinal-effects"),
    Rule("limitation", "this study did not measure it: a limitation, not evidence", _limitation,
         {ANY_KIND: "mentions"}, "Long-term safety was not assessed in this eight-week kratom trial.",
         "long-term-safety-unknown"),
    Rule("evidence-gap", "the evidence is missing or inconclusive", _evidence_gap,
         {"unknown": "supports", ANY_KIND: "mentions"},
         "No controlled trial has tested whether kratom eases depression.", "depression-relief"),
    Rule("covariate", "a covariate of a model, not an outcome", _covariate, {ANY_KIND: None},
         "Pain was compared after adjustment for age, depression and kratom dose.",
         "depression-relief"),
    Rule("aim", "an aim or objective restates the claim", _aim, {ANY_KIND: "mentions"},
         "We aimed to find out whether kratom reduces craving for heroin.", "craving-reduction"),
    Rule("motive", "a reason for taking kratom, not evidence that it works", _motive,
         {"benefit": "mentions", "property": "mentions", "unknown": "mentions"},
         "Most respondents took kratom to manage their pain.", "pain-relief"),
    Rule("explanation", "the claim is what something might explain, not a finding",
         _explained, {ANY_KIND: "mentions"},
         "Differences in alkaloid content might explain reports of variable effects of kratom.",
         "variable-response"),
    Rule("background", "background restates what others have said", _background,
         {ANY_KIND: "mentions"}, "Kratom is widely used to ease opioid withdrawal.",
         "withdrawal-relief"),
    Rule("relief-of-harm", "kratom relieved the symptom: no evidence that it causes it",
         _relief_of_harm, {"harm": None},
         "Kratom extract reduced diarrhoea in morphine-withdrawn mice.",
         "gastrointestinal-effects"),
    Rule("reversed", "the opposite of the benefit happened", _reversed,
         {"benefit": "contradicts", "harm": "supports", "property": "contradicts"},
         "Kratom taken at night worsened sleep in most respondents.", "sleep-improvement"),
    Rule("null", "a null result: no difference, no change", _null, {ANY_KIND: "contradicts"},
         "Constipation was no more common in kratom users than in non-users.",
         "gastrointestinal-effects"),
    Rule("negated", "the claim's words are negated", _negated, {ANY_KIND: "contradicts"},
         "Kratom did not reduce opioid craving in the trial.", "craving-reduction"),
    Rule("low-harm", "the harm was small or absent", _low_harm, {"harm": "contradicts"},
         "Mitragynine showed low abuse liability in rats.", "dependence-risk"),
    Rule("advice", "advice names a condition, not a finding about kratom", _advice, {ANY_KIND: None},
         "Clinicians should ask about kratom when patients present with constipation.",
         "gastrointestinal-effects"),
    Rule("no-improvement", "the claim's subject is named, but not as improving", _no_improvement,
         {ANY_KIND: None}, "Kratom users were asked about anxiety symptoms in the past month.",
         "anxiety-relief"),
    Rule("finding", "a finding that the claim holds", _always,
         {"unknown": None, ANY_KIND: "supports"},
         "Kratom lowered pain scores compared with placebo (P < .01).", "pain-relief"),
)  # fmt: skip


def decide(reading: Reading) -> tuple[str | None, Rule]:
    """The stance of the sentence on the claim (None: no tag) and the rule that decided."""
    for rule in RULES:
        known, stance = rule.stance_for(reading.kind)
        if known and rule.applies(reading):
            return stance, rule
    raise AssertionError("the last rule always applies")  # pragma: no cover
