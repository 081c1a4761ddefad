"""Benchmark: claim tagging (and design grading) on one core, in abstracts per second.

Input: the two labelled dev corpora (320 records, claim-dense by construction: nearly every
sentence names a claim's subject, the worst case for the tagger). The tagger keeps nothing
from one record to the next; the first pass is still timed on its own ("cold"), for the
interpreter's own warming up.

The machine's speed drifts by up to 2x within seconds, so each figure is given three ways:
- best pass: one pass over the distinct records, repeated; the quickest, as timeit reports
  (noise only ever adds time);
- median pass: the same passes' median, what a typical moment on this machine gives;
- sustained: N abstracts in one go, best of a few repeats (the figure this bench gave first).

    python bench/bench_tagging.py          # 5,000 abstracts, 5 repeats
    python bench/bench_tagging.py 20000 3
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from litwatch.claims.catalogue import load_catalogue
from litwatch.claims.design import grade_design
from litwatch.claims.tagger import Tagger
from litwatch.models import Article
from litwatch.pubmed.parse import iter_articles_from_file
from litwatch.workflows.tagging import tag_article

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
CATALOGUE = ROOT / "data" / "claims.toml"


def _seconds(work: list[Article], step: Callable[[Article], object]) -> float:
    start = time.perf_counter()
    for article in work:
        step(article)
    return time.perf_counter() - start


def _rates(
    records: list[Article], n: int, repeats: int, step: Callable[[Article], object]
) -> dict[str, int]:
    cold = len(records) / _seconds(records, step)
    passes = [len(records) / _seconds(records, step) for _ in range(max(1, n // len(records)))]
    work = [records[i % len(records)] for i in range(n)]
    sustained = n / min(_seconds(work, step) for _ in range(repeats))
    return {
        "cold_first_pass": round(cold),
        "best_pass": round(max(passes)),
        "median_pass": round(statistics.median(passes)),
        "sustained": round(sustained),
    }


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    records = [
        *iter_articles_from_file(ROOT / "data" / "sample" / "kratom-dev.xml"),
        *iter_articles_from_file(ROOT / "data" / "corpus" / "kratom-dev2.xml"),
    ]

    def tag_only(tagger: Tagger) -> Callable[[Article], object]:
        def step(a: Article) -> object:
            sections = [(s.label, s.category, s.text) for s in a.abstract]
            terms = " ".join([m.descriptor for m in a.mesh] + [*a.keywords, *a.chemicals])
            return tagger.tag_record(a.title, sections, terms, a.publication_types)

        return step

    def design_only(a: Article) -> object:
        abstract = " ".join(s.text for s in a.abstract)
        return grade_design(a.title, abstract, a.publication_types, [m.descriptor for m in a.mesh])

    def both(tagger: Tagger) -> Callable[[Article], object]:
        return lambda a: tag_article(tagger, a)

    result: dict[str, object] = {"abstracts": n, "distinct": len(records), "repeats": repeats}
    print(f"one core, {len(records)} distinct dev abstracts; abstracts/s:")
    print(f"{'':<16}{'cold pass':>11}{'best pass':>11}{'median pass':>13}{'sustained':>11}")
    for name, make in (
        ("tags", tag_only),
        ("design", lambda _: design_only),
        ("tags_and_design", both),
    ):
        # A new tagger for each, so that the cold pass is cold.
        rates = _rates(records, n, repeats, make(Tagger(load_catalogue(CATALOGUE))))
        result[name] = rates
        print(
            f"{name:<16}{rates['cold_first_pass']:>11,}{rates['best_pass']:>11,}"
            f"{rates['median_pass']:>13,}{rates['sustained']:>11,}"
        )
    tagger = Tagger(load_catalogue(CATALOGUE))
    result["tags_found"] = sum(len(tag_article(tagger, a).tags) for a in records)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "tagging.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
