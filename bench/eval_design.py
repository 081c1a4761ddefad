"""Evaluate `grade_design` against the labelled dev corpora: design and population accuracy
per corpus, the design confusion, the errors of the corpora asked for, and the speed.

Errors are printed only for the corpora named with `--errors`, so that a rule tuned on one
corpus can be measured on the other before its errors are read (docs/claims.md).

    python bench/eval_design.py                        # accuracy, confusion, speed
    python bench/eval_design.py --errors kratom-dev2   # ... and that corpus's errors
    python bench/eval_design.py --corpus /path/x.xml   # another corpus (x-records.csv beside it)
"""

from __future__ import annotations

import argparse
import csv
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from litwatch.claims.design import DESIGNS, DesignGrade, grade_design
from litwatch.pubmed.parse import iter_articles_from_file

CORPORA = Path("/work/shared/corpus")
DEFAULT = ("kratom-dev", "kratom-dev2")
# The MeSH headings worth showing beside an error: the ones indexers use for designs.
_DESIGN_MESH = ("Studies", "Research", "Reporting", "Centers", "Groups", "Questionnaires", "Ecol")


@dataclass(frozen=True)
class Graded:
    pmid: int
    title: str
    publication_types: tuple[str, ...]
    mesh: tuple[str, ...]
    gold: DesignGrade
    got: DesignGrade
    inputs: tuple[str, str, tuple[str, ...], tuple[str, ...]]


def _xml_of(name: str) -> Path:
    path = Path(name)
    return path if path.suffix == ".xml" else CORPORA / f"{name}.xml"


def load_corpus(xml: Path) -> list[Graded]:
    with xml.with_name(f"{xml.stem}-records.csv").open(newline="") as f:
        gold = {
            int(r["pmid"]): DesignGrade(r["design"], r["population"]) for r in csv.DictReader(f)
        }
    out = []
    for article in iter_articles_from_file(xml):
        abstract = " ".join(s.text for s in article.abstract)
        mesh = tuple(m.descriptor for m in article.mesh)
        inputs = (article.title, abstract, article.publication_types, mesh)
        got = grade_design(*inputs)
        out.append(
            Graded(article.pmid, article.title, article.publication_types, mesh,
                   gold[article.pmid], got, inputs)
        )  # fmt: skip
    return out


def _accuracy(rows: list[Graded]) -> tuple[float, float]:
    design = sum(r.gold.design == r.got.design for r in rows) / len(rows)
    population = sum(r.gold.population == r.got.population for r in rows) / len(rows)
    return design, population


def print_confusion(rows: list[Graded]) -> None:
    pairs = Counter((r.gold.design, r.got.design) for r in rows if r.gold.design != r.got.design)
    print("  design errors, gold -> graded:")
    for (gold, got), n in pairs.most_common():
        print(f"    {n:3d}  {gold} -> {got}")


def print_errors(rows: list[Graded]) -> None:
    for r in rows:
        if r.gold == r.got:
            continue
        mesh = [m for m in r.mesh if any(k in m for k in _DESIGN_MESH)]
        print(
            f"  {r.pmid} gold {r.gold.design}/{r.gold.population} "
            f"got {r.got.design}/{r.got.population}\n    {r.title[:110]}\n"
            f"    types={list(r.publication_types)} mesh={mesh}"
        )


def records_per_second(rows: Iterable[Graded], passes: int = 20) -> float:
    # Best of several passes: the machine's speed drifts and noise only ever adds time.
    inputs = [r.inputs for r in rows]
    best = float("inf")
    for _ in range(passes):
        start = time.perf_counter()
        for args in inputs:
            grade_design(*args)
        best = min(best, time.perf_counter() - start)
    return len(inputs) / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", action="append", help="corpus name or XML path (repeatable)")
    parser.add_argument("--errors", action="append", default=[], help="print this corpus's errors")
    args = parser.parse_args()
    every: list[Graded] = []
    for name in args.corpus or DEFAULT:
        rows = load_corpus(_xml_of(name))
        every += rows
        design, population = _accuracy(rows)
        print(f"{name}: n={len(rows)} design {design:.3f} population {population:.3f}")
        print_confusion(rows)
        if name in args.errors:
            print_errors(rows)
    unknown = {r.got.design for r in every} - set(DESIGNS)
    if unknown:
        print(f"designs outside DESIGNS: {sorted(unknown)}")
    print(f"speed: {records_per_second(every):,.0f} records/s (best of 20 passes, one core)")


if __name__ == "__main__":
    main()
