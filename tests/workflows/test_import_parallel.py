"""The parallel import (worker processes) stores exactly what the sequential one stores."""

from __future__ import annotations

import gzip
import sqlite3
import sys
from pathlib import Path

import pytest

from litwatch.errors import InputFileError
from litwatch.pubmed.parse import iter_articles_from_file, iter_record_chunks, parse_record_chunk
from litwatch.workflows.library import IMPORT_BATCH, WRITE_BATCH
from tests.conftest import REPO, SAMPLE, cli

sys.path.insert(0, str(REPO / "bench"))
from make_corpus import make_corpus


def _dump(db: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT pmid, title, abstract, authors, mesh, raw_xml, content_hash FROM article ORDER BY pmid"
        ).fetchall()
        fts = conn.execute(
            "SELECT rowid FROM article_fts WHERE article_fts MATCH 'kratom' ORDER BY rowid"
        ).fetchall()
        tags = conn.execute("SELECT * FROM claim_tag ORDER BY pmid, claim_id").fetchall()
        grades = conn.execute(
            "SELECT pmid, design, population, tag_version FROM article ORDER BY pmid"
        ).fetchall()
    assert tags and all(g[3] for g in grades)  # every record tagged and graded
    return [*rows, ("fts", len(fts)), *tags, *grades]


def test_parallel_import_equals_sequential(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = make_corpus(3000, tmp_path / "big.xml")  # ~19 MB: over the parallel threshold
    monkeypatch.setenv("LITWATCH_WORKERS", "2")
    assert cli("import", big, "--db", "par.db").exit_code == 0
    monkeypatch.setenv("LITWATCH_WORKERS", "0")
    assert cli("import", big, "--db", "seq.db").exit_code == 0
    parallel, sequential = _dump(tmp_path / "par.db"), _dump(tmp_path / "seq.db")
    assert len(parallel) > 6000 and parallel == sequential


@pytest.mark.parametrize("workers", ["0", "2"])
def test_a_record_twice_in_one_transaction_is_stored_once_the_later_copy_winning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: str
) -> None:
    big = make_corpus(3000, tmp_path / "big.xml")
    data = big.read_bytes()
    first = data.index(b"<PubmedArticle>")
    record = data[first : data.index(b"</PubmedArticle>") + len(b"</PubmedArticle>")]
    assert b'<PMID Version="1">10000000</PMID>' in record
    again = record.replace(b"<ArticleTitle>", b"<ArticleTitle>Revised: ", 1)
    # Put the revised copy in a later chunk of the same first transaction.
    cut = data.index(b"</PubmedArticle>", first)
    for _ in range(IMPORT_BATCH + 10):
        cut = data.index(b"</PubmedArticle>", cut + 1)
    cut += len(b"</PubmedArticle>")
    assert IMPORT_BATCH + 10 < WRITE_BATCH
    twice = tmp_path / "twice.xml"
    twice.write_bytes(data[:cut] + b"\n" + again + data[cut:])
    monkeypatch.setenv("LITWATCH_WORKERS", workers)
    result = cli("import", twice, "--db", "t.db")
    assert result.exit_code == 0, result.stderr
    with sqlite3.connect(tmp_path / "t.db") as conn:
        assert conn.execute("SELECT count(*) FROM article").fetchone() == (3000,)
        [(title,)] = conn.execute("SELECT title FROM article WHERE pmid = 10000000").fetchall()
        [(fts_title,)] = conn.execute("SELECT title FROM article_fts WHERE rowid = 10000000")
    assert title.startswith("Revised: ") and fts_title == title


def test_chunks_hold_every_record_once(tmp_path: Path) -> None:
    chunks = list(iter_record_chunks(SAMPLE, per_chunk=7))
    pmids = [a.pmid for c in chunks for a in parse_record_chunk(c)]
    assert pmids == [a.pmid for a in iter_articles_from_file(SAMPLE)]
    assert len(chunks) == 23  # 160 records, 7 a chunk
    packed = tmp_path / "s.xml.gz"
    packed.write_bytes(gzip.compress(SAMPLE.read_bytes()))
    assert (
        sum(len(parse_record_chunk(c)) for c in iter_record_chunks(packed, 50, block=4096)) == 160
    )


def test_truncated_or_foreign_files_are_refused(tmp_path: Path) -> None:
    cut = tmp_path / "cut.xml"
    cut.write_bytes(SAMPLE.read_bytes()[:500_000])
    with pytest.raises(InputFileError, match="ends inside a record"):
        list(iter_record_chunks(cut, 50))
    other = tmp_path / "other.xml"
    other.write_bytes(b"<eSearchResult><Count>1</Count></eSearchResult>")
    with pytest.raises(InputFileError, match="not a PubMed XML export"):
        list(iter_record_chunks(other, 50))
    result = cli("import", cut, "--db", "x.db")
    assert result.exit_code == 2 and result.stderr.startswith(f"Error: {cut}: the file ends inside")


def _import_runs(db: Path) -> list[tuple[str, str, int]]:
    with sqlite3.connect(db) as conn:
        runs = conn.execute("SELECT query, status, found FROM run ORDER BY id").fetchall()
        assert conn.execute("SELECT count(*) FROM article").fetchone() == (sum(r[2] for r in runs),)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    return runs


def test_parallel_import_of_a_cut_file_keeps_whole_batches_and_fails_its_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = make_corpus(3000, tmp_path / "big.xml")
    cut = tmp_path / "cut.xml"
    cut.write_bytes(big.read_bytes()[: int(big.stat().st_size * 0.9)])
    monkeypatch.setenv("LITWATCH_WORKERS", "2")
    result = cli("import", cut, "--db", "c.db")
    assert result.exit_code == 2 and "ends inside a record" in result.stderr
    [(query, status, found)] = _import_runs(tmp_path / "c.db")
    # The batches before the cut are stored whole, nothing after it.
    assert (query, status) == ("import:cut.xml", "failed") and found > 0
    assert found % IMPORT_BATCH == 0


def test_a_foreign_first_file_fails_its_own_run_while_workers_wait(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = make_corpus(3000, tmp_path / "big.xml")  # makes the import start its workers
    other = tmp_path / "other.xml"
    other.write_bytes(b"<eSearchResult><Count>1</Count></eSearchResult>")
    monkeypatch.setenv("LITWATCH_WORKERS", "2")
    result = cli("import", other, big, "--db", "f.db")
    assert result.exit_code == 2 and "not a PubMed XML export" in result.stderr
    assert _import_runs(tmp_path / "f.db") == [("import:other.xml", "failed", 0)]
