"""An output that cannot be written is a one-line error, never a traceback, and never leaves
a `.part` file behind; a missing or empty database is never reported as "no evidence"."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import QUERIES, cli


@pytest.fixture
def sample_db(tmp_path: Path) -> Path:
    assert cli("run", "--sample", "--queries", QUERIES).exit_code == 0
    return tmp_path / "data" / "sample.db"


@pytest.mark.parametrize(
    "target, message",
    [
        (".", "is a folder: give a file name"),
        ("a-file/report.html", "cannot write a-file/report.html: "),
        ("/proc/litwatch-report.html", "cannot write /proc/litwatch-report.html: "),
    ],
)
def test_an_unwritable_output_is_one_line(
    tmp_path: Path, sample_db: Path, target: str, message: str
) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    for args in (
        ["report", "--format", "html"],
        ["export", "records"],
        ["digest", "--format", "markdown"],
    ):
        result = cli(*args, "--output", target, "--db", sample_db)
        assert result.exit_code == 2, result.output
        last = result.stderr.splitlines()[-1]  # after the SAMPLE DATA note
        assert last.startswith("Error: ") and message in last
        assert result.stderr.count("Error") == 1
        assert "Traceback" not in result.output
    assert not list(tmp_path.rglob("*.part"))


@pytest.mark.parametrize(
    "command",
    [["report"], ["check", "kratom eases withdrawal"], ["status"], ["search", "kratom[tiab]"],
     ["export", "records"], ["export", "tags"], ["export", "citations"], ["digest"],
     ["review", "--export", "r.csv"], ["eval", "--reviews"], ["reparse"]],
)  # fmt: skip
def test_reading_a_missing_database_creates_nothing(tmp_path: Path, command: list[str]) -> None:
    result = cli(*command, "--db", "smaple/smaple.db")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: no database at smaple/smaple.db: run `litwatch run`")
    assert not (tmp_path / "smaple").exists()


def test_the_default_database_points_to_the_sample_when_only_it_exists(sample_db: Path) -> None:
    result = cli("report", "--format", "html", "--output", "report.html")
    assert result.exit_code == 2
    assert "the sample run wrote data/sample.db (use --db data/sample.db)" in result.stderr
    assert not Path("data/litwatch.db").exists()


def test_an_empty_database_says_so(tmp_path: Path) -> None:
    (tmp_path / "empty.xml").write_text(
        '<?xml version="1.0"?>\n<PubmedArticleSet>\n</PubmedArticleSet>\n'
    )
    assert cli("import", "empty.xml", "--db", "empty.db").exit_code == 0
    result = cli("report", "--db", "empty.db")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: empty.db holds no records yet")
