"""Killed, interrupted, stopped: litwatch as a separate process, signalled at random moments
while it writes. After each: the database passes SQLite's integrity check, no record is
half-stored (record, full-text row and tags agree), no worker is left behind, the runs say
what happened, and running the command again completes with exactly the right counts.
A larger soak: bench/soak_kill.py."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.fake_eutils import FakeEutils, Fault
from tests.synthetic import article_set, make_record

RECORDS = 18_000  # ~17 MB: enough for the parallel workers (16 MB) and several seconds of work
ABSTRACT = (
    "Kratom significantly reduced pain scores compared with placebo. Constipation was "
    "reported by some participants. "
) * 3


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "big.xml"
    records = [make_record(10_000_000 + i, abstract=ABSTRACT) for i in range(RECORDS)]
    path.write_bytes(article_set(records))
    assert path.stat().st_size > 16 << 20
    return path


def _start(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "litwatch", *map(str, args)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        env={**os.environ, **(env or {})},
    )  # fmt: skip


def _finish(proc: subprocess.Popen[str]) -> int:
    _out, err = proc.communicate(timeout=180)
    assert proc.returncode == 0, err
    return proc.returncode


def _rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db, timeout=30) as conn:
        return conn.execute(sql).fetchall()


def _stored(db: Path) -> int:
    try:
        return int(_rows(db, "SELECT count(*) FROM article")[0][0])  # type: ignore[call-overload]
    except sqlite3.OperationalError:  # not created yet
        return 0


def _wait_for_records(db: Path, proc: subprocess.Popen[str], at_least: int = 1) -> None:
    deadline = time.monotonic() + 60
    while _stored(db) < at_least:
        if proc.poll() is not None:
            pytest.fail(f"ended before storing anything: {proc.communicate()}")
        assert time.monotonic() < deadline, "nothing stored in 60 s"
        time.sleep(0.05)


def _left_behind(marker: str) -> list[str]:
    """Processes whose command line names `marker` (our database): none may outlive a run."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if marker in cmdline:
                found.append(cmdline)
    return found


def _check_whole(db: Path) -> None:
    assert _rows(db, "PRAGMA integrity_check") == [("ok",)]
    records = _rows(db, "SELECT count(*) FROM article")[0][0]
    assert _rows(db, "SELECT count(*) FROM article_fts")[0][0] == records
    assert _rows(
        db, "SELECT count(*) FROM claim_tag WHERE pmid NOT IN (SELECT pmid FROM article)"
    ) == [(0,)]
    untagged_with_tags = _rows(
        db,
        "SELECT count(*) FROM article a WHERE tag_version IS NULL AND EXISTS (SELECT 1 FROM claim_tag t WHERE t.pmid = a.pmid)",
    )
    assert untagged_with_tags == [(0,)]
    assert _rows(db, "SELECT count(*) FROM article_history WHERE valid_to IS NULL")[0][0] == records


