"""When each tagger rule applies (`rules.py` names them and gives their order). Each function
reads one sentence for one claim (`Reading`) and answers yes or no; they are pure.

The language they read (negations, null results, motives...) is in `language.toml`; the
claim's own phrases are in `data/claims.toml`.
"""

from __future__ import annotations

import re

from litwatch.claims.phrases import Match
from litwatch.claims.reading import Reading


def question(r: Reading) -> bool:
    text = r.sentence.lower.rstrip()
    return text.endswith("?") or (r.sentence.section == "title" and "?" in text)


def methods(r: Reading) -> bool:
    if r.sentence.section == "methods":
        return True
    return r.in_clause("methods") and not r.in_clause("result")


def methods_mention(r: Reading) -> bool:
    return methods(r) and any(r.before_subject(cue, 80) for cue in ("motive", "attribution", "aim"))


# Words before another drug that make it what kratom is compared with, or what people use,
# stop or depend on (not what acts in the sentence).
_COMPARED = re.compile(
    r"\b(than|compared (with|to)|versus|vs\.?|relative to|unlike|similar to|as with|instead of|"
    r"from|off|stopp\w+|switch\w*|replac\w*|substitut\w*|or|and|nor|cessation of|"
    r"(mis)?use of|using|used|users? of|injecting|quit\w*|dependen\w* on|addicted to|"
    r"in contrast to|contrary to|despite|out of|crav\w* for|desire for|urges? (for|to use)|"
    r"(non-)?inferior to|superior to|equivalent to|as effective as|comparable (to|with))\b"
    r"[^,;.()]{0,25}$"
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
        and not _OBJECT.match(text, m.end)
    ]  # fmt: skip


# A drug followed by these is what is taken, stopped or studied, not what acts.
_OBJECT = re.compile(
    r"[- ](intake|infusions?|self-administration|seeking|use\b|users?|withdrawal|dependen\w*|"
    r"induced|treated|experienced|exposures?|prescriptions?|history|taper)"
)


def another_drug(r: Reading) -> bool:
    if r.other_drug_record and not r.in_sentence("kratom"):
        # A record on treating kratom withdrawal still reports kratom's harms.
        return r.other_drug_record == "drug" or r.kind == "benefit"
    agents = _agent_drugs(r)
    if not agents:
        return False
    # "Buprenorphine reduced craving, with similar reductions in prior kratom users": the
    # drug that opens the clause is what acts in it.
    start = r.clause[0]
    kratom = [m.start for m in r.found.get("kratom", ()) if start <= m.start < r.clause[1]]
    if agents[0].start - start <= 20 and (not kratom or kratom[0] > agents[0].start):
        return True
    # "After the kratom taper, patients were maintained on methadone and craving fell": the
    # drug named last before the finding is the one it is about (for some mention of it:
    # "nausea in the buprenorphine group and constipation in the kratom group").
    named = [(a.start, True) for a in agents] + [(k, False) for k in kratom]
    lasts = [max((n for n in named if n[0] < s.start), default=None) for s in r.subject]
    if lasts and all(last is not None and last[1] for last in lasts):
        return True
    return not kratom and not r.in_clause("comparator")


def kratom_withdrawal(r: Reading) -> bool:
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
        # The symptoms listed after the context (a list may run on: "reported on stopping
        # were aches (69%), irritability (57%), difficulty falling asleep (51%)"), or one
        # named just before it ("anxiety during kratom withdrawal").
        if all(s.start >= m.end for s in r.subject) and (
            first.start - m.end <= 50
            or (first.start - m.end <= 200 and not _SENTENCE_TURN.search(text, m.end, first.start))
        ):
            return True
        if _BEFORE_CONTEXT.match(text, m.start) and 0 <= m.start - r.subject[-1].end <= 40:
            return True
    return False


_HELPED = re.compile(
    r"\b(helpful|effective|helped|useful|relie\w+|reduc\w+|attenuat\w+|alleviat\w+|eas\w+|"
    r"protect\w*|treat\w*|prevent\w*|control\w*)\b[^.;]*$"
)
_SENTENCE_TURN = re.compile(r"[;.]|\bbut\b|\bwhereas\b")
_LIST_END = re.compile(
    r"[;.]|\bbut\b|\bwhereas\b|\b(produced|caused|showed|induced|developed|had)\b"
)
_BEFORE_CONTEXT = re.compile(r"(during|on|after|upon|when|while)\b")


