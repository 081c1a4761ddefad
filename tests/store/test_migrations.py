"""The schema: a new database, a migrated one and the SQLModel models all agree."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

from litwatch.errors import StoreError
from litwatch.store import open_store
from litwatch.store.database import SCHEMA_HEAD, _alembic_config, make_engine
from tests.conftest import REPO, cli

FIXTURES = REPO / "tests" / "fixtures"


def _schema(path: Path) -> dict[str, object]:
    """Every table's columns, indexes and foreign keys, whatever order they were made in
    (migrations append columns), the full-text index and the revision stamp."""
    with sqlite3.connect(path) as conn:
        objects = conn.execute(
            "SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
        ).fetchall()
        tables = {}
        for kind, name, _ in objects:
            if kind == "table" and not name.startswith("article_fts"):
                tables[name] = (
                    {col[1:] for col in conn.execute(f"PRAGMA table_info('{name}')")},
                    sorted(
                        (
                            ix[1],
                            ix[2],
                            [c[::2] for c in conn.execute(f"PRAGMA index_info('{ix[1]}')")],
                        )
                        for ix in conn.execute(f"PRAGMA index_list('{name}')")
                    ),
                    {fk[2:] for fk in conn.execute(f"PRAGMA foreign_key_list('{name}')")},
                )
        return {
            "objects": sorted(objects),
            "tables": tables,
            "fts": conn.execute(
                "SELECT sql FROM sqlite_master WHERE name = 'article_fts'"
            ).fetchone(),
            "revision": conn.execute("SELECT version_num FROM alembic_version").fetchall(),
        }


def _migrated(path: Path, revision: str = "head") -> None:
    """A database made the long way: every migration from an empty file."""
    engine = make_engine(path)
    with engine.begin() as conn:
        cfg = _alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    engine.dispose()


def test_schema_head_is_alembics_head() -> None:
    assert ScriptDirectory.from_config(_alembic_config()).get_current_head() == SCHEMA_HEAD


def test_new_database_equals_a_migrated_one(tmp_path: Path) -> None:
    with open_store(tmp_path / "new.db"):
        pass
    _migrated(tmp_path / "migrated.db")
    assert _schema(tmp_path / "new.db") == _schema(tmp_path / "migrated.db")


@pytest.mark.parametrize("how", ["new", "migrated"])
def test_database_equals_the_models(tmp_path: Path, how: str) -> None:
    if how == "new":
        with open_store(tmp_path / "s.db"):
            pass
    else:
        _migrated(tmp_path / "s.db")
    engine = make_engine(tmp_path / "s.db")
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "include_name": lambda name, *_: not (name or "").startswith("article_fts"),
                "compare_type": True,
            },
        )
        assert compare_metadata(context, SQLModel.metadata) == []
    engine.dispose()


def test_older_database_is_upgraded_keeping_its_records(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _migrated(path, "0001")
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO article (pmid, title, title_markup, abstract, abstract_sections, "
            "authors, languages, publication_types, mesh, keywords, chemicals, retracted, "
            "retraction_notices, raw_xml, content_hash, stored_at) VALUES (7, 'kept', '', '', "
            "'[]', '[]', '[]', '[]', '[]', '[]', '[]', 0, '[]', x'00', 'h', '2026-01-01')"
        )
    with open_store(path) as store:
        assert store.count_untagged("any") == 1  # 0002's tag columns, on the kept record
    assert _schema(path)["revision"] == [(SCHEMA_HEAD,)]


def test_database_from_a_newer_litwatch_is_refused(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.db"):
        pass
    with sqlite3.connect(tmp_path / "s.db") as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    before = (tmp_path / "s.db").read_bytes()
    with (
        pytest.raises(StoreError, match="written by a newer version"),
        open_store(tmp_path / "s.db"),
    ):
        pass
    assert (tmp_path / "s.db").read_bytes() == before  # untouched
    files = {p.name for p in tmp_path.iterdir()} - {"s.db-wal", "s.db-shm"}  # SQLite's own
    assert files == {"s.db"}  # no backup of a database that was not changed


def test_a_database_made_by_the_previous_version_is_backed_up_then_migrated(
    tmp_path: Path,
) -> None:
    """tests/fixtures/schema-0003.db was written by litwatch at schema 0003 (commit a55505f,
    importing three synthetic records): the first command that opens it keeps a copy as it
    was, then upgrades it in place."""
    db = tmp_path / "old.db"
    shutil.copy(FIXTURES / "schema-0003.db", db)
    result = cli("report", "--format", "json", "--db", db)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["stamp"]["records"] == 3
    backup = tmp_path / "old.db.rev0003.bak"
    assert _schema(backup)["revision"] == [("0003",)]
    old_rows = "SELECT pmid, raw_xml, content_hash FROM article ORDER BY pmid"
    with sqlite3.connect(backup) as b, sqlite3.connect(FIXTURES / "schema-0003.db") as f:
        assert b.execute(old_rows).fetchall() == f.execute(old_rows).fetchall()
    assert _schema(db)["revision"] == [(SCHEMA_HEAD,)]
    with sqlite3.connect(db) as conn:
        assert (
            conn.execute(old_rows).fetchall()
            == sqlite3.connect(backup).execute(old_rows).fetchall()
        )
        assert conn.execute("SELECT count(*) FROM article_history").fetchone() == (3,)
    again = cli("report", "--db", db)  # up to date now: no second backup
    assert again.exit_code == 0
    files = {p.name for p in tmp_path.iterdir()} - {"old.db-wal", "old.db-shm"}
    assert files == {"old.db", "old.db.rev0003.bak"}


def test_opening_an_up_to_date_database_does_not_load_alembic(tmp_path: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from litwatch.store import open_store\n"
        f"for _ in range(2):\n    with open_store(Path({str(tmp_path / 's.db')!r})): pass\n"
        "print('alembic' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_another_programs_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        conn.execute("INSERT INTO notes (body) VALUES ('keep me')")
    conn.close()
    with pytest.raises(StoreError, match="not a litwatch database"), open_store(path):
        pass
    with sqlite3.connect(path) as conn:
        tables = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        assert tables == [("notes",)]
        assert conn.execute("SELECT body FROM notes").fetchall() == [("keep me",)]
    conn.close()
