"""The weekly loop through the CLI: `run` ends with the digest, `digest` in every format,
what a revision or a retraction changes, `report --as-of`, and the exit codes for cron."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest

from tests.conftest import QUERIES, cli
from tests.synthetic import article_set, make_record

RCT = ("Journal Article", "Randomized Controlled Trial")
FINDING = "Kratom significantly reduced pain scores compared with placebo."


def _trial(pmid: int, retracted: bool = False) -> bytes:
    types = (*RCT, "Retracted Publication") if retracted else RCT
    return make_record(
        pmid,
        title=f"A randomised trial of kratom for chronic pain ({pmid}).",
        abstract=f"We randomised adults with chronic pain. {FINDING}",
        pub_types=types,
        year=2024,
    )


def _import(tmp_path: Path, name: str, records: list[bytes]) -> None:
    path = tmp_path / name
    path.write_bytes(article_set(records))
    result = cli("import", path, "--db", "lib.db")
    assert result.exit_code == 0, result.output


def _digest_json(*args: str) -> dict[str, object]:
    result = cli("digest", "--format", "json", "--db", "lib.db", *args)
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


def _search(data: dict[str, object], name: str) -> dict[str, list[dict[str, object]]]:
    searches = data["searches"]
    assert isinstance(searches, list)
    found = [s for s in searches if s["name"] == name]
    assert len(found) == 1, searches
    return found[0]  # type: ignore[no-any-return]


def _change(data: dict[str, object], claim_id: str) -> dict[str, object]:
    changes = data["claims_changed"]
    assert isinstance(changes, list)
    found = [c for c in changes if c["claim_id"] == claim_id]
    assert len(found) == 1, changes
    return found[0]  # type: ignore[no-any-return]


def test_new_records_and_the_claims_they_move(tmp_path: Path) -> None:
    _import(tmp_path, "week1.xml", [_trial(p) for p in (101, 102, 103)])
    data = _digest_json()
    assert set(data) >= {"as_of", "since", "searches", "claims_changed"}
    new = _search(data, "import:week1.xml")["new"]
    assert [r["pmid"] for r in new] == [103, 102, 101]
    assert set(new[0]) == {
        "pmid", "title", "first_author", "year", "journal", "design", "retracted", "tags",
    }  # fmt: skip
    assert new[0]["first_author"] == "Tester A" and new[0]["year"] == 2024
    assert new[0]["design"] == "rct"
    assert {"claim_id": "pain-relief", "stance": "supports", "sentence": FINDING} in new[0]["tags"]
    change = _change(data, "pain-relief")
    assert change["from"] == "no-evidence" and change["to"] == "supported"
    assert change["certainty_from"] is None and change["certainty_to"] is not None
    assert change["because"] == [103, 102, 101]


def test_a_retraction_is_a_revision_that_downgrades_the_claim(tmp_path: Path) -> None:
    _import(tmp_path, "week1.xml", [_trial(p) for p in (101, 102, 103)])
    before = _digest_json()
    _import(tmp_path, "week2.xml", [_trial(101, retracted=True), _trial(102, retracted=True)])
    data = _digest_json()
    week2 = _search(data, "import:week2.xml")
    assert week2["new"] == []
    assert sorted(r["pmid"] for r in week2["revised"]) == [101, 102]
    change = _change(data, "pain-relief")
    assert change["from"] == _change(before, "pain-relief")["to"] == "supported"
    assert (change["to"], change["certainty_to"]) != ("supported", change["certainty_from"])
    assert change["because"] == [102, 101]
    text = cli("digest", "--db", "lib.db")
    assert "retracted: 102, 101" in text.output
    # The earlier window is still reproducible: "since run 1" covers both imports.
    assert _search(_digest_json("--since", "1"), "import:week1.xml")["new"]


def test_report_as_of_reproduces_the_report_before_the_retraction(tmp_path: Path) -> None:
    _import(tmp_path, "week1.xml", [_trial(p) for p in (101, 102, 103)])
    first = cli("report", "--format", "json", "--db", "lib.db")
    moment = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")
    week2 = [_trial(101, retracted=True), _trial(102, retracted=True), _trial(104)]
    _import(tmp_path, "week2.xml", week2)
    then = cli("report", "--format", "json", "--db", "lib.db", "--as-of", moment)
    now = cli("report", "--format", "json", "--db", "lib.db")
    assert then.exit_code == 0, then.output

    def claims(result: object) -> dict[str, object]:
        body = json.loads(result.stdout)  # type: ignore[attr-defined]
        return {c["claim_id"]: (c["status"], c["certainty"], c["counts"]) for c in body["claims"]}

    assert claims(then) == claims(first) != claims(now)
    by_run = cli("report", "--format", "json", "--db", "lib.db", "--as-of", "1")
    assert claims(by_run) == claims(first)
    too_early = cli("report", "--db", "lib.db", "--as-of", "2020-01-01")
    assert too_early.exit_code == 2 and "held no records yet then" in too_early.output
    stamp = json.loads(then.stdout)["stamp"]
    assert stamp["reproduced"] is True and stamp["records"] == 3
    assert json.loads(now.stdout)["stamp"]["records"] == 4
    assert [r["search"] for r in stamp["runs"]] == ["import:week1.xml"]


def test_as_of_refuses_a_future_or_malformed_moment(tmp_path: Path) -> None:
    _import(tmp_path, "week1.xml", [_trial(101)])
    future = cli("report", "--as-of", "2999-01-01", "--db", "lib.db")
    assert future.exit_code != 0 and "in the future" in future.output
    bad = cli("report", "--as-of", "last week", "--db", "lib.db")
    assert bad.exit_code != 0 and "YYYY-MM-DD" in bad.output


def test_sample_run_ends_with_its_digest_and_says_when_nothing_is_new() -> None:
    first = cli("run", "--sample", "--queries", QUERIES)
    assert first.exit_code == 0, first.output
    assert "What changed since run 1" in first.output
    assert "Claims whose standing changed" in first.output
    assert "The full report: litwatch report --db data/sample.db" in first.output
    assert first.output.rstrip().endswith("╯")  # the SAMPLE DATA banner closes it
    second = cli("run", "--sample", "--queries", QUERIES)
    assert "Nothing new since run 2" in second.output
    data = json.loads(cli("digest", "--format", "json", "--db", "data/sample.db").stdout)
    assert data["claims_changed"] == []
    assert all(s["new"] == [] and s["revised"] == [] for s in data["searches"])
    assert {s["name"] for s in data["searches"]} == {
        "kratom-all",
        "kratom-adverse",
        "kratom-withdrawal",
    }
    for fmt in ("markdown", "html"):
        doc = cli("digest", "--format", fmt, "--db", "data/sample.db")
        assert "Nothing new since run 2" in doc.stdout


def test_quiet_run_prints_one_line_and_exit_code_tells_cron_what_changed() -> None:
    first = cli("run", "--sample", "--queries", QUERIES, "--quiet", "--exit-code")
    assert first.exit_code == 4  # every claim's standing is new
    lines = first.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Since run 1 (")
    assert "claim(s) changed standing" in lines[0]
    second = cli("run", "--sample", "--queries", QUERIES, "--quiet", "--exit-code")
    assert second.exit_code == 0
    assert (
        second.stdout.strip()
        == "Nothing new since run 2 (" + second.stdout.split("(", 1)[1].strip()
    )
    plain = cli("run", "--sample", "--queries", QUERIES, "--quiet")
    assert plain.exit_code == 0  # without --exit-code, success is 0 whatever changed


def test_new_records_without_a_claim_change_exit_3(tmp_path: Path) -> None:
    _import(tmp_path, "week1.xml", [_trial(p) for p in (101, 102, 103)])
    (tmp_path / "other.xml").write_bytes(
        article_set([make_record(201, abstract="Kratom alkaloid content varied by vendor.")])
    )
    result = cli(
        "run",
        "--from",
        "other.xml",
        "--queries",
        QUERIES,
        "--db",
        "lib.db",
        "--quiet",
        "--exit-code",
    )
    assert result.exit_code == 3, result.output


def test_atom_feed_parses_with_an_entry_per_change_and_record(tmp_path: Path) -> None:
    _import(tmp_path, "week1.xml", [_trial(p) for p in (101, 102)])
    result = cli("digest", "--format", "atom", "--output", "feed.atom", "--db", "lib.db")
    assert result.exit_code == 0, result.output
    feed = feedparser.parse((tmp_path / "feed.atom").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    ids = [e.id for e in feed.entries]
    assert "urn:litwatch:new:101" in ids and "urn:litwatch:new:102" in ids
    assert any(i.startswith("urn:litwatch:claim:pain-relief:") for i in ids)
    record = next(e for e in feed.entries if e.id == "urn:litwatch:new:102")
    assert record.link == "https://pubmed.ncbi.nlm.nih.gov/102/"
    assert "pain-relief supports" in record.summary


@pytest.mark.parametrize("args", [["--since", "7"], ["--since", "yesterday"], ["--format", "pdf"]])
def test_bad_digest_options_are_one_line_errors(tmp_path: Path, args: list[str]) -> None:
    _import(tmp_path, "week1.xml", [_trial(101)])
    result = cli("digest", "--db", "lib.db", *args)
    assert result.exit_code != 0
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1


def test_the_readme_weekly_example_on_the_bundled_second_week() -> None:
    """README's worked example: the sample, then its next week (three new records, one
    retraction), whatever today's date (a file's revision dates may lie in the past)."""
    assert cli("run", "--sample", "--queries", QUERIES).exit_code == 0
    week2 = QUERIES.parent / "data" / "sample" / "kratom-week2.xml"
    result = cli("run", "--sample", "--from", week2, "--queries", QUERIES, "--exit-code")
    assert result.exit_code == 4, result.output
    data = json.loads(cli("digest", "--format", "json", "--db", "data/sample.db").stdout)
    everything = _search(data, "kratom-all")
    assert [r["pmid"] for r in everything["new"]] == [99000203, 99000202, 99000201]
    assert [r["pmid"] for r in everything["revised"]] == [99000139]
    safer = _change(data, "safer-than-opioids")
    assert (safer["from"], safer["because"]) == ("supported", [99000139])
    assert _change(data, "withdrawal-relief")["because"] == [99000201]
    again = cli("run", "--sample", "--from", week2, "--queries", QUERIES, "--exit-code")
    assert again.exit_code == 0 and "Nothing new since run 3" in again.output


def test_atom_ids_do_not_change_when_the_feed_is_written_again(tmp_path: Path) -> None:
    _import(tmp_path, "week1.xml", [_trial(p) for p in (101, 102)])
    _import(tmp_path, "week2.xml", [_trial(101, retracted=True)])
    ids = []
    for name in ("a.atom", "b.atom"):
        assert cli("digest", "--format", "atom", "--output", name, "--db", "lib.db").exit_code == 0
        ids.append([e.id for e in feedparser.parse((tmp_path / name).read_bytes()).entries])
    assert ids[0] == ids[1] and "urn:litwatch:revised:101:run2" in ids[0]


def test_as_of_today_is_the_report_now(tmp_path: Path) -> None:
    _import(tmp_path, "week1.xml", [_trial(101)])
    today = datetime.now(UTC).date().isoformat()
    result = cli("report", "--format", "json", "--as-of", today, "--db", "lib.db")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["stamp"]["records"] == 1


def test_an_older_copy_never_undoes_a_retraction(tmp_path: Path) -> None:
    """A stale file (revised before what is stored) is not a revision: week 1's sample run
    again after week 2 leaves the retraction in place and says nothing is new."""
    assert cli("run", "--sample", "--queries", QUERIES).exit_code == 0
    week2 = QUERIES.parent / "data" / "sample" / "kratom-week2.xml"
    assert cli("run", "--sample", "--from", week2, "--queries", QUERIES).exit_code == 0
    stale = cli("run", "--sample", "--queries", QUERIES, "--quiet", "--exit-code")
    assert stale.exit_code == 0, stale.output
    body = json.loads(cli("report", "--format", "json", "--db", "data/sample.db").stdout)
    retracted = {e["pmid"] for c in body["claims"] for e in c["retracted"]}
    assert 99000139 in retracted
