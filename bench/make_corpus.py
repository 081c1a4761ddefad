"""Make a large, realistic PubMed XML file for benchmarks.

Records are the bundled synthetic dev records (real PubMed structure, ~6 KB each, with
structured abstracts, MeSH, inline markup, MedlineDates), cycled with fresh PMIDs and
slightly varied titles so that no two are identical.

    python bench/make_corpus.py 100000 bench/out/corpus-100k.xml
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from lxml import etree

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample" / "kratom-dev.xml"
HEADER = (
    b'<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, '
    b'1st January 2019//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_190101.dtd">\n'
    b"<PubmedArticleSet>\n"
)


def templates() -> list[bytes]:
    tree = etree.parse(str(SAMPLE))
    return [etree.tostring(el, encoding="utf-8") for el in tree.getroot().iter("PubmedArticle")]


def make_corpus(count: int, out: Path) -> Path:
    records = templates()
    out.parent.mkdir(parents=True, exist_ok=True)
    pmid_re = re.compile(rb"<PMID Version=\"1\">\d+</PMID>")
    with out.open("wb") as f:
        f.write(HEADER)
        for i in range(count):
            rec = records[i % len(records)]
            pmid = 10_000_000 + i
            rec = pmid_re.sub(f'<PMID Version="1">{pmid}</PMID>'.encode(), rec, count=1)
            rec = rec.replace(
                b"</ArticleTitle>", f" ({i // len(records)})</ArticleTitle>".encode(), 1
            )
            f.write(rec)
            f.write(b"\n")
        f.write(b"</PubmedArticleSet>\n")
    return out


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(f"bench/out/corpus-{n // 1000}k.xml")
    print(make_corpus(n, target))
