"""Compare stored tags with a labels file (`pmid,claim_id,stance,...`): precision, recall and
F1 for (pmid, claim) pairs and (pmid, claim, stance) triples, per claim and overall, and the
confusion of stances. Pure: rows in, scores out."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from litwatch.errors import InputFileError

STANCES = ("supports", "contradicts", "mentions")
REQUIRED = {"pmid", "claim_id", "stance"}


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
class Evaluation:
    pairs: Score
    triples: Score
    per_claim: dict[str, tuple[Score, Score]]  # claim -> (pairs, triples)
    confusion: dict[
        tuple[str, str], int
    ]  # (gold stance, predicted stance) -> count, on shared pairs
    records: int


Label = tuple[int, str, str]  # pmid, claim, stance


def load_labels(path: Path) -> list[Label]:
    """A labels CSV of ../shared/corpus form; refuses one without pmid, claim_id, stance."""
    try:
        with path.open(newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            missing = REQUIRED - set(reader.fieldnames or [])
            if missing:
                raise InputFileError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
            out = []
            for line, row in enumerate(reader, start=2):
                if not row["pmid"].strip().isdigit() or row["stance"] not in STANCES:
                    raise InputFileError(f"{path}, line {line}: bad pmid or stance")
                out.append((int(row["pmid"]), row["claim_id"].strip(), row["stance"]))
            return out
    except FileNotFoundError:
        raise InputFileError(f"{path}: no such file") from None


def _score(gold: set[tuple[object, ...]], predicted: set[tuple[object, ...]]) -> Score:
    return Score(len(gold & predicted), len(predicted - gold), len(gold - predicted))


def evaluate_tags(gold: Iterable[Label], predicted: Iterable[Label], pmids: set[int]) -> Evaluation:
    """Scores over the records in `pmids` (those both labelled and stored)."""
    g = {t for t in gold if t[0] in pmids}
    p = {t for t in predicted if t[0] in pmids}
    g_pairs, p_pairs = {t[:2] for t in g}, {t[:2] for t in p}
    claims = sorted({t[1] for t in g | p})
    per_claim = {
        c: (
            _score({t for t in g_pairs if t[1] == c}, {t for t in p_pairs if t[1] == c}),
            _score({t for t in g if t[1] == c}, {t for t in p if t[1] == c}),
        )
        for c in claims
    }
    gold_stance = {t[:2]: t[2] for t in g}
    confusion = Counter((gold_stance[t[:2]], t[2]) for t in p if t[:2] in gold_stance)
    return Evaluation(
        pairs=_score(set(g_pairs), set(p_pairs)),
        triples=_score(set(g), set(p)),
        per_claim=per_claim,
        confusion=dict(confusion),
        records=len(pmids),
    )
