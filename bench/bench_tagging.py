"""Benchmark: claim tagging (and design grading) on one core, in abstracts per second.

Input: the bundled dev records (claim-dense by construction: nearly every sentence names a
claim's subject, the worst case for the tagger), repeated to N abstracts. Nothing is cached
from one record to the next, so repetition does not flatter the number. The machine's speed
drifts, so the work is timed several times and the best time kept (as timeit does).

    python bench/bench_tagging.py          # 5,000 abstracts, 5 repeats
    python bench/bench_tagging.py 20000 3
"""

from __future__ import annotations

import json
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


def _best(work: list[Article], step: Callable[[Article], object], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for article in work:
            step(article)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    records = list(iter_articles_from_file(ROOT / "data" / "sample" / "kratom-dev.xml"))
    tagger = Tagger(load_catalogue(ROOT / "data" / "claims.toml"))
    work = [records[i % len(records)] for i in range(n)]

    def tag_only(a: Article) -> object:
        sections = [(s.label, s.category, s.text) for s in a.abstract]
        terms = " ".join([m.descriptor for m in a.mesh] + [*a.keywords, *a.chemicals])
        return tagger.tag_record(a.title, sections, terms, a.publication_types)

    def design_only(a: Article) -> object:
        abstract = " ".join(s.text for s in a.abstract)
        return grade_design(a.title, abstract, a.publication_types, [m.descriptor for m in a.mesh])

    result: dict[str, object] = {"abstracts": n, "repeats": repeats}
    for name, step in (
        ("tags", tag_only),
        ("design", design_only),
        ("tags_and_design", lambda a: tag_article(tagger, a)),
    ):
        seconds = _best(work, step, repeats)
        result[name] = {"seconds": round(seconds, 3), "abstracts_per_s": round(n / seconds)}
        print(
            f"{name:<16} {n} abstracts in {seconds:.2f} s: {n / seconds:,.0f} abstracts/s on one core"
        )
    result["tags_found"] = sum(len(tag_article(tagger, a).tags) for a in work)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "tagging.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
