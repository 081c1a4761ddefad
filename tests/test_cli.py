"""The CLI as a user runs it: offline runs, import, status, search, export, errors, help."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from litwatch.cli import app
from tests.conftest import QUERIES, REPO, SAMPLE, cli
from tests.synthetic import article_set, make_record

COMMANDS = [
    ["run"], ["import"], ["reparse"], ["status"], ["search"], ["export"], ["export", "records"],
    ["export", "tags"], ["export", "citations"], ["report"], ["check"], ["eval"], ["explain"],
    ["digest"], ["review"],
]  # fmt: skip


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help_with_an_example(command: list[str]) -> None:
    result = cli(*command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.output
    if command != ["export"]:
        assert "Examples:\n    litwatch " in result.output


def test_help_lists_every_command() -> None:
    names = {c.name for c in app.registered_commands} | {g.name for g in app.registered_groups}
    assert names == {c[0] for c in COMMANDS}


def test_sample_run_end_to_end_as_a_subprocess(tmp_path: Path) -> None:
    """The README's first command, in a fresh folder, as a separate process."""
    result = subprocess.run(
        [sys.executable, "-m", "litwatch", "run", "--sample", "--queries", str(QUERIES)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "120", "HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("SAMPLE DATA — synthetic records, not real publications") >= 2
    assert "kratom-all" in result.stdout
    assert (tmp_path / "data" / "sample.db").exists()  # its own database, never litwatch.db
    assert not (tmp_path / "data" / "litwatch.db").exists()


def test_sample_run_is_incremental_and_status_says_so(tmp_path: Path) -> None:
    first = cli("run", "--sample", "--queries", QUERIES)
    assert first.exit_code == 0, first.output
    second = cli("run", "--sample", "--queries", QUERIES)
    assert second.exit_code == 0
    status = cli("status", "--db", "data/sample.db")
    assert "SAMPLE DATA" in status.output
    assert "New in the latest run (0): none" in status.output
    assert "127 records stored (sample)" in status.output


def test_sample_and_real_records_never_mix(tmp_path: Path) -> None:
    xml = tmp_path / "real.xml"
    xml.write_bytes(article_set([make_record(1)]))
    assert cli("import", xml, "--db", "mine.db").exit_code == 0
    result = cli("run", "--sample", "--queries", QUERIES, "--db", "mine.db")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: mine.db holds pubmed records; it will not mix in sample records (use another --db)"
    )


def test_import_xml_and_gz_then_export(tmp_path: Path) -> None:
    packed = tmp_path / "sample.xml.gz"
    packed.write_bytes(gzip.compress(SAMPLE.read_bytes()))
    result = cli("import", packed, "--db", "lib.db")
    assert result.exit_code == 0, result.output
    again = cli("import", SAMPLE, "--db", "lib.db")
    assert again.exit_code == 0
    assert "160 │   0 │       0" in again.output  # found 160, new 0, updated 0
    out = cli("export", "records", "--format", "csv", "--output", "records.csv", "--db", "lib.db")
    assert out.exit_code == 0, out.output
    frame = pd.read_csv(tmp_path / "records.csv")
    assert len(frame) == 160
    required = {
        "pmid",
        "title",
        "journal",
        "year",
        "doi",
        "publication_types",
        "retracted",
        "queries",
        "first_seen_run",
    }
    assert required <= set(frame.columns)
    row = frame[frame.pmid == 99000017].iloc[0]
    assert bool(row.retracted) and "Retracted Publication" in row.publication_types
    as_json = cli("export", "records", "--format", "json", "--db", "lib.db")
    records = json.loads(as_json.stdout)
    assert len(records) == 160 and isinstance(records[0]["publication_types"], list)


def test_environment_database_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LITWATCH_DB", str(tmp_path / "env.db"))
    assert cli("import", SAMPLE).exit_code == 0
    assert (tmp_path / "env.db").exists()
    assert "160 records stored" in cli("status").output


def test_search_and_reparse(tmp_path: Path) -> None:
    assert cli("import", SAMPLE, "--db", "lib.db").exit_code == 0
    found = cli("search", '"retracted publication"[pt]', "--db", "lib.db")
    assert found.exit_code == 0
    assert "2 records match" in found.output and "RETRACTED" in found.output
    reparsed = cli("reparse", "--db", "lib.db")
    assert reparsed.exit_code == 0 and "Re-parsed 160 records." in reparsed.output


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["search", "kratom[au]", "--db", "x.db"],
            "Error: unsupported field tag [au]; supported: [tiab], [ti], [ab], [mh], [majr], [pt], [la], [dp], [uid]",
        ),
        (["import", "missing.xml", "--db", "x.db"], "Error: missing.xml: no such file"),
        (
            ["run", "--from", "missing.xml", "--queries", str(QUERIES)],
            "Error: missing.xml: no such file",
        ),
        (
            ["run", "--sample", "--queries", "nowhere"],
            "Error: nowhere: no such folder of saved searches (use --queries DIR)",
        ),
        (
            ["run", "nope", "--sample", "--queries", str(QUERIES)],
            "Error: no saved search named nope; known: kratom-adverse, kratom-all, kratom-withdrawal",
        ),
        (
            ["export", "records", "--format", "xls", "--db", "x.db"],
            "Error: unknown format 'xls': choose one of csv, json",
        ),
    ],
)
def test_bad_input_is_one_line_and_nonzero(args: list[str], message: str) -> None:
    result = cli(*args)
    assert result.exit_code != 0
    assert result.stderr.strip() == message


