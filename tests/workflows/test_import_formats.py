"""`litwatch import` of MEDLINE (.nbib) files and PMID lists, and the refusal of anything else."""

from __future__ import annotations

import gzip
import json
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import cli
from tests.fake_eutils import FakeEutils
from tests.synthetic import make_record

# A MEDLINE record written for this test, laid out as PubMed's "Save, Format: PubMed" file.
NBIB = """\
PMID- 99999941
OWN - NLM
STAT- MEDLINE
LR  - 20240310
TI  - A made-up cohort of leaf tea drinkers and their sleep over two
      years.
AB  - BACKGROUND: Little is known. METHODS: We followed 80 kratom users for two
      years. RESULTS: Kratom use was associated with better sleep quality.
      CONCLUSIONS: More work is needed.
FAU - Odegard, Ase
AU  - Odegard A
FAU - Berg, Lena M
AU  - Berg LM
CN  - Leaf Study Group
LA  - eng
PT  - Journal Article
PT  - Retracted Publication
TA  - J Made-Up Stud
JT  - Journal of made-up studies
VI  - 12
IP  - 3
DP  - 2024 Mar
PG  - 145-52
LID - 10.0000/mus.2024.8 [doi]
MH  - Humans
MH  - *Sleep/drug effects
OT  - leaf tea
RN  - 0 (Mitragynine)
RIN - J Made-Up Stud. 2025;13(1):1. PMID: 99999949
EDAT- 2024/03/05 06:00

PMID- 99999942
OWN - NLM
STAT- In-Process
TI  - A second made-up record without an abstract.
FAU - Berg, Lena M
AU  - Berg LM
LA  - eng
PT  - Letter
TA  - J Made-Up Stud
JT  - Journal of made-up studies
DP  - 2025 Winter
"""


def _records(db: Path) -> dict[int, dict[str, object]]:
    result = cli("export", "records", "--format", "json", "--db", db)
    assert result.exit_code == 0, result.output
    return {r["pmid"]: r for r in json.loads(result.stdout)}


@pytest.mark.parametrize("name", ["pubmed-export.nbib", "pubmed-export.txt.gz"])
def test_a_medline_file_is_stored_parsed_and_tagged(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    data = NBIB.encode()
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    result = cli("import", path, "--db", "m.db")
    assert result.exit_code == 0, result.output
    assert "tag claims" not in result.output  # tagged while imported: no empty second bar
    records = _records(tmp_path / "m.db")
    assert sorted(records) == [99999941, 99999942]
    first = records[99999941]
    assert first["title"] == "A made-up cohort of leaf tea drinkers and their sleep over two years."
    assert (first["first_author"], first["year"], first["pub_date"]) == (
        "Odegard A",
        2024,
        "2024 Mar",
    )
    assert (first["doi"], first["retracted"]) == ("10.0000/mus.2024.8", True)
    assert first["mesh"] == ["Humans", "Sleep"]
    assert records[99999942]["pub_date"] == "2025 Winter"
    [ref] = json.loads(
        cli(
            "export", "citations", "--format", "csl-json", "--design", "cohort", "--db", "m.db"
        ).stdout
    )
    assert ref["author"][2] == {"literal": "Leaf Study Group"}
    assert (ref["volume"], ref["issue"], ref["page"]) == ("12", "3", "145-152")
    tags = json.loads(cli("export", "tags", "--format", "json", "--db", "m.db").stdout)
    assert [(t["claim_id"], t["stance"], t["section"]) for t in tags] == [
        ("sleep-improvement", "supports", "results")
    ]
    # What was stored is XML litwatch can parse again.
    assert cli("reparse", "--db", "m.db").exit_code == 0
    assert _records(tmp_path / "m.db") == records


def test_a_pmid_list_is_fetched_from_pubmed(eutils: FakeEutils, tmp_path: Path) -> None:
    eutils.add([make_record(4000 + i, title=f"Kratom study {i}.") for i in range(5)])
    listing = tmp_path / "pmids.txt"
    listing.write_text("4001\n4003\n4003\n4999\n")  # a repeat, and one PubMed lacks
    result = cli("import", listing, "--db", "p.db")
    assert result.exit_code == 0, result.output
    assert sorted(_records(tmp_path / "p.db")) == [4001, 4003]
    [fetch] = eutils.requests("efetch")
    assert fetch.params["id"] == "4001,4003,4999"
    with sqlite3.connect(tmp_path / "p.db") as conn:
        assert conn.execute("SELECT query, status, new FROM run").fetchall() == [
            ("import:pmids.txt", "ok", 2)
        ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("title,author\nA study,Someone\n", "not a format litwatch reads (PubMed XML .xml/.xml.gz, "
         "MEDLINE .nbib, or a list of PMIDs). On the PubMed website choose Save, Format: PubMed "
         "(or PMID); from E-utilities, efetch with retmode=xml"),
        ("4001\n4002x\n", "line 2: '4002x' is not a PMID"),
    ],
)  # fmt: skip
def test_anything_else_is_refused_before_anything_is_stored(
    tmp_path: Path, content: str, message: str
) -> None:
    good = tmp_path / "good.nbib"
    good.write_text(NBIB)
    bad = tmp_path / "bad.txt"
    bad.write_text(content)
    result = cli("import", good, bad, "--db", "x.db")
    assert result.exit_code != 0
    assert result.stderr == f"Error: {bad}: {message}\n"
    assert not (tmp_path / "x.db").exists()
