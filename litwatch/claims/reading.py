"""One sentence read for one claim (`Reading`): where the claim's subject and every cue of the
tagger's language stand, and how far a cue reaches. The rules (`rules.py`) ask it questions;
it holds no state beyond the sentence. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from litwatch.claims.catalogue import Claim
from litwatch.claims.phrases import Match
from litwatch.claims.text import Sentence

_LIST = re.compile(r"(?=.*(,| or ))[\w\s,()%'-]*")
_ASIDE = re.compile(r"\s*(\([^()]*\))?,?\s*")
# What stops a cue after the claim's words from bearing on them.
_LINKED = re.compile(
    r"[;:,]|\bbut\b|\bwhereas\b|\bwhile\b|\band (no|not|none|the|a|an|its|their|\d)"
)
_INABILITY = re.compile(r"could ?n[o']t|can ?n[o']t|unable to|inability to")
# Where a negation stops reaching: "without a week of misery, with broken sleep".
_SCOPE_END = re.compile(
    r"[;:]|, (with|and|but|although|whereas|while|which|who)\b|\bbut\b|,\s+\w+ed\b"
    r"|\band (caused|produced|led|resulted|increased|induced|was|were|had|showed|attenuated|"
    r"reduced|decreased|prevented|blocked|improved|abolished|relieved|eased)\b"
)


@dataclass(frozen=True)
class Reading:
    """One sentence read for one claim: everything the rules decide from."""

    claim: Claim
    sentence: Sentence
    clause: tuple[int, int]  # where the clause carrying the claim's subject stands
    subject: tuple[Match, ...]  # the claim's subject in that clause
    found: dict[str, list[Match]] = field(repr=False)  # cue (or claim phrase) -> matches
    # What the record is about, by its title: "drug" (another drug, kratom not named),
    # "treatment" (opens with another drug, names kratom: "Buprenorphine for kratom
    # withdrawal"), or "" (kratom).
    other_drug_record: str = ""
    review: bool = False  # the record is a review: what it says others found is its finding

    @property
    def kind(self) -> str:
        return self.claim.kind

    def in_sentence(self, cue: str) -> bool:
        return bool(self.found.get(cue))

    def in_clause(self, cue: str) -> bool:
        start, end = self.clause
        return any(start <= m.start < end for m in self.found.get(cue, ()))

    def before_subject(self, cue: str, window: int = 60) -> bool:
        """A match of the cue ending at most `window` characters before the claim's subject,
        within its clause (how far a negation or a motive reaches)."""
        start = self.clause[0]
        for s in self.subject:
            if any(start <= m.start and s.start - window <= m.end <= s.start + 1
                   for m in self.found.get(cue, ())):  # fmt: skip
                return True
        return False

    def opens_clause(self, cue: str) -> bool:
        """The cue stands among the first words of the clause ("Reasons for use included
        pain, ...", "Vendors claim that ..."): it governs all of it."""
        start, _end = self.clause
        return any(start <= m.start <= start + 40 for m in self.found.get(cue, ()))

    def governs(self, cue: str, window: int) -> bool:
        """The cue reaches every mention of the claim's subject in its clause: it opens the
        clause, or stands at most `window` characters before each mention, with nothing
        between them that ends its reach."""
        if self.opens_clause(cue):
            return True
        start, end = self.clause
        matches = [m for m in self.found.get(cue, ()) if start <= m.start < end]
        return bool(matches) and all(
            any((s.start - window <= m.end <= s.start + 1 and self.reaches(m, s.start))
                or m.start <= s.start < m.end for m in matches)
            for s in self.subject
        )  # fmt: skip

    def reaches(self, m: Match, target: int) -> bool:
        """Nothing between a cue and a later position ends the cue's reach (a semicolon, a
        colon, a comma opening a new phrase, "but")."""
        return not _SCOPE_END.search(self.sentence.lower, m.end, max(m.end, target))

    def negates(self, target_start: int, window: int, inability: bool = True) -> bool:
        """A negation shortly before a position, within its reach, and not itself part of
        the claim's words for the outcome ("had not taken any opioid since"). Without
        `inability`, "could not", "unable to" do not count: "could not sleep" is a symptom
        (insomnia), not sleep failing to improve."""
        own = [
            *self.found.get("outcome", ()),
            *self.subject,
            *self.found.get("kratom-withdrawal", ()),
        ]
        text = self.sentence.lower
        for m in self.found.get("negation", ()):
            if any(o.start <= m.start < o.end for o in own):
                continue  # part of the claim's own words ("no bowel movement for 9 days")
            if not inability and _INABILITY.search(text, max(0, m.start - 6), m.end + 4):
                continue
            near = target_start - window <= m.end <= target_start + 1
            # "No participant reported constipation, nausea or sleep disturbance": a list
            # after the negation stays in its reach.
            listed = target_start - 100 <= m.end <= target_start + 1 and bool(
                _LIST.fullmatch(text, m.end, target_start)
            )
            if self.clause[0] <= m.start and (near or listed) and self.reaches(m, target_start):
                return True
        return False

    def in_scope(self, cue: str) -> bool:
        """The cue bears on the claim's finding: in its clause or, when the subject sits in a
        motive ("took it to help them sleep, but it kept them awake"), anywhere after it."""
        if self.in_clause(cue):
            return True
        return self.governs("motive", 60) and self.after_subject(cue)

    def near_subject(
        self, cue: str, before: int = 120, after: int = 80, skip: tuple[Match, ...] = ()
    ) -> bool:
        """A match of the cue close to the claim's subject, within reach of it: before it,
        or after it with no "and" or comma between (in "modest abuse potential and no
        evidence of respiratory depression" the null is not about abuse potential).
        Matches inside `skip` do not count."""
        text = self.sentence.lower
        for s in self.subject:
            for m in self.found.get(cue, ()):
                if any(k.start <= m.start < k.end for k in skip):
                    continue
                if s.start - before <= m.end <= s.start + 1 and self.reaches(m, s.start):
                    return True
                # A short aside may come between: "sleep quality (PSQI), showed no ...".
                aside = m.start - s.end <= 12 and _ASIDE.fullmatch(text, s.end, m.start)
                linked = _LINKED.search(text, s.end, m.end) and not aside
                if s.end <= m.start <= s.end + after and not linked:
                    return True
                if m.start <= s.start < m.end or s.start <= m.start < s.end:
                    return True
        return False

    def after_subject(self, *cues: str) -> bool:
        """One of the cues follows the claim's subject in the sentence."""
        first = self.subject[0].end
        return any(m.start >= first for cue in cues for m in self.found.get(cue, ()))
