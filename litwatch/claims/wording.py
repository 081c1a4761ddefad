"""The plain language of writers, as `litwatch check` reads it: kratom's names, a thesaurus
from plain words to the catalogue's, the predicates of benefit and harm, negation, reversal
and uncertainty. General English, not one claim's: a claim added to the catalogue shares these
words when it shares their topic. Used by `litwatch.claims.match`.
"""

from __future__ import annotations

import re


def lower_regex(source: str) -> re.Pattern[str]:
    """A pattern for writers' text, whatever its letter case."""
    return re.compile(source, re.IGNORECASE)


KRATOM = lower_regex(
    r"(?<![\w-])(kratom\w*|ketum|kratum|krathom|mitragyn\w*|speciosa|7-?oh|"
    r"7-hydroxymitragynine|speciogynine|speciociliatine|paynantheine|corynantheidine)(?!\w)"
)
# Plain words and the catalogue's words for them, appended to the text before the claims'
# patterns run. General English, not one claim's: a new claim shares them when it shares the
# topic.
LAY = tuple(
    (lower_regex(pattern), words)
    for pattern, words in (
        (r"\bdetox\w*", "detoxification"),
        (r"\bdope[- ]?sick\w*|\bwithdrawing\b|\bcoming down\b", "withdrawal"),
        (r"\burges?\b|\bdesire\b|\blonging\b|\bhankering\b|\bcrave[sd]?\b", "craving"),
        (r"\bnervous\w*|\bworr(y|ies|ied)\b|\bpanic\w*|\bjitter\w*|\bon edge\b", "anxiety"),
        (r"\bsad(ness)?\b|\bhopeless\w*|\bthe blues\b|\bgloom\w*", "depression low mood"),
        (r"\basleep\b|\brestful\b|\bnight'?s rest\b", "sleep"),
        (r"\bawake\b|\bsleepless\w*|\bcan not sleep\b|\bdisrupt\w* (\w+ )?sleep", "insomnia"),
        (r"\b(bad|poor|broken) sleep\b|\bhard to (fall|stay) asleep\b", "insomnia"),
        (r"\baches?\b|\bsore\b|\bhurt\w*|\bpainkiller", "pain"),
        (r"\bpainkillers\b|\bpills\b|\bopiates\b", "opioids"),
        (r"\bget(ting)? off\b|\bkick(ing)?\b|\bcut(ting)? (down|back)\b", "stop"),
        (r"\bhooked\b|\bhabit[- ]forming\b|\bcompulsive\w*", "addiction dependence"),
        (r"\bdark(en\w*|er)?\b|\bdiscolou?r\w*|\bgr[ae]y\b|\bpigment\b", "discoloration"),
        (r"\bstomach\w*|\bgut\b|\bdigest\w*|\bnause\w*|\bqueas\w*|\bthrow(ing)? up\b", "nausea"),
        (r"\bbrain chemi\w*|\bneurochemi\w*", "neurotransmitter"),
        (r"\bsome (people|users)\b.{0,40}\bothers\b|\bdiffer\w*|\bunpredictab\w*", "varies"),
        (r"\bperson to person\b|\bindividual\w*|\bdifferent (people|users)\b", "varies"),
        (r"\b(stopping|quitting|coming off|going without) (kratom|it)\b", "kratom withdrawal"),
        (
            r"\b(many|several|for|over) (years|decades)\b|\b(years|decades) of\b|\bprolonged\b|\blong run\b",
            "long-term use",
        ),
        (r"\bsafe\b", "safety"),
        (r"\bmilder\b|\bless (risky|harmful|dangerous)\b|\bfewer side effects\b", "safer"),
    )
)
# Predicates of a benefit and of a harm: a claim's kind should agree with one of them.
BENEFIT = lower_regex(
    r"\b(help\w*|eas(e|es|ed|ing)|reliev\w*|relief|reduc\w*|lessen\w*|lower\w*|improv\w*|"
    r"treat\w*|aid\w*|alleviat\w*|calm\w*|sooth\w*|curb\w*|control\w*|manag\w*|lift\w*|"
    r"bright\w*|dampen\w*|dull\w*|quiet\w*|take\w* away|edge off|soften\w*|fade\w*|clear\w*|"
    r"even\w* out|good for|better|effective|works?|cur(e|es|ed)|fight\w*|counter\w*|"
    r"bearable|less|safer|gentler|milder|useful|benefit\w*|restful|relax\w*)\b"
)
HARM = lower_regex(
    r"\b(caus\w*|lead\w* to|led to|bring\w* on|trigger\w*|induc\w*|produc\w*|result\w* in|"
    r"linked|associated|risks?|side[- ]effects?|dark\w*|turn\w*|upset\w*|keep\w* \w+ awake|"
    r"disrupt\w*|hard to|trouble|problems?|develop\w*|hooked|addictive|dependen\w*|"
    r"nause\w*|harm\w*|toxic\w*|danger\w*|damag\w*)\b"
)
NEGATION = lower_regex(
    r"\b(not|no|never|nothing|none|neither|nor|without|fail\w* to|unable to|useless|"
    r"ineffective|no better than|no more than|far from)\b"
)
# Reverse a benefit ("makes withdrawal worse"); a harm that worsens is still a harm.
REVERSAL = lower_regex(
    r"\b(wors(e|en\w*)|aggravat\w*|exacerbat\w*|intensif\w*|heighten\w*|"
    r"more (dangerous|harmful|risky|toxic)|riskier|deadlier|as (dangerous|harmful|risky))\b"
)
# A claim that something is not known is asserted by these, and negated without them.
UNCERTAIN = lower_regex(
    r"\b(unknown|not (yet )?(be )?known|do(es)? not (yet )?know|nobody knows|no one knows|"
    r"unclear|uncertain\w*|not (been )?(established|studied|tested)|unstudied|untested|"
    r"little is known|poorly understood|remains? to be|lack\w* (of )?(data|evidence|studies)|"
    r"no (long-term )?(data|studies|evidence)|under-?studied|open question)\b"
)
# Clauses, as the tagger splits them, but "not yet" does not end one.
CLAUSE_SPLIT = lower_regex(r";|,? (but|whereas|while|although|though|however)\b|(?<!not) yet\b")
_CONTRACTIONS = ((re.compile(r"\b(can|won)'t\b"), r"\1 not"), (re.compile(r"n't\b"), " not"))
WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_STOP_WORDS = (
    "a an the of to and or in on for with by is are be been can could may might will would "
    "its it as at from that this which their there than these those such so also very some "
    "who do does did has have had into about over under more most less people use using "
    "used user users take taking taken make makes made rare cases case kratom including not "
    "no "
)
_STOP = frozenset(_STOP_WORDS.split())


def normalise(text: str) -> str:
    """Lower case, straight apostrophes, contractions spelled out, single spaces."""
    plain = text.lower().replace("’", "'").replace("‘", "'")
    for pattern, spelled in _CONTRACTIONS:
        plain = pattern.sub(spelled, plain)
    return " ".join(plain.replace("cannot", "can not").split())


def stem(word: str) -> str:
    """Inflections only ("cravings", "craving", "crave" alike): the subject patterns carry
    the derived forms, and cutting deeper made "regulators" a word of "regulates"."""
    word = re.sub(r"ies$", "y", word)
    for _ in range(2):
        word = re.sub(r"(?<=\w{3})(ing|ed|es|s|ly)$", "", word)
    return word.removesuffix("e")


def content_stems(text: str) -> set[str]:
    """A text's topic words: not stop words, and not predicates (BENEFIT, HARM), which say
    what is claimed of a topic rather than what it is."""
    words = WORD.findall(normalise(text))
    return {
        stem(w)
        for w in words
        if len(w) > 2 and w not in _STOP and not BENEFIT.fullmatch(w) and not HARM.fullmatch(w)
    }
