"""The tagger's rules: how one sentence bears on one claim, read top to bottom.

A sentence that names a claim's subject is read through the cues of `language.toml` and the
claim's own phrases in `data/claims.toml`. The rules below are tried **in order**; the first
that applies decides: `supports`, `contradicts`, `mentions`, or no tag (the sentence says
nothing of the claim about kratom). When a rule applies is written in `conditions.py`. Each
rule has an example sentence of our own, which a test runs through the tagger, and
`litwatch explain` names the rule that decided and the cues it read. The order is the
reasoning:

1. sentences that hold no finding about kratom's effect on the claim: questions, topic
   titles, methods, another drug's effect, symptoms of stopping kratom (for its benefits);
2. what makes a sentence a mention although it names the claim: the authors rejecting it
   (a finding against it), other people's claims and beliefs, comparisons that take it for
   granted, limitations, evidence gaps, aims, motives for use, what might explain it,
   background;
3. the polarity of a finding: kratom relieved a harm (no tag), the opposite effect, a null
   result, a negation, a harm found small;
4. advice without a finding, and a benefit named without its improvement, say nothing;
5. what is left is a finding that supports the claim.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from litwatch.claims import conditions as when
from litwatch.claims.reading import Reading

ANY_KIND = "*"  # in `Rule.stances`: every kind of claim not listed


@dataclass(frozen=True)
class Rule:
    """A named rule: when it applies, what it decides for each kind of claim (benefit, harm,
    property, unknown; a kind it does not list passes it by), and the cues it reads."""

    name: str
    why: str  # one line, as `litwatch explain` shows it
    applies: Callable[[Reading], bool]
    stances: Mapping[str, str | None]  # claim kind (or ANY_KIND) -> stance; None: no tag
    reads: tuple[str, ...]  # the cues it looks at (shown by `explain`)
    example: str  # a sentence of our own that this rule decides
    claim: str  # the claim of the example

    def stance_for(self, kind: str) -> tuple[bool, str | None]:
        if kind in self.stances:
            return True, self.stances[kind]
        if ANY_KIND in self.stances:
            return True, self.stances[ANY_KIND]
        return False, None


MENTION: Mapping[str, str | None] = {ANY_KIND: "mentions"}
NO_TAG: Mapping[str, str | None] = {ANY_KIND: None}

RULES: tuple[Rule, ...] = (
    # 1. No finding about kratom's effect here.
    Rule("question", "a question reports nothing yet", when.question, MENTION, (),
         "Does kratom ease opioid withdrawal?", "withdrawal-relief"),
    Rule("topic-title", "a title naming its topic and design states no finding",
         when.topic_title, NO_TAG, ("result",),
         "Kratom and opioid withdrawal: a systematic review.", "withdrawal-relief"),
    Rule("methods-mention", "a methods sentence naming the claim as a motive or an aim",
         when.methods_mention, MENTION, ("methods", "motive", "attribution", "aim"),
         "We recruited adults who used kratom to self-treat chronic pain.", "pain-relief"),
    Rule("methods", "how the study was done, not what it found", when.methods, NO_TAG,
         ("methods", "result"),
         "Sleep quality was assessed with a standard index at each visit of the kratom study.",
         "sleep-improvement"),
    Rule("beside-the-point", "names the claim's subject but not what it claims unknown",
         when.beside_the_point, {"unknown": None}, ("outcome",),
         "Most kratom users in the sample reported decades of daily use.",
         "long-term-safety-unknown"),
    Rule("another-drug", "the finding is about another drug, not kratom", when.another_drug,
         NO_TAG, ("other-drug", "kratom", "comparator"),
         "In the comparison arm, buprenorphine reduced craving within days.",
         "craving-reduction"),
    Rule("kratom-withdrawal", "symptoms on stopping kratom say nothing of its benefits",
         when.kratom_withdrawal, {"benefit": None}, ("kratom-withdrawal",),
         "On stopping kratom, most users reported poor sleep for several nights.",
         "sleep-improvement"),
    # 2. Named, but not found here.
    Rule("rebutted", "the authors reject the claim", when.rebutted,
         {"benefit": "contradicts", "property": "contradicts"}, ("rebuttal",),
         "These results challenge the view that kratom is a safer option than opioids.",
         "safer-than-opioids"),
    Rule("attributed", "someone else's claim or belief, not the study's finding",
         when.attributed, MENTION, ("attribution", "prior-work", "self-report"),
         "Online sellers describe kratom as a remedy for anxiety.", "anxiety-relief"),
    Rule("presupposed", "the claim taken for granted in a comparison, not found",
         when.presupposed, MENTION, ("presupposed",),
         "Kratom, like other mu-opioid receptor agonists, can cause constipation.",
         "opioid-receptor-agonism"),
    Rule("limitation", "this study did not measure it: a limitation, not evidence",
         when.limitation, MENTION, ("limitation",),
         "Long-term safety was not assessed in this eight-week kratom trial.",
         "long-term-safety-unknown"),
    Rule("background", "background restates what others have said", when.background, MENTION,
         (), "Kratom is a tropical tree whose effects on opioid withdrawal are of growing interest.",
         "withdrawal-relief"),
    Rule("evidence-gap", "the evidence is missing or inconclusive", when.evidence_gap,
         {"unknown": "supports", ANY_KIND: "mentions"}, ("evidence-gap",),
         "No controlled trial has tested whether kratom eases depression.",
         "depression-relief"),
    Rule("covariate", "a covariate of a model, not an outcome", when.covariate, NO_TAG,
         ("covariate",), "Pain was compared after adjustment for age, depression and kratom dose.",
         "depression-relief"),
    Rule("aim", "an aim or objective restates the claim", when.aim, MENTION, ("aim",),
         "We aimed to find out whether kratom reduces craving for heroin.",
         "craving-reduction"),
    Rule("motive-list", "a list of reasons for taking kratom: each is a motive",
         when.motive_list, {"harm": None, ANY_KIND: "mentions"}, ("motive",),
         "Reasons for use included pain (64%), anxiety (41%) and poor sleep (22%).",
         "anxiety-relief"),
    Rule("motive", "a reason for taking kratom, not evidence that it works", when.motive,
         {"harm": None, ANY_KIND: "mentions"}, ("motive", "self-report"), "Most respondents took kratom to manage their pain.",
         "pain-relief"),
    Rule("explanation", "the claim is what something might explain, not a finding",
         when.explained, MENTION, ("explanation",),
         "Differences in alkaloid content might explain reports of variable effects of kratom.",
         "variable-response"),
    # 3. The polarity of a finding.
    Rule("relief-of-harm", "kratom relieved the symptom: no evidence that it causes it",
         when.relief_of_harm, {"harm": None}, ("relief", "kratom", "other-drug"),
         "Kratom extract reduced diarrhoea in morphine-withdrawn mice.",
         "gastrointestinal-effects"),
    Rule("reversed", "the opposite of the benefit happened", when.reversed_effect,
         {"benefit": "contradicts", "harm": "supports", "property": "contradicts"},
         ("reversal", "opposite"), "Kratom taken at night worsened sleep in most respondents.",
         "sleep-improvement"),
    Rule("null", "a null result: no difference, no change", when.null, {ANY_KIND: "contradicts"},
         ("null-result", "null"),
         "Constipation was no more common in kratom users than in non-users.",
         "gastrointestinal-effects"),
    Rule("negated", "the claim's words are negated", when.negated, {ANY_KIND: "contradicts"},
         ("negation", "minority", "improvement", "outcome"),
         "Kratom was not effective for anxiety in this sample.", "anxiety-relief"),
    Rule("low-harm", "the harm was found small or absent", when.low_harm,
         {"harm": "contradicts"}, ("low",), "Mitragynine showed low abuse liability in rats.",
         "dependence-risk"),
    # 4. Nothing found about the claim.
    Rule("advice", "advice names a condition, not a finding about kratom", when.advice, NO_TAG,
         ("recommendation", "result"),
         "Clinicians should ask about kratom when patients present with constipation.",
         "gastrointestinal-effects"),
    Rule("no-improvement", "the claim's subject is named, but not as improving",
         when.no_improvement, NO_TAG, ("improvement", "outcome", "self-report"),
         "Anxiety symptoms were common among kratom users.", "anxiety-relief"),
    # 5. A finding.
    Rule("finding", "a finding that the claim holds", when.always,
         {"unknown": "mentions", ANY_KIND: "supports"}, ("result",),
         "Kratom lowered pain scores compared with placebo (P < .01).", "pain-relief"),
)  # fmt: skip


def decide(reading: Reading) -> tuple[str | None, Rule]:
    """The stance of the sentence on the claim (None: no tag) and the rule that decided."""
    for rule in RULES:
        known, stance = rule.stance_for(reading.kind)
        if known and rule.applies(reading):
            return stance, rule
    raise AssertionError("the last rule always applies")  # pragma: no cover
