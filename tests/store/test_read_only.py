"""A shared store this user cannot write is still read: report, search, check and export
work on it as it is, and a command that would change it says so in one line."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import QUERIES, cli


def _immutable(paths: list[Path], on: bool) -> bool:
    """chattr +i: unwritable even by root (tests may run as root, where chmod is no bar)."""
    chattr = shutil.which("chattr")
    if chattr is None:
        return False
    done = subprocess.run([chattr, "+i" if on else "-i", *map(str, paths)], capture_output=True)
    return done.returncode == 0


@pytest.fixture
def read_only_db(tmp_path: Path) -> Iterator[Path]:
    assert cli("run", "--sample", "--queries", QUERIES).exit_code == 0
    shared = tmp_path / "shared"
    shared.mkdir()
    db = shared / "sample.db"
    with sqlite3.connect(tmp_path / "data" / "sample.db") as source, sqlite3.connect(db) as copy:
        source.backup(copy)  # one file, no -wal beside it
    if not _immutable([db, shared], True):
        pytest.skip("chattr +i is not available here")
    try:
        yield db
    finally:
        _immutable([db, shared], False)


def test_read_commands_work_on_a_read_only_store(read_only_db: Path) -> None:
    for args in (
        ["report", "--format", "json"],
        ["search", "kratom[tiab]", "--limit", "3"],
        ["check", "kratom eases opioid withdrawal"],
        ["export", "records"],
        ["digest", "--format", "json"],
        ["status"],
    ):
        result = cli(*args, "--db", read_only_db)
        assert result.exit_code == 0, (args, result.output)
    assert sorted(p.name for p in read_only_db.parent.iterdir()) == ["sample.db"]


def test_a_change_to_a_read_only_store_is_one_line(tmp_path: Path, read_only_db: Path) -> None:
    (tmp_path / "r.csv").write_text("pmid,claim_id,stance\n99000001,pain-relief,mentions\n")
    result = cli("review", "--import", tmp_path / "r.csv", "--db", read_only_db)
    assert result.exit_code != 0
    assert (
        result.stderr == f"Error: {read_only_db} is read-only here: this command would change it\n"
    )
