"""Benchmark: how well `litwatch check` reads a writer's sentence, matcher against matcher.

Input: `bench/check_phrasings.csv`, sentences written for this bench (not taken from any
abstract or article): several plain paraphrases of each claim, negations of them, two-claim
sentences, sentences about another substance, and sentences about kratom that no claim is
about. Columns: text, expect (acceptable first matches, `|`-separated; empty when nothing
should match), polarity, group.

Arms:
- `before`: the matcher as it was at BEFORE (word overlap and subject patterns, no polarity:
  counted as asserting), loaded from git;
- `lexical`: `litwatch.claims.match` as it is (thesaurus, subject patterns, weighted words,
  polarity per clause);
- `embedding`: the same kratom gate and polarity, but the claim chosen by WordLlama's static
  embeddings (cosine similarity of the text and each statement, kratom's name left out of
  both, threshold EMBED_MIN). Runs when `wordllama` is installed (`pip install wordllama`);
  it is not a dependency of litwatch.

A first match counts as right when it is an expected claim with the expected polarity, or the
inverse claim with the opposite polarity (`no-hyperpigmentation` asserted is
`hyperpigmentation-risk` negated). Rows alternate into two halves: the lexical matcher was
tuned looking at its misses on the odd rows only; the even rows check that it generalises.

    python bench/bench_check.py             # the table
    python bench/bench_check.py --misses    # and every wrong reading, per arm
"""

from __future__ import annotations

import csv
import importlib.util
import os
import re
import subprocess
import sys
import time
import types
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from litwatch.claims.catalogue import Catalogue, load_catalogue
from litwatch.claims.match import CheckTextError, match_claims, polarity_of
from litwatch.claims.wording import normalise

ROOT = Path(__file__).resolve().parents[1]
PHRASINGS = ROOT / "bench" / "check_phrasings.csv"
BEFORE = "0b4a8de"  # main when this work began
EMBED_MIN = 0.2  # best of 0.0-0.5 on this set: no false match above it, fewest misses

Reader = Callable[[str], list[tuple[str, str]]]  # text -> [(claim_id, polarity)], best first


@dataclass(frozen=True)
class Row:
    text: str
    expect: tuple[str, ...]
    polarity: str
    group: str
    half: str


def load_rows() -> list[Row]:
    with PHRASINGS.open(encoding="utf-8", newline="") as f:
        return [
            Row(
                r["text"],
                tuple(filter(None, r["expect"].split("|"))),
                r["polarity"],
                r["group"],
                "odd" if i % 2 else "even",
            )
            for i, r in enumerate(csv.DictReader(f), 1)
        ]


def lexical(catalogue: Catalogue) -> Reader:
    def read(text: str) -> list[tuple[str, str]]:
        return [(m.claim.id, m.polarity) for m in match_claims(text, catalogue).matches]

    return read


def before(catalogue: Catalogue) -> Reader:
    source = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{BEFORE}:litwatch/claims/match.py"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    module = types.ModuleType("match_before")
    sys.modules[module.__name__] = module  # dataclasses look their module up
    exec(compile(source, "match_before.py", "exec"), module.__dict__)

    def read(text: str) -> list[tuple[str, str]]:
        return [(m.claim.id, "asserts") for m in module.match_claims(text, catalogue)]

    return read


def embedding(catalogue: Catalogue) -> Reader | None:
    if importlib.util.find_spec("wordllama") is None:
        return None
    import wordllama

    # WordLlama.load() looks for its tokenizer in a cache folder and downloads it; the package
    # ships it, so point the cache at the package and forbid downloads.
    model = wordllama.WordLlama.load(
        cache_dir=os.path.dirname(wordllama.__file__), disable_download=True
    )
    kratom = re.compile(r"\b(kratom|mitragyn\w*|7-hydroxymitragynine)\b")
    claims = list(catalogue.claims)
    statements = model.embed([kratom.sub("", normalise(c.statement)) for c in claims], norm=True)

    def read(text: str) -> list[tuple[str, str]]:
        plain = normalise(text)
        if not kratom.search(plain):
            return []
        sims = statements @ model.embed([kratom.sub("", plain)], norm=True)[0]
        best = int(sims.argmax())
        if sims[best] < EMBED_MIN:
            return []
        return [(claims[best].id, polarity_of(claims[best], plain, catalogue))]

    return read


def _right(row: Row, first: tuple[str, str] | None, inverse: dict[str, str]) -> bool:
    if first is None:
        return False
    claim, polarity = first
    if claim in row.expect:
        return polarity == row.polarity
    flipped = {"asserts": "negates", "negates": "asserts"}[row.polarity]
    return inverse.get(claim) in row.expect and polarity == flipped


def score(read: Reader, rows: list[Row], inverse: dict[str, str], misses: bool) -> list[str]:
    right = {"odd": 0, "even": 0}
    claim_right = false = extra = 0
    meant = [r for r in rows if r.expect]
    start = time.perf_counter()
    for row in rows:
        got = read(row.text)
        first = got[0] if got else None
        if not row.expect:
            false += bool(got)
            if got and misses:
                print(f"  false match: {row.text!r} -> {got}")
            continue
        ok = _right(row, first, inverse)
        right[row.half] += ok
        ids = {c for c, _ in got}
        claim_right += bool(first) and (
            first[0] in row.expect or inverse.get(first[0]) in row.expect
        )
        extra += len(ids - set(row.expect) - {inverse.get(e) for e in row.expect})
        if not ok and misses:
            print(f"  miss ({row.half}): {row.text!r} -> {got} (want {row.expect} {row.polarity})")
    ms = (time.perf_counter() - start) / len(rows) * 1000
    halves = {h: sum(r.half == h for r in meant) for h in ("odd", "even")}
    return [
        f"{sum(right.values())}/{len(meant)} ({sum(right.values()) / len(meant):.0%})",
        f"{right['odd']}/{halves['odd']}",
        f"{right['even']}/{halves['even']}",
        f"{claim_right}/{len(meant)}",
        f"{false}/{len(rows) - len(meant)}",
        str(extra),
        f"{ms:.2f}",
    ]


def main() -> None:
    misses = "--misses" in sys.argv
    catalogue = load_catalogue(ROOT / "data" / "claims.toml")
    rows = load_rows()
    inverse = {c.id: c.inverse_of for c in catalogue.claims if c.inverse_of}
    inverse |= {b: a for a, b in inverse.items()}
    head = ["matcher", "right (claim + polarity)", "odd half", "even half", "claim only",
            "false matches", "extra claims", "ms/sentence"]  # fmt: skip
    table = [head]
    for name, make in (("before", before), ("lexical", lexical), ("embedding", embedding)):
        read = make(catalogue)
        if read is None:
            print(f"{name}: not measured (pip install wordllama)")
            continue
        if misses:
            print(f"{name}:")
        table.append([name, *score(read, rows, inverse, misses)])
    groups = {g: sum(r.group == g for r in rows) for g in dict.fromkeys(r.group for r in rows)}
    print(f"{len(rows)} sentences: " + ", ".join(f"{n} {g}" for g, n in groups.items()))
    for line in table:
        print("| " + " | ".join(line) + " |")


if __name__ == "__main__":
    try:
        main()
    except CheckTextError as exc:
        sys.exit(f"a phrasing was refused: {exc}")
