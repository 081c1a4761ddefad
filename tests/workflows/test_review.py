"""`litwatch review` through the CLI: the CSV round-trip, the interactive loop, reviews
winning over the tagger and surviving re-tagging, shown in report, check and export, and
`eval --reviews`."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from litwatch.cli import app
from tests.conftest import QUERIES, REPO, cli

DB = "data/sample.db"


@pytest.fixture
def sample_db(tmp_path: Path) -> Path:
    assert cli("run", "--sample", "--queries", QUERIES).exit_code == 0
    return tmp_path / DB


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _tags(*args: str) -> dict[tuple[str, str], dict[str, str]]:
    result = cli("export", "tags", "--db", DB, *args)
    assert result.exit_code == 0, result.output
    return {(r["pmid"], r["claim_id"]): r for r in _csv(result.stdout)}


def _reviews(db: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT pmid, claim_id, stance, sentence, note, reviewer FROM review ORDER BY id"
        ).fetchall()


def _edited(tmp_path: Path) -> tuple[Path, list[dict[str, str]]]:
    assert cli("review", "--export", "reviews.csv", "--db", DB).exit_code == 0
    rows = _csv((tmp_path / "reviews.csv").read_text(encoding="utf-8-sig"))
    assert {"pmid", "claim_id", "stance", "sentence", "reviewed"} <= set(rows[0])
    assert {r["reviewed"] for r in rows} == {"false"}
    finding = next(i for i, r in enumerate(rows) if r["stance"] == "supports")
    rows[finding]["stance"] = "contradicts"
    rows[finding + 1]["stance"] = "none"
    rows[finding + 2]["reviewed"] = "true"
    tagged = {(r["pmid"], r["claim_id"]) for r in rows}
    pmid = rows[finding + 3]["pmid"]
    missing = next(
        c for c in ("skin-benefit", "pain-relief", "insomnia-risk") if (pmid, c) not in tagged
    )
    added = {k: "" for k in rows[0]} | {
        "pmid": pmid,
        "claim_id": missing,
        "stance": "supports",
        "sentence": rows[finding + 3]["sentence"],  # it must stand in the record
    }
    edited = [*rows, added]
    _write(tmp_path / "reviews.csv", edited)
    return tmp_path / "reviews.csv", [rows[finding], rows[finding + 1], rows[finding + 2], added]


def test_csv_round_trip_stores_what_changed_and_export_tags_shows_it(
    tmp_path: Path, sample_db: Path
) -> None:
    path, (changed, dropped, accepted, added) = _edited(tmp_path)
    result = cli("review", "--import", path, "--reviewer", "Dr Example", "--db", DB)
    assert result.exit_code == 0, result.output
    assert "Stored 1 changed, 1 dropped, 1 added and 1 accepted tag(s)" in result.output
    assert {r[5] for r in _reviews(sample_db)} == {"Dr Example"}
    tags = _tags()
    row = tags[(changed["pmid"], changed["claim_id"])]
    assert (row["stance"], row["reviewed"], row["tagger_stance"]) == (
        "contradicts",
        "true",
        "supports",
    )
    assert (dropped["pmid"], dropped["claim_id"]) not in tags
    assert tags[(accepted["pmid"], accepted["claim_id"])]["reviewed"] == "true"
    new = tags[(added["pmid"], added["claim_id"])]
    assert (new["stance"], new["sentence"], new["tagger_stance"]) == (
        "supports",
        added["sentence"],
        "",
    )
    untouched = [r for r in tags.values() if r["reviewed"] == "false"]
    assert len(untouched) == len(tags) - 3
    again = cli("review", "--import", path, "--db", DB)  # nothing new in the same file
    assert "Stored 0 changed, 0 dropped, 0 added and 0 accepted" in again.output
    assert len(_reviews(sample_db)) == 4


def test_reviews_survive_retagging_under_a_new_catalogue(tmp_path: Path, sample_db: Path) -> None:
    path, (changed, *_rest) = _edited(tmp_path)
    assert cli("review", "--import", path, "--db", DB).exit_code == 0
    catalogue = tmp_path / "claims.toml"
    shutil.copy(REPO / "data" / "claims.toml", catalogue)
    with catalogue.open("a") as f:
        f.write("\n# edited: a new catalogue version, so every record is tagged again\n")
    with sqlite3.connect(sample_db) as conn:
        before = conn.execute("SELECT DISTINCT catalogue_version FROM claim_tag").fetchall()
    tags = _tags("--claims", str(catalogue))
    with sqlite3.connect(sample_db) as conn:
        assert conn.execute("SELECT DISTINCT catalogue_version FROM claim_tag").fetchall() != before
    row = tags[(changed["pmid"], changed["claim_id"])]
    assert (row["stance"], row["reviewed"]) == ("contradicts", "true")


def test_report_and_check_count_and_mark_reviewed_evidence(tmp_path: Path, sample_db: Path) -> None:
    path, (changed, *_rest) = _edited(tmp_path)
    assert cli("review", "--import", path, "--db", DB).exit_code == 0
    body = json.loads(cli("report", "--format", "json", "--db", DB).stdout)
    claim = next(c for c in body["claims"] if c["claim_id"] == changed["claim_id"])
    assert claim["reviewed"] >= 1
    marked = [e for e in claim["evidence"] + claim["retracted"] if e["reviewed"]]
    assert any(e["pmid"] == int(changed["pmid"]) and e["stance"] == "contradicts" for e in marked)
    table = cli("report", "--claim", changed["claim_id"], "--db", DB)
    assert "reviewed" in table.output and f"{claim['reviewed']}/" in table.output
    markdown = cli("report", "--format", "markdown", "--db", DB).stdout
    assert "| reviewed |" in markdown


def test_interactive_review_stores_each_answer_with_who_and_a_note(sample_db: Path) -> None:
    answers = "a\n\nd\nnot about this claim\nn\nq\n"
    result = CliRunner().invoke(
        app, ["review", "--claim", "pain-relief", "--reviewer", "R1", "--db", DB], input=answers
    )
    assert result.exit_code == 0, result.output
    assert "Stored 2 review(s) by R1." in result.output
    stored = _reviews(sample_db)
    assert [(r[1], r[4], r[5]) for r in stored] == [
        ("pain-relief", "", "R1"),
        ("pain-relief", "not about this claim", "R1"),
    ]
    assert stored[1][2] == "none"
    # Reviewed tags are not asked again unless --all.
    second = CliRunner().invoke(app, ["review", "--claim", "pain-relief", "--db", DB], input="q\n")
    assert f"PMID {stored[0][0]}" not in second.output


def test_a_bad_review_file_stores_nothing(tmp_path: Path, sample_db: Path) -> None:
    path, _ = _edited(tmp_path)
    rows = _csv(path.read_text(encoding="utf-8-sig"))
    rows[3]["stance"] = "suports"
    _write(path, rows)
    result = cli("review", "--import", path, "--db", DB)
    assert result.exit_code != 0
    assert result.output.startswith(f"Error: {path} line 5: unknown stance 'suports'")
    assert _reviews(sample_db) == []


def test_eval_reviews_scores_the_tagger_on_what_people_decided(
    tmp_path: Path, sample_db: Path
) -> None:
    assert cli("eval", "--reviews", "--db", DB).exit_code != 0  # nothing reviewed yet
    path, _ = _edited(tmp_path)
    assert cli("review", "--import", path, "--db", DB).exit_code == 0
    result = cli("eval", "--reviews", "--format", "json", "--db", DB)
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    # accepted: right; changed stance: a wrong triple; dropped: a false pair; added: a miss.
    assert (scores["pairs"]["tp"], scores["pairs"]["fp"], scores["pairs"]["fn"]) == (2, 1, 1)
    assert (scores["triples"]["tp"], scores["triples"]["fp"], scores["triples"]["fn"]) == (1, 2, 2)


def _drop_all(claim: str, tmp_path: Path) -> list[dict[str, str]]:
    """Review every tag of `claim` as `none` (through the CSV), returning the rows dropped
    (with the stance they had)."""
    assert cli("review", "--export", "all.csv", "--claim", claim, "--db", DB).exit_code == 0
    rows = _csv((tmp_path / "all.csv").read_text(encoding="utf-8-sig"))
    had = [dict(r) for r in rows]
    for row in rows:
        row["stance"] = "none"
    _write(tmp_path / "all.csv", rows)
    result = cli("review", "--import", "all.csv", "--db", DB)
    assert result.exit_code == 0, result.output
    return had


def test_reviews_between_runs_reach_the_next_digest_named_as_reviews(
    tmp_path: Path, sample_db: Path
) -> None:
    dropped = _drop_all("craving-reduction", tmp_path)
    week2 = REPO / "data" / "sample" / "kratom-week2.xml"
    result = cli("run", "--sample", "--from", week2, "--queries", QUERIES)
    assert result.exit_code == 0, result.output  # a tag gone since "before" is no crash
    data = json.loads(cli("digest", "--format", "json", "--db", DB).stdout)
    change = next(c for c in data["claims_changed"] if c["claim_id"] == "craving-reduction")
    assert change["to"] == "no-evidence"
    findings = {int(r["pmid"]) for r in dropped if r["stance"] in ("supports", "contradicts")}
    assert sorted(change["by_review"]) == sorted(findings)  # the findings decided the status
    assert "by review:" in cli("digest", "--db", DB).output


def test_eval_reviews_counts_a_dropped_tag_as_a_false_positive(
    tmp_path: Path, sample_db: Path
) -> None:
    dropped = _drop_all("craving-reduction", tmp_path)
    result = cli("eval", "--reviews", "--format", "json", "--db", DB)
    scores = json.loads(result.stdout)
    assert (scores["pairs"]["tp"], scores["pairs"]["fp"]) == (0, len(dropped))
    assert scores["unscored"] == {}


def test_a_review_quotes_only_words_of_the_record(tmp_path: Path, sample_db: Path) -> None:
    path, _ = _edited(tmp_path)
    rows = _csv(path.read_text(encoding="utf-8-sig"))
    rows[-1]["sentence"] = "Words the record never said."
    _write(path, rows)
    result = cli("review", "--import", path, "--db", DB)
    assert result.exit_code == 2
    assert "the sentence is not in the title or abstract of PMID" in result.output
    assert _reviews(sample_db) == []
