"""Verdicts from hand labels beside verdicts from the tagger, per claim, for each dev corpus.

(a) gold: the corpus's labels (`-labels.csv`) and designs (`-records.csv`), graded by the
    rules in data/evidence.toml;
(b) tagger: `litwatch import <xml>` into a fresh database, then `litwatch report --format
    json` (the tagger's own tags and design grades).

Read (a) as a systematic reviewer would; (b) should mostly agree with it.

    python bench/verdicts_from_labels.py                 # every labelled corpus in data/corpus
    python bench/verdicts_from_labels.py --reasons       # with each verdict's reasons
    python bench/verdicts_from_labels.py --names blind-1 blind-2 --rules data/evidence.toml
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

from litwatch.claims.catalogue import Catalogue, load_catalogue
from litwatch.report.verdicts import (
    ClaimTerms,
    EvidenceRules,
    Verdict,
    evidence_from_rows,
    grade_claim,
    load_rules,
)
from litwatch.store import open_store

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus"


def _corpora(folder: Path) -> list[str]:
    return sorted(p.name.removesuffix("-labels.csv") for p in folder.glob("*-labels.csv"))


def _xml(folder: Path, name: str) -> Path:
    """A corpus's records: beside its labels, or the bundled sample (kratom-dev)."""
    here = folder / f"{name}.xml"
    return here if here.exists() else ROOT / "data" / "sample" / f"{name}.xml"


def _litwatch(*args: str | Path) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "litwatch", *map(str, args)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return done.stdout


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _gold_verdicts(
    corpus: Path, name: str, db: Path, catalogue: Catalogue, rules: EvidenceRules
) -> dict[str, Verdict]:
    """Grade each claim on the hand labels, with the hand-graded designs."""
    records = {int(r["pmid"]): r for r in _read_csv(corpus / f"{name}-records.csv")}
    with open_store(db) as store:
        meta = {int(r["pmid"]): r for r in store.article_rows()}
    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for label in _read_csv(corpus / f"{name}-labels.csv"):
        pmid = int(label["pmid"])
        record = meta[pmid]
        rows[label["claim_id"]].append(
            {
                **record,
                "stance": label["stance"],
                "sentence": label["evidence"],
                "section": "labelled",
                "design": records[pmid]["design"],
                "population": records[pmid]["population"],
                "retracted": records[pmid]["retracted"] == "yes",
            }
        )
    conflicts = dict(catalogue.conflicts) | {b: a for a, b in catalogue.conflicts}
    return {
        c.id: grade_claim(
            ClaimTerms(c.id, c.statement, c.category, c.kind, c.rare_event, conflicts.get(c.id)),
            evidence_from_rows(rows[c.id], rules, set()),
            rules,
        )
        for c in catalogue.claims
    }


def _cell(status: str, certainty: str | None) -> str:
    return f"{status} ({certainty})" if certainty else status


def _compare(name: str, gold: dict[str, Verdict], tagged: dict[str, Any], reasons: bool) -> int:
    print(f"\n## {name}\n")
    print(f"{'claim':<28} {'(a) gold labels':<28} {'(b) tagger':<28} agree")
    agree = 0
    for claim_id, g in gold.items():
        t = tagged[claim_id]
        same = g.status == t["status"]
        agree += same
        print(
            f"{claim_id:<28} {_cell(g.status, g.certainty):<28} "
            f"{_cell(t['status'], t['certainty']):<28} {'yes' if same else 'NO'}"
        )
        if reasons:
            print(f"    gold:   {g.reason}\n            {g.certainty_reason}")
            print(f"    tagger: {t['reason']}\n            {t['certainty_reason']}")
    print(f"\nstatus agrees on {agree}/{len(gold)} claims")
    return agree


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="folder of labelled corpora")
    parser.add_argument("--names", nargs="*", help="corpora to grade (default: all)")
    parser.add_argument("--rules", type=Path, default=ROOT / "data" / "evidence.toml")
    parser.add_argument("--reasons", action="store_true", help="print each verdict's reasons")
    args = parser.parse_args()
    catalogue = load_catalogue(ROOT / "data" / "claims.toml")
    rules = load_rules(args.rules)
    total = claims = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.names or _corpora(args.corpus):
            db = Path(tmp) / f"{name}.db"
            _litwatch("import", _xml(args.corpus, name), "--db", db)
            report = json.loads(
                _litwatch("report", "--format", "json", "--rules", args.rules, "--db", db)
            )
            tagged = {c["claim_id"]: c for c in report["claims"]}
            gold = _gold_verdicts(args.corpus, name, db, catalogue, rules)
            total += _compare(name, gold, tagged, args.reasons)
            claims += len(gold)
    print(f"\nall corpora: the tagger's verdicts agree with the labels' on {total}/{claims} claims")


if __name__ == "__main__":
    main()
