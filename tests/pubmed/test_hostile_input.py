"""Hostile or broken import files: refused cleanly (one line, nothing stored) when the file
cannot be trusted as a whole; record by record (the good ones stored, the bad ones listed
with the reason) when only some records are bad."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.conftest import cli
from tests.synthetic import article_set, make_record

HEAD = b'<?xml version="1.0"?>\n'


def _import(tmp_path: Path, name: str, data: bytes) -> tuple[int, str, int]:
    (tmp_path / name).write_bytes(data)
    result = cli("import", name, "--db", "h.db")
    db = tmp_path / "h.db"
    stored = 0
    if db.exists():
        with sqlite3.connect(db) as conn:
            stored = conn.execute("SELECT count(*) FROM article").fetchone()[0]
    return result.exit_code, result.output, stored


def _with_doctype(doctype: bytes, record: bytes) -> bytes:
    return HEAD + doctype + b"\n<PubmedArticleSet>" + record + b"</PubmedArticleSet>\n"


def test_an_xml_bomb_is_refused_unexpanded(tmp_path: Path) -> None:
    laughs = b"".join(
        b'<!ENTITY l%d "%s">' % (i, b"".join(b"&l%d;" % (i - 1) for _ in range(10)))
        for i in range(1, 10)
    )
    doctype = b'<!DOCTYPE b [<!ENTITY l0 "lol">' + laughs + b"]>"
    record = make_record(1, title="BOMB").replace(b"BOMB", b"&l9;")
    code, output, stored = _import(tmp_path, "bomb.xml", _with_doctype(doctype, record))
    assert code != 0 and output.splitlines()[-1].startswith("Error: bomb.xml: ")
    assert stored == 0


def test_an_external_entity_is_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("NEVER-READ-THIS")
    doctype = b'<!DOCTYPE x [<!ENTITY e SYSTEM "' + secret.as_uri().encode() + b'">]>'
    record = make_record(2, title="XXE").replace(b"XXE", b"&e;")
    code, output, _stored = _import(tmp_path, "xxe.xml", _with_doctype(doctype, record))
    assert code != 0 and "NEVER-READ-THIS" not in output
    export = cli("export", "records", "--format", "json", "--db", "h.db")
    assert "NEVER-READ-THIS" not in export.output


def test_invalid_utf8_is_refused_whole(tmp_path: Path) -> None:
    data = article_set([make_record(3), make_record(4, title="cafe")]).replace(b"cafe", b"caf\xe9")
    code, output, stored = _import(tmp_path, "latin1.xml", data)
    assert code != 0 and "Error: latin1.xml: " in output and stored == 0


def test_bad_records_among_good_ones_are_listed_and_the_good_stored(tmp_path: Path) -> None:
    huge = make_record(5, abstract="kratom " * ((5 << 20) // 7 + 1))  # a 5 MB text node
    no_pmid = make_record(6).replace(b'<PMID Version="1">6</PMID>', b"")
    records = [make_record(7, title="First copy."), huge, no_pmid, make_record(8),
               make_record(7, title="Second copy.")]  # fmt: skip
    code, output, stored = _import(tmp_path, "mixed.xml", article_set(records))
    assert code == 0, output
    assert stored == 2
    flat = " ".join(output.split())
    assert "left out: PMID 5: 5 MB, larger than any PubMed record" in flat
    assert "left out: record without a numeric PMID" in flat
    assert flat.count("PMIDs in the file more than once, the later copy stored: 7 (2 times)") == 1
    records_json = json.loads(cli("export", "records", "--format", "json", "--db", "h.db").stdout)
    assert {r["title"] for r in records_json if r["pmid"] == 7} == {"Second copy."}