def aim(r: Reading) -> bool:
    return r.before_subject("aim", 120) or (
        r.sentence.section in ("background", "title") and r.in_clause("aim")
    )


def attributed(r: Reading) -> bool:
    if r.in_clause("self-report"):
        return False
    # "Contrary to the belief that kratom helps sleep, we found no ...": the authors' finding.
    first = r.subject[0].start
    if any(r.clause[0] <= m.start < first for m in r.found.get("own-finding", ())):
        return False
    # A review's account of other studies is its finding, not hearsay. A source named as
    # the sentence opens ("Forty sites said ..., and twelve that ...") governs all of it.
    if r.in_clause("prior-work") and not r.review:
        return True
    text = r.sentence.lower
    return r.governs("attribution", 120) or any(
        m.start <= 40 and _SOURCE.match(text, m.start) for m in r.found.get("attribution", ())
    )


# Who says it, when named as a sentence opens: a source whose claims the sentence lists.
_SOURCE = re.compile(
    r"(web)?sites?|vendors?|sellers?|retailers?|labels?|proponents?|advocates?|supporters?|"
    r"critics?|marketing|media|news|claims?|statements?|product|testimonials?|commenters?"
)


def rebutted(r: Reading) -> bool:
    return r.in_clause("rebuttal")


def presupposed(r: Reading) -> bool:
    return r.before_subject("presupposed", 30)


def limitation(r: Reading) -> bool:
    return r.in_clause("limitation")


# What, said after a motive, reports how it went: "took it to come off heroin; most resumed".
_OUTCOME_CUES = ("reversal", "null-result", "negation", "self-report", "opposite", "null")


def motive(r: Reading) -> bool:
    if r.in_clause("self-report"):
        return False
    return r.governs("motive", 60) and not _outcome_after(r)


def motive_list(r: Reading) -> bool:
    """ "Reasons for use included pain (68%), anxiety (44%), ...": every item is a motive."""
    return not r.in_clause("self-report") and _list_of_motives(r)


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
        and not (text.startswith("to ", m.start) and _NOT_MOTIVE_AFTER.match(text, m.end))
    ]  # fmt: skip


_LIST_HEAD = re.compile(r"(reasons?|motives?|motivations?|purposes?|uses)\b")


def _list_of_motives(r: Reading) -> bool:
    """A motive that opens a list: "Reasons for use included pain (68%), anxiety (44%)"
    (a verb such as "used kratom to" heads a list only when many items follow)."""
    start, end = r.clause
    text = r.sentence.lower
    items = text.count(",", start, end) + text.count("(", start, end)
    for m in r.found.get("motive", ()):
        head = m.end == m.start or _LIST_HEAD.match(text, m.start) is not None
        # A noun head may open or close the list ("... were the leading reasons for use").
        if head and items >= 2:
            return True
        if start <= m.start <= start + 40 and text.count(",", m.end, end) >= 3:
            return True
    return False


def _outcome_after(r: Reading) -> bool:
    """How it went, said after the motive ("took it to come off heroin; most resumed"): an
    outcome cue after the subject that is not part of an evidence gap."""
    gaps = r.found.get("evidence-gap", ())
    first = r.subject[0].end
    said = [m.start for c in ("improvement", "outcome", "self-report") for m in r.found.get(c, ())]
    said += [s.start for s in r.subject]
    for cue in (*_OUTCOME_CUES, "outcome"):
        for m in r.found.get(cue, ()):
            if m.start < first or any(g.start <= m.start < g.end for g in gaps):
                continue
            # A negation is an outcome only when it bears on one: "none had stayed off
            # opioids", not "reported no other drugs".
            if cue == "negation" and not any(m.end <= w <= m.end + 40 for w in said):
                continue
            return True
    return False


def evidence_gap(r: Reading) -> bool:
    return r.in_clause("evidence-gap")


def beside_the_point(r: Reading) -> bool:
    """A claim that something is not known (long-term safety) is addressed only by text
    about that something: "long-term users" alone is a population, not a finding on it."""
    return r.kind == "unknown" and bool(r.claim.outcome) and not r.in_clause("outcome")


def explained(r: Reading) -> bool:
    return r.governs("explanation", 60)