def _no_workers_left(db: Path) -> None:
    deadline = time.monotonic() + 10
    while _left_behind(str(db)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _left_behind(str(db)) == []


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to look for orphans")
@pytest.mark.parametrize(
    "sig, code, name", [(signal.SIGINT, 130, "Ctrl-C"), (signal.SIGTERM, 143, "SIGTERM")]
)
def test_an_interrupted_import_says_what_it_kept_and_finishes_when_rerun(
    big_file: Path, tmp_path: Path, sig: int, code: int, name: str
) -> None:
    db = tmp_path / "interrupted.db"
    proc = _start("import", big_file, "--db", db)
    _wait_for_records(db, proc)
    proc.send_signal(sig)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err
    assert err.startswith(f"Error: interrupted by {name}: the ") and err.count("\n") == 1
    assert "record(s) stored before it are kept" in err
    _no_workers_left(db)
    _check_whole(db)
    assert _rows(db, "SELECT status FROM run") == [("interrupted",)]
    assert _finish(_start("import", big_file, "--db", db)) == 0
    _check_whole(db)
    assert _stored(db) == RECORDS


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to look for orphans")
def test_import_killed_at_random_moments_loses_nothing(big_file: Path, tmp_path: Path) -> None:
    db = tmp_path / "killed.db"
    rng = random.Random(20261202)
    for _ in range(4):
        proc = _start("import", big_file, "--db", db)
        time.sleep(rng.uniform(0.3, 4.0))
        proc.kill()
        proc.communicate(timeout=30)
        _no_workers_left(db)
        if db.exists():
            _check_whole(db)
    assert _finish(_start("import", big_file, "--db", db)) == 0
    _check_whole(db)
    assert _stored(db) == RECORDS
    assert _rows(db, "SELECT count(*) FROM claim_tag WHERE claim_id = 'pain-relief'") == [
        (RECORDS,)
    ]


def _slow_server(eutils: FakeEutils, tmp_path: Path) -> Path:
    eutils.add([make_record(20_000 + i, abstract=ABSTRACT) for i in range(2_000)])
    eutils.inject("efetch", *[Fault("slow", seconds=0.7) for _ in range(40)])
    queries = tmp_path / "queries"
    queries.mkdir()
    (queries / "k.toml").write_text("name = 'k'\nterm = 'kratom[tiab]'\n")
    return queries


@pytest.mark.parametrize(
    "sig, code, state",
    [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "interrupted"),
     (signal.SIGKILL, -9, "running")],  # a killed process cannot mark its run...
)  # fmt: skip
def test_a_stopped_run_keeps_what_it_stored_and_a_rerun_completes(
    eutils: FakeEutils, tmp_path: Path, sig: int, code: int, state: str
) -> None:
    queries = _slow_server(eutils, tmp_path)
    db = tmp_path / "run.db"
    env = {"LITWATCH_EUTILS_URL": eutils.url, "NCBI_EMAIL": "tests@example.org"}
    proc = _start("run", "--queries", queries, "--db", db, env=env)
    _wait_for_records(db, proc)
    proc.send_signal(sig)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err
    if state == "interrupted":
        assert "interrupted by " in err and "kept" in err
    _check_whole(db)
    assert _rows(db, "SELECT status FROM run") == [(state,)]
    status = _start("status", "--db", db)  # ...the next command sees its process gone
    assert _finish(status) == 0
    assert _rows(db, "SELECT status FROM run") == [("interrupted",)]
    assert _finish(_start("run", "--queries", queries, "--db", db, env=env)) == 0
    assert _stored(db) == 2_000
    _check_whole(db)


def test_two_writers_and_a_reader_on_one_database(big_file: Path, tmp_path: Path) -> None:
    """Two imports of the same file at once, two runs from other files beside them, and a
    report while they write: all complete (each waits its turn for the write lock), nothing
    is lost or doubled."""
    db = tmp_path / "shared.db"
    other = tmp_path / "other.xml"
    other.write_bytes(article_set([make_record(30_000_000 + i) for i in range(300)]))
    queries = tmp_path / "queries"
    queries.mkdir()
    (queries / "k.toml").write_text("name = 'k'\nterm = 'kratom[tiab]'\n")
    first = _start("import", big_file, "--db", db)
    _wait_for_records(db, first)
    second = _start("import", big_file, "--db", db)
    third = tmp_path / "third.xml"
    third.write_bytes(article_set([make_record(31_000_000 + i) for i in range(200)]))
    run = _start("run", "--from", other, "--queries", queries, "--db", db)
    another_run = _start("run", "--from", third, "--queries", queries, "--db", db)
    report = _start("report", "--format", "json", "--db", db)
    for proc in (report, first, second, run, another_run):
        assert _finish(proc) == 0
    _check_whole(db)
    assert _stored(db) == RECORDS + 300 + 200
    assert _rows(db, "SELECT count(DISTINCT status) FROM run") == [(1,)]  # all 'ok'
