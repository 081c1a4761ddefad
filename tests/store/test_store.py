"""The store on a real SQLite file: migrations, WAL, upserts, provenance, local search."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from litwatch.errors import QuerySyntaxError, StoreError
from litwatch.pubmed.parse import iter_articles_from_file, parse_article_xml, parse_articles
from litwatch.pubmed.query import parse_term
from litwatch.store import open_store
from tests.conftest import SAMPLE
from tests.synthetic import article_set, make_record


def test_store_uses_wal_and_fts5(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.db"):
        pass
    with sqlite3.connect(tmp_path / "s.db") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert conn.execute("SELECT count(*) FROM article_fts").fetchone() == (0,)


def test_not_a_database_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "junk.db").write_bytes(b"this is not sqlite" * 100)
    with (
        pytest.raises(StoreError, match="cannot open as a litwatch database"),
        open_store(tmp_path / "junk.db"),
    ):
        pass


def test_upsert_counts_new_changed_unchanged_and_keeps_first_seen(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.db") as store:
        run1 = store.record_run_start(1, "q", "t", "test")
        first = parse_articles(article_set([make_record(1), make_record(2)]))
        assert (store.upsert_articles(first, run1, "q").new, store.count_articles()) == (2, 2)
        run2 = store.record_run_start(2, "q", "t", "test")
        again = parse_articles(
            article_set([make_record(1, title="Changed kratom."), make_record(2)])
        )
        counts = store.upsert_articles(again, run2, "q")
        assert (counts.new, counts.updated, counts.unchanged) == (0, 1, 1)
        row = store.article_rows([1])[0]
        assert (row["title"], row["first_seen_run"], row["last_changed_run"]) == (
            "Changed kratom.",
            run1,
            run2,
        )
        assert store.search_pmids(parse_term("changed[ti]")) == [1]
        assert store.search_pmids(parse_term("study[ti]")) == []  # old index entry replaced


def test_reparse_rebuilds_parsed_fields_from_raw(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.db") as store:
        store.upsert_articles(list(iter_articles_from_file(SAMPLE)), None)
    with sqlite3.connect(tmp_path / "s.db") as conn:  # as an older parser might have left it
        conn.execute("UPDATE article SET title = 'x', mesh = '[]' WHERE pmid = 99000001")
    with open_store(tmp_path / "s.db") as store:
        for batch in store.iter_raw_xml(batch=50):
            store.replace_parsed([parse_article_xml(raw) for _, raw in batch])
        row = store.article_rows([99000001])[0]
    assert row["title"].startswith("Antinociceptive effect of 7-hydroxymitragynine")
    assert "Analgesics, Opioid" in row["mesh"]


@pytest.fixture(scope="module")
def dev_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("dev") / "dev.db"
    with open_store(path) as store:
        store.upsert_articles(list(iter_articles_from_file(SAMPLE)), None)
    return path


def _hits(db: Path, term: str) -> set[int]:
    with open_store(db) as store:
        return set(store.search_pmids(parse_term(term)))


def test_local_search_semantics(dev_store: Path) -> None:
    kratom = _hits(dev_store, "kratom")
    mitragynine = _hits(dev_store, "mitragynine")
    assert kratom and mitragynine
    assert _hits(dev_store, "kratom OR mitragynine") == kratom | mitragynine
    assert _hits(dev_store, "kratom AND mitragynine") == kratom & mitragynine
    assert _hits(dev_store, "kratom NOT mitragynine") == kratom - mitragynine
    # PubMed reads operators left to right, without precedence.
    assert _hits(dev_store, "kratom OR mitragynine AND withdrawal") == (
        kratom | mitragynine
    ) & _hits(dev_store, "withdrawal")
    assert _hits(dev_store, "withdraw*[tiab]") >= _hits(dev_store, "withdrawal[tiab]") | _hits(
        dev_store, "withdrawn[tiab]"
    )
    assert _hits(dev_store, '"opioid withdrawal"[tiab]') <= _hits(
        dev_store, "opioid[tiab] AND withdrawal[tiab]"
    )
    assert _hits(dev_store, "kratom[ti]") <= _hits(dev_store, "kratom[tiab]")
    assert _hits(dev_store, '"retracted publication"[pt]') == {99000017, 99000037}
    assert _hits(dev_store, "tha[la]") == _hits(dev_store, "thai[la]") != set()
    assert all(99000001 <= p <= 99000010 for p in _hits(dev_store, "99000001:99000010[uid]"))
    assert len(_hits(dev_store, "99000001:99000010[uid]")) == 10
    assert _hits(dev_store, "2013[dp]") >= {99000019}  # MedlineDate "2013 Jul-Sep"
    assert _hits(dev_store, "humans[mh]") == _hits(dev_store, "Humans[MeSH Terms]")


@pytest.mark.parametrize(
    "term, message",
    [
        ("kratom[au]", r"unsupported field tag \[au\]"),
        ("(kratom OR ketum", "never closed"),
        ("kratom OR", "ends where a term was expected"),
        ("kra*", "at least 4 letters"),
        ("kratom and ketum", "in capitals: AND"),
        ("kratom AND 2019/1x:2020[dp]", "cannot read the date '2019/1x'"),
    ],
)
def test_unsupported_syntax_is_named(dev_store: Path, term: str, message: str) -> None:
    with pytest.raises(QuerySyntaxError, match=message):
        _hits(dev_store, term)


def test_bulk_writes_are_checkpointed_while_the_store_is_open(tmp_path: Path) -> None:
    """The write-ahead log is copied into the database file by a background thread: with
    SQLite's automatic checkpoint alone, ~3 MB of records would stay in the log until close."""
    db = tmp_path / "s.db"
    articles = list(iter_articles_from_file(SAMPLE))
    with open_store(db) as store:
        empty = db.stat().st_size
        for start in range(0, len(articles), 20):
            store.upsert_articles(articles[start : start + 20], None)
        deadline = time.monotonic() + 30
        while db.stat().st_size < empty + (1 << 20) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert db.stat().st_size > empty + (1 << 20)
    assert not any(t.name == "litwatch-checkpoint" for t in threading.enumerate())
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM article").fetchone() == (len(articles),)