@pytest.mark.parametrize(
    "content, message",
    [
        ('name = "x"\n', "field 'term': Field required"),
        (
            'name = "x"\nterm = "kratom"\ncolour = "red"\n',
            "field 'colour': unknown field (allowed: name, term, description, mindate)",
        ),
        (
            'name = "X Y"\nterm = "kratom"\n',
            "field 'name': use lower-case letters, digits, '-' and '_' (a slug)",
        ),
        ('name = "x"\nterm = "kratom[zz]"\n', "field 'term': unsupported field tag [zz]"),
        (
            'name = "x"\nterm = "kratom"\nmindate = "last week"\n',
            "field 'mindate': use YYYY, YYYY/MM or YYYY/MM/DD",
        ),
        ('name = "x\nterm = 1', "not valid TOML"),
    ],
)
def test_malformed_query_file_names_file_and_problem(
    tmp_path: Path, content: str, message: str
) -> None:
    folder = tmp_path / "q"
    folder.mkdir()
    (folder / "bad.toml").write_text(content)
    result = cli("run", "--sample", "--queries", folder)
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert line.startswith(f"Error: {folder / 'bad.toml'}: ") and message in line
    assert "\n" not in line


def test_shipped_queries_are_valid_and_cover_the_brief() -> None:
    names = sorted(p.stem for p in QUERIES.glob("*.toml"))
    assert names == ["kratom-adverse", "kratom-all", "kratom-withdrawal"]
    assert (REPO / "docs" / "queries.md").exists()


def test_import_without_tagging_defers_it_to_the_next_command(tmp_path: Path) -> None:
    assert cli("import", SAMPLE, "--no-tag", "--db", "lib.db").exit_code == 0
    import sqlite3

    with sqlite3.connect(tmp_path / "lib.db") as conn:
        assert conn.execute("SELECT count(*) FROM claim_tag").fetchone() == (0,)
    assert cli("export", "tags", "--db", "lib.db", "--output", "tags.csv").exit_code == 0
    with sqlite3.connect(tmp_path / "lib.db") as conn:
        assert conn.execute(
            "SELECT count(*) FROM article WHERE tag_version IS NULL"
        ).fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM claim_tag").fetchone()[0] > 250


