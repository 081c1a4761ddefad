"""Benchmark: claim tagging (with design grading) on one core, in abstracts per second.

Input: the bundled dev records (claim-dense by construction: nearly every sentence names a
claim's subject, the worst case for the tagger), repeated to N abstracts. Nothing is cached
from one record to the next, so repetition does not flatter the number.

    python bench/bench_tagging.py          # 5,000 abstracts
    python bench/bench_tagging.py 20000
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from litwatch.claims.catalogue import load_catalogue
from litwatch.claims.tagger import Tagger
from litwatch.pubmed.parse import iter_articles_from_file
from litwatch.workflows.tagging import tag_article

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    records = list(iter_articles_from_file(ROOT / "data" / "sample" / "kratom-dev.xml"))
    tagger = Tagger(load_catalogue(ROOT / "data" / "claims.toml"))
    work = [records[i % len(records)] for i in range(n)]
    sentences = sum(1 + len(a.abstract) for a in work)
    start = time.perf_counter()
    tags = sum(len(tag_article(tagger, a).tags) for a in work)
    seconds = time.perf_counter() - start
    result = {
        "abstracts": n, "seconds": round(seconds, 2), "abstracts_per_s": round(n / seconds),
        "tags": tags, "sections_or_titles": sentences,
    }  # fmt: skip
    print(
        f"tagged {n} abstracts in {seconds:.2f} s: {n / seconds:.0f} abstracts/s on one core ({tags} tags)"
    )
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "tagging.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
