"""The history the database keeps by itself: every tag and record state with when it held,
the XML a revision replaced, and the backfill when an older database is migrated."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from alembic import command

from litwatch.store import open_store
from litwatch.store.database import _alembic_config, make_engine
from tests.conftest import QUERIES, cli
from tests.synthetic import article_set, make_record


def _rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def test_a_revision_keeps_the_replaced_xml_and_closes_the_old_states(tmp_path: Path) -> None:
    abstract = "Kratom significantly reduced pain scores compared with placebo."
    (tmp_path / "a.xml").write_bytes(article_set([make_record(5, abstract=abstract)]))
    revised = make_record(5, abstract="Kratom did not reduce pain compared with placebo.")
    (tmp_path / "b.xml").write_bytes(article_set([revised]))
    assert cli("import", "a.xml", "--db", "h.db").exit_code == 0
    original = _rows(tmp_path / "h.db", "SELECT raw_xml FROM article")[0][0]
    assert cli("import", "b.xml", "--db", "h.db").exit_code == 0
    db = tmp_path / "h.db"
    kept = _rows(db, "SELECT pmid, raw_xml, replaced_by_run FROM article_revision")
    assert kept == [(5, original, 2)]
    tags = _rows(
        db,
        "SELECT stance, valid_to IS NULL FROM claim_tag_history WHERE claim_id = 'pain-relief' ORDER BY id",
    )
    assert tags == [("supports", 0), ("contradicts", 1)]
    open_states = _rows(db, "SELECT count(*) FROM article_history WHERE valid_to IS NULL")
    assert open_states == [(1,)]


def test_an_older_database_gets_its_history_from_what_it_holds(tmp_path: Path) -> None:
    assert cli("run", "--sample", "--queries", QUERIES).exit_code == 0
    db = tmp_path / "data" / "sample.db"
    now = cli("report", "--format", "json", "--db", db)
    engine = make_engine(db)  # back to the schema before history was kept
    with engine.begin() as conn:
        cfg = _alembic_config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0003")
    engine.dispose()
    assert not _rows(db, "SELECT name FROM sqlite_master WHERE name = 'claim_tag_history'")
    with open_store(db):  # migrated in place on open
        pass
    tags = _rows(db, "SELECT count(*) FROM claim_tag")
    assert _rows(db, "SELECT count(*) FROM claim_tag_history WHERE valid_to IS NULL") == tags
    records = _rows(db, "SELECT count(*) FROM article")
    assert _rows(db, "SELECT count(*) FROM article_history WHERE valid_to IS NULL") == records
    # The past can be asked for at once: as of now, the report is today's.
    moment = "2999-01-01"
    assert cli("report", "--as-of", moment, "--db", db).exit_code != 0  # future: refused
    latest = str(_rows(db, "SELECT max(valid_from) FROM claim_tag_history")[0][0])
    then = cli("report", "--format", "json", "--db", db, "--as-of", latest.replace(" ", "T"))
    claims = [json.loads(r.stdout)["claims"] for r in (now, then)]
    assert [(c["claim_id"], c["status"], c["counts"]) for c in claims[0]] == [
        (c["claim_id"], c["status"], c["counts"]) for c in claims[1]
    ]