def background(r: Reading) -> bool:
    return r.sentence.section == "background"


def advice(r: Reading) -> bool:
    return r.in_clause("recommendation") and not r.in_clause("result")


def relief_of_harm(r: Reading) -> bool:
    if _current(r, "reversal"):
        return False
    start, end = r.clause
    text = r.sentence.lower
    # The relief must be kratom's: "treated kratom withdrawal with buprenorphine" is not.
    kratom = [m.start for m in r.found.get("kratom", ()) if start <= m.start < end]
    others = [m for m in r.found.get("other-drug", ()) if start <= m.start < end]
    for m in r.found.get("relief", ()):
        if m.start < start or any(s.start <= m.start < s.end for s in r.subject):
            continue  # part of the symptom's own words ("decreased appetite")
        if others and not any(k < m.start for k in kratom):
            continue
        for s in r.subject:
            if s.start - 60 <= m.end <= s.start + 1 and r.reaches(m, s.start):
                return True
            # "reduced withdrawal scores, including jumping, shakes and diarrhoea": the list
            # runs on.
            if m.end <= s.start <= m.end + 200 and not _LIST_END.search(text, m.end, s.start):
                return True
    return False


def covariate(r: Reading) -> bool:
    return r.before_subject("covariate", 60)


def reversed_effect(r: Reading) -> bool:
    return _current(r, "reversal") or _current(r, "opposite")


# "X rather than Y": the reversal bears on what follows it, not on X.
_CONTRAST_FIRST = re.compile(r"rather than|instead of|far from")


def _current(r: Reading, cue: str) -> bool:
    """The cue in scope, and not the state before kratom ("aches that had kept her awake")."""
    if not r.in_scope(cue):
        return False
    text = r.sentence.lower
    first = r.subject[0].start
    return any(
        not _BEFORE.search(text, max(0, m.start - 20), m.start)
        and not (_CONTRAST_FIRST.match(text, m.start) and m.start > first)
        for m in r.found[cue]
    )


_BEFORE = re.compile(r"(\b(that|which) had|\bhad (previously|earlier|once|long|often|always))\s*$")


def null(r: Reading) -> bool:
    if r.near_subject("null") or (r.governs("motive", 60) and r.after_subject("null")):
        return True  # the claim's own words for no effect
    # A null phrase that is part of the claim's own outcome ("no respiratory depression",
    # for a safer alternative) is the claimed effect, not its absence.
    own = tuple(r.found.get("outcome", ()))
    found = r.near_subject("null-result", skip=own) or (
        r.governs("motive", 60) and r.after_subject("null-result")
    )
    return found and not _equivalent_to_a_drug(r)


def _equivalent_to_a_drug(r: Reading) -> bool:
    """ "Signs were as frequent after 7-OH as after morphine": no different from another
    active drug is equivalence to it, not a null result (a null needs placebo, controls,
    non-users or baseline as the comparison)."""
    start, end = r.clause
    if r.in_clause("comparator"):
        return False
    drugs = [m for m in r.found.get("other-drug", ()) if start <= m.start < end]
    return any(not any(s.start <= d.start < s.end for s in r.subject) for d in drugs)


def negated(r: Reading) -> bool:
    # For a harm or property the claim's own words negated deny it ("no insomnia"); for a
    # benefit, the improvement must be ("did not reduce craving"): "could not sleep" is a
    # symptom, not a failed benefit.
    if any(r.negates(s.start, 45, inability=r.kind != "benefit") for s in r.subject):
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


def topic_title(r: Reading) -> bool:
    # "Kratom for opioid withdrawal: a systematic review" names a topic; "Kratom worsened
    # insomnia: a case report" states a finding.
    if r.sentence.section != "title" or not _DESIGN_WORDS.search(r.sentence.lower):
        return False
    return not any(r.in_sentence(c) for c in ("result", "reversal", "null-result", "opposite"))


def low_harm(r: Reading) -> bool:
    return r.before_subject("low", 3)  # "low abuse liability", "negligible tolerance"


def no_improvement(r: Reading) -> bool:
    said = (
        r.in_scope("outcome") or r.in_scope("improvement") or r.in_scope("self-report")
    )  # fmt: skip
    if r.claim.outcome:
        return not said
    return r.kind == "benefit" and not said


def always(r: Reading) -> bool:
    return True
