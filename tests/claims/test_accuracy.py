"""The tagger's accuracy on every labelled corpus in data/corpus, measured as a
user would (import, then `litwatch eval --records`), held at or above what the README reports.
Every corpus is synthetic records written for this project; see data/corpus/LABELING.md."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import REPO, SAMPLE, SHARED, cli, needs_shared

CORPUS = REPO / "data" / "corpus"
# (xml, pair F1, triple F1, design, population, records): the README's figures, rounded down.
FLOORS = {
    "kratom-dev": (SAMPLE, 0.95, 0.93, 0.95, 0.95, 160),
    "kratom-dev2": (CORPUS / "kratom-dev2.xml", 0.95, 0.89, 0.95, 0.95, 160),
    "blind-1": (CORPUS / "blind-1.xml", 0.96, 0.92, 0.95, 0.92, 40),
    "blind-2": (CORPUS / "blind-2.xml", 0.93, 0.90, 0.97, 0.97, 40),
    "blind-3": (CORPUS / "blind-3.xml", 0.95, 0.92, 0.95, 0.95, 45),
    "blind-4": (CORPUS / "blind-4.xml", 0.97, 0.93, 0.97, 0.97, 45),
    "final-5": (CORPUS / "final-5.xml", 0.91, 0.82, 0.97, 0.97, 50),
}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_tagger_accuracy_holds_on_the_labelled_corpora(name: str, tmp_path: Path) -> None:
    xml, pair_f1, triple_f1, design, population, records = FLOORS[name]
    db = tmp_path / f"{name}.db"
    assert cli("import", xml, "--db", db).exit_code == 0
    result = cli(
        "eval", CORPUS / f"{name}-labels.csv", "--records", CORPUS / f"{name}-records.csv",
        "--format", "json", "--db", db,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["records"] == records and not scores["unscored"]
    assert scores["pairs"]["f1"] >= pair_f1
    assert scores["triples"]["f1"] >= triple_f1
    assert scores["design"]["right"] / scores["design"]["graded"] >= design
    assert scores["population"]["right"] / scores["population"]["graded"] >= population


def test_eval_counts_claims_it_cannot_score_apart(tmp_path: Path) -> None:
    labels = tmp_path / "labels.csv"
    labels.write_text(
        "pmid,claim_id,stance\n99000001,withdrawal-relief,supports\n99000002,pain-relief,mentions\n"
    )
    db = tmp_path / "dev.db"
    assert cli("import", SAMPLE, "--db", db).exit_code == 0
    result = cli("eval", labels, "--errors", "--db", db)
    assert result.exit_code == 0, result.output
    assert "Tags against labels (2 records)" in result.output
    assert "not scored (the labels file has no such claim): " in result.output
    assert "Errors by class" in result.output and "Errors by the rule" in result.output
    data = json.loads(cli("eval", labels, "--format", "json", "--db", db).stdout)
    assert set(data["per_claim"]) <= {"withdrawal-relief", "pain-relief"}
    assert data["unscored"] and "withdrawal-relief" not in data["unscored"]
    assert all(e["kind"] in ("missed", "spurious", "wrong stance") for e in data["errors"])


def test_eval_refuses_a_records_file_without_its_columns(tmp_path: Path) -> None:
    records = tmp_path / "records.csv"
    records.write_text("pmid,notes\n1,x\n")
    labels = tmp_path / "labels.csv"
    labels.write_text("pmid,claim_id,stance\n1,pain-relief,supports\n")
    result = cli("eval", labels, "--records", records, "--db", tmp_path / "x.db")
    assert result.exit_code != 0
    assert result.stderr.strip() == f"Error: {records}: missing column(s) design, population"


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("1,pain-relief,supports\n1,pain-relief,mentions\n",
         "labels.csv, line 3: a second label for PMID 1 and claim pain-relief (the first is on line 2)"),
        ("1,pain-relief,supports\n1,liver-injury,supports\n",
         f"labels.csv: claim(s) not in {REPO / 'data' / 'claims.toml'}: liver-injury (fix the labels, or add the "
         "claims to the catalogue)"),
    ],
)  # fmt: skip
def test_eval_refuses_labels_it_would_score_wrongly(
    tmp_path: Path, rows: str, message: str
) -> None:
    (tmp_path / "labels.csv").write_text("pmid,claim_id,stance\n" + rows)
    result = cli("eval", "labels.csv", "--db", tmp_path / "x.db")
    assert result.exit_code != 0
    assert result.stderr.strip() == f"Error: {message}"


@needs_shared()
@pytest.mark.parametrize(
    "name",
    ["kratom-dev-labels.csv", "kratom-dev-records.csv", "kratom-dev2.xml",
     "kratom-dev2-labels.csv", "kratom-dev2-records.csv", "LABELING.md"],
)  # fmt: skip
def test_bundled_corpus_files_are_the_shared_ones(name: str) -> None:
    assert (CORPUS / name).read_bytes() == (SHARED / name).read_bytes()


@needs_shared()
def test_bundled_sample_is_the_shared_dev_corpus() -> None:
    assert SAMPLE.read_bytes() == (SHARED / "kratom-dev.xml").read_bytes()
