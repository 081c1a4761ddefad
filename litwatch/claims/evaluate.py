"""Compare stored tags with a labels file (`pmid,claim_id,stance,...`): precision, recall and
F1 for (pmid, claim) pairs and (pmid, claim, stance) triples, per claim and overall, the
confusion of stances, and every error with the rule that made it. Pure: rows in, scores out.

Only the claims the labels file covers are scored: a tag on a claim nobody labelled is neither
right nor wrong, and is counted apart. With a records file (`pmid,design,population,...`) every
record it lists is in scope (a tag on a record with no label is a false positive) and the
design and population grades are scored too.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from litwatch.errors import InputFileError

T = TypeVar("T")
STANCES = ("supports", "contradicts", "mentions")
REQUIRED = {"pmid", "claim_id", "stance"}
RECORD_COLUMNS = {"pmid", "design", "population"}


@dataclass(frozen=True)
class Score:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Predicted:
    """A stored tag, with the rule that decided it and its sentence."""

    pmid: int
    claim_id: str
    stance: str
    rule: str = ""
    sentence: str = ""


@dataclass(frozen=True)
class Error:
    """One disagreement between the tags and the labels."""

    pmid: int
    claim_id: str
    label: str | None  # None: the record is not labelled with this claim
    tag: str | None  # None: no tag
    rule: str  # the rule behind the tag ("" for a missed label)
    sentence: str

    @property
    def kind(self) -> str:
        if self.tag is None:
            return "missed"
        return "spurious" if self.label is None else "wrong stance"


@dataclass(frozen=True)
class Evaluation:
    pairs: Score
    triples: Score
    per_claim: dict[str, tuple[Score, Score]]  # claim -> (pairs, triples)
    confusion: dict[tuple[str, str], int]  # (label, tag) -> count, on shared pairs
    records: int
    errors: tuple[Error, ...]
    unscored: dict[str, int]  # claims the labels file does not cover -> their tags in scope
    design: tuple[int, int] | None = None  # (right, graded) when a records file is given
    population: tuple[int, int] | None = None
    against: str = "labels"  # what the tags were scored against: "labels" or "reviews"

    def as_dict(self) -> dict[str, object]:
        """The evaluation as plain data (`litwatch eval --format json`)."""

        def score(s: Score) -> dict[str, float | int]:
            return {"precision": round(s.precision, 4), "recall": round(s.recall, 4),
                    "f1": round(s.f1, 4), "tp": s.tp, "fp": s.fp, "fn": s.fn}  # fmt: skip

        return {
            "records": self.records,
            "pairs": score(self.pairs),
            "triples": score(self.triples),
            "per_claim": {
                c: {"pairs": score(p), "triples": score(t)} for c, (p, t) in self.per_claim.items()
            },
            "confusion": [
                {"label": g, "tag": p, "count": n} for (g, p), n in sorted(self.confusion.items())
            ],
            "errors_by_kind": dict(self.errors_by_kind()),
            "errors": [
                {
                    "pmid": e.pmid,
                    "claim_id": e.claim_id,
                    "label": e.label,
                    "tag": e.tag,
                    "kind": e.kind,
                    "rule": e.rule,
                    "sentence": e.sentence,
                }
                for e in self.errors
            ],
            "unscored": self.unscored,
            "design": _share(self.design),
            "population": _share(self.population),
        }

    def errors_by_kind(self) -> Counter[str]:
        return Counter(e.kind for e in self.errors)

    def errors_by_rule(self) -> Counter[tuple[str, str]]:
        """(rule, kind) -> count, for the errors a rule made (spurious or wrong stance)."""
        return Counter((e.rule or "?", e.kind) for e in self.errors if e.tag is not None)


def _share(graded: tuple[int, int] | None) -> dict[str, int] | None:
    return None if graded is None else {"right": graded[0], "graded": graded[1]}


Label = tuple[int, str, str]  # pmid, claim, stance


def _rows(path: Path, required: set[str]) -> list[dict[str, str]]:
    try:
        with path.open(newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            missing = required - set(reader.fieldnames or [])
            if missing:
                raise InputFileError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
            return list(reader)
    except FileNotFoundError:
        raise InputFileError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise InputFileError(f"{path}: not UTF-8 text") from None


def load_labels(path: Path) -> list[Label]:
    """A labels CSV of ../shared/corpus form; refuses one without pmid, claim_id, stance."""
    out = []
    seen: dict[tuple[int, str], int] = {}
    for line, row in enumerate(_rows(path, REQUIRED), start=2):
        if not row["pmid"].strip().isdigit() or row["stance"] not in STANCES:
            raise InputFileError(f"{path}, line {line}: bad pmid or stance")
        key = (int(row["pmid"]), row["claim_id"].strip())
        if key in seen:  # which of the two is meant cannot be guessed
            raise InputFileError(
                f"{path}, line {line}: a second label for PMID {key[0]} and claim {key[1]} "
                f"(the first is on line {seen[key]})"
            )
        seen[key] = line
        out.append((*key, row["stance"]))
    return out


def load_record_grades(path: Path) -> dict[int, tuple[str, str]]:
    """A records CSV (`pmid,design,population,...`): pmid -> (design, population)."""
    out = {}
    for line, row in enumerate(_rows(path, RECORD_COLUMNS), start=2):
        if not row["pmid"].strip().isdigit():
            raise InputFileError(f"{path}, line {line}: bad pmid")
        if int(row["pmid"]) in out:
            raise InputFileError(f"{path}, line {line}: PMID {row['pmid'].strip()} again")
        out[int(row["pmid"])] = (row["design"].strip(), row["population"].strip())
    return out


def _score(gold: set[T], predicted: set[T]) -> Score:
    return Score(len(gold & predicted), len(predicted - gold), len(gold - predicted))


def _errors(
    gold: dict[tuple[int, str], str], tags: dict[tuple[int, str], Predicted]
) -> list[Error]:
    out = []
    for key in sorted(set(gold) | set(tags)):
        label, tag = gold.get(key), tags.get(key)
        if tag is None:
            out.append(Error(*key, label, None, "", ""))
        elif label != tag.stance:
            out.append(Error(*key, label, tag.stance, tag.rule, tag.sentence))
    return out


def _per_claim(
    gold: dict[tuple[int, str], str], tags: dict[tuple[int, str], str]
) -> dict[str, tuple[Score, Score]]:
    out = {}
    for claim in sorted({c for _, c in gold} | {c for _, c in tags}):
        g = {(k, s) for k, s in gold.items() if k[1] == claim}
        p = {(k, s) for k, s in tags.items() if k[1] == claim}
        out[claim] = (_score({k for k, _ in g}, {k for k, _ in p}), _score(g, p))
    return out


def evaluate_tags(
    gold: Iterable[Label],
    predicted: Iterable[Predicted],
    pmids: set[int],
    grades: Mapping[int, tuple[str, str]] | None = None,
    expected: Mapping[int, tuple[str, str]] | None = None,
    covered: set[str] | None = None,
    against: str = "labels",
) -> Evaluation:
    """Scores over the records in `pmids`, on the claims the labels cover (or `covered`).
    `expected` (from a records file) and `grades` (stored) score the design and population of
    those records."""
    labels = {(p, c): s for p, c, s in gold if p in pmids}
    if covered is None:
        covered = {c for _, c in labels}
    in_scope = [t for t in predicted if t.pmid in pmids]
    tags = {(t.pmid, t.claim_id): t for t in in_scope if t.claim_id in covered}
    stances = {k: t.stance for k, t in tags.items()}
    confusion = Counter((labels[k], s) for k, s in stances.items() if k in labels)
    design = population = None
    if expected is not None and grades is not None:
        graded = [p for p in expected if p in pmids and p in grades]
        design = (sum(grades[p][0] == expected[p][0] for p in graded), len(graded))
        population = (sum(grades[p][1] == expected[p][1] for p in graded), len(graded))
    return Evaluation(
        pairs=_score(set(labels), set(stances)),
        triples=_score(set(labels.items()), set(stances.items())),
        per_claim=_per_claim(labels, stances),
        confusion=dict(confusion),
        records=len(pmids),
        errors=tuple(_errors(labels, tags)),
        unscored=dict(Counter(t.claim_id for t in in_scope if t.claim_id not in covered)),
        design=design,
        population=population,
        against=against,
    )