def test_the_cli_starts_without_sqlalchemy() -> None:
    """SQLAlchemy and SQLModel load when a store opens: `import` starts its parsing workers
    before that (see `litwatch.store`), so start-up overlaps with parsing."""
    code = "import sys, litwatch.cli; print(sorted({'sqlalchemy', 'sqlmodel'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_search_hits_as_pmids_csv_and_ris(tmp_path: Path) -> None:
    import csv
    import io

    import rispy

    assert cli("import", SAMPLE, "--db", "s.db").exit_code == 0
    term = "kratom[tiab] NOT rats[tiab]"
    listed = cli("search", term, "--format", "pmid", "--db", "s.db")
    assert listed.exit_code == 0, listed.output
    pmids = [int(line) for line in listed.stdout.splitlines()]
    assert len(pmids) > 20 and pmids == sorted(pmids, reverse=True)  # all, not the table's 20
    table = list(
        csv.DictReader(io.StringIO(cli("search", term, "--format", "csv", "--db", "s.db").stdout))
    )
    assert [int(r["pmid"]) for r in table] == pmids
    assert not any("rats" in r["title"].lower() for r in table)
    written = cli(
        "search", term, "--format", "ris", "--limit", "3", "--output", "hits.ris", "--db", "s.db"
    )
    assert written.exit_code == 0 and written.stderr == "Wrote hits to hits.ris\n"
    entries = rispy.loads((tmp_path / "hits.ris").read_text())
    assert [int(e["accession_number"]) for e in entries] == pmids[:3]
    refused = cli("search", term, "--format", "xml", "--db", "s.db")
    assert refused.exit_code == 2
    assert refused.stderr == "Error: unknown format 'xml': choose one of table, pmid, csv, ris\n"


def test_an_installed_wheel_runs_the_sample_from_any_folder(tmp_path: Path) -> None:
    """After `pip install` (a wheel, not this checkout), `litwatch run --sample` works from
    any folder with the shipped searches, claims and rules."""
    wheels, target, elsewhere = tmp_path / "wheels", tmp_path / "site", tmp_path / "elsewhere"
    elsewhere.mkdir()
    pip = [sys.executable, "-m", "pip", "-q"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "-w", wheels, REPO],
        check=True,
        capture_output=True,
    )
    wheel = next(wheels.glob("litwatch-*.whl"))
    subprocess.run(
        [*pip, "install", "--no-deps", "--target", target, wheel], check=True, capture_output=True
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "COLUMNS": "120",
        "PYTHONPATH": str(target),
    }
    where = subprocess.run(
        [sys.executable, "-c", "import litwatch; print(litwatch.__file__)"],
        capture_output=True, text=True, cwd=elsewhere, env=env, check=True,
    )  # fmt: skip
    assert where.stdout.startswith(str(target))  # the installed copy, not the checkout
    result = subprocess.run(
        [sys.executable, "-m", "litwatch", "run", "--sample"],
        capture_output=True, text=True, cwd=elsewhere, env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "What changed since run 1" in result.stdout and "kratom-withdrawal" in result.stdout
    assert (elsewhere / "data" / "sample.db").exists()


def test_small_things_users_noticed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli("run", "--sample", "--queries", QUERIES).exit_code == 0
    assert cli("report", "-h").output.startswith("Usage: litwatch report")
    html = cli("report", "--format", "HTML", "--output", "r.html", "--db", "data/sample.db")
    assert html.exit_code == 0 and (tmp_path / "r.html").read_text().startswith("<!DOCTYPE html>")
    one = tmp_path / "one.xml"
    one.write_bytes(article_set([make_record(7)]))
    assert cli("import", one, "--db", "one.db").exit_code == 0
    assert "1 record stored" in cli("status", "--db", "one.db").output
    status = cli("status", "--db", "one.db").output
    assert "Imported files" in status and "saved search" not in status


def test_at_80_columns_no_claim_id_or_status_is_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli("run", "--sample", "--queries", QUERIES).exit_code == 0
    monkeypatch.setenv("COLUMNS", "80")
    report = cli("report", "--db", "data/sample.db").output
    lines = report.splitlines()
    from litwatch.claims.catalogue import load_catalogue

    for claim in load_catalogue(REPO / "data" / "claims.toml").claims:
        assert any(line.split()[:1] == [claim.id] for line in lines), claim.id
    assert "…" not in "\n".join(lines[:30])
    status = cli("status", "--db", "data/sample.db").output
    assert "kratom-withdrawal " in status and "…" not in status
