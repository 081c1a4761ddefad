"""Files for other tools: CSV and JSON through pandas."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from litwatch.errors import ConfigError, OutputError
from litwatch.models import pubmed_url
from litwatch.report.cells import safe_cell

RECORD_COLUMNS = [
    "pmid", "title", "first_author", "journal", "year", "pub_date", "doi", "pmc",
    "publication_types", "mesh", "retracted", "queries", "first_seen_run", "design",
    "population", "url",
]  # fmt: skip
TAG_COLUMNS = [
    "pmid", "claim_id", "stance", "sentence", "section", "rule", "design", "population", "year",
    "title", "first_author", "journal", "retracted", "catalogue_version", "url", "reviewed",
    "tagger_stance",
]  # fmt: skip
FORMATS = ("csv", "json")


def record_table(rows: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """One row per stored record, lists as lists (joined with '; ' in CSV)."""
    records = [
        {
            "pmid": r["pmid"],
            "title": r["title"],
            "first_author": r["first_author"],
            "journal": r["journal"],
            "year": r["pub_year"],
            "pub_date": r["pub_date"],
            "doi": r["doi"],
            "pmc": r["pmc"],
            "publication_types": json.loads(r["publication_types"]),
            "mesh": [m["descriptor"] for m in json.loads(r["mesh"])],
            "retracted": bool(r["retracted"]),
            "queries": sorted((r["queries"] or "").split(";")) if r["queries"] else [],
            "first_seen_run": r["first_seen_run"],
            "design": r["design"],
            "population": r["population"],
            "url": pubmed_url(r["pmid"]),
        }
        for r in rows
    ]
    frame = pd.DataFrame.from_records(records, columns=RECORD_COLUMNS)
    return frame.astype({"year": "Int64", "first_seen_run": "Int64"})


def tag_table(rows: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """One row per (record, claim) tag, with what a citation needs."""
    records = [
        {
            **{
                k: r[k]
                for k in (
                    "pmid",
                    "claim_id",
                    "stance",
                    "sentence",
                    "section",
                    "rule",
                    "design",
                    "population",
                    "title",
                    "first_author",
                    "catalogue_version",
                )
            },
            "year": r["pub_year"],
            "journal": r["journal_abbrev"] or r["journal"],
            "retracted": bool(r["retracted"]),
            "url": pubmed_url(r["pmid"]),
            # `stance` is the reviewed stance where a person reviewed the tag
            "reviewed": bool(r["reviewed"]),
            "tagger_stance": r["tagger_stance"],
        }
        for r in rows
    ]
    return pd.DataFrame.from_records(records, columns=TAG_COLUMNS).astype({"year": "Int64"})


def check_table_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ConfigError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")


def render_table_file(frame: pd.DataFrame, fmt: str) -> str:
    """The table as CSV or JSON text."""
    check_table_format(fmt)
    if fmt == "json":
        return frame.to_json(orient="records", force_ascii=False, indent=2) or "[]"
    flat = frame.copy()
    for column in flat.columns:
        flat[column] = flat[column].map(safe_cell)
        if flat[column].dtype == bool:  # true/false, as spreadsheets and other tools read them
            flat[column] = flat[column].map({True: "true", False: "false"})
        if flat[column].map(lambda v: isinstance(v, list)).any():
            flat[column] = flat[column].map(
                lambda v: safe_cell("; ".join(v)) if isinstance(v, list) else v
            )
    return flat.to_csv(index=False)


def write_text(text: str, output: Path | None) -> None:
    """Write to `output` atomically (a temp file renamed into place), never half a file."""
    if output is None:
        raise ConfigError("no output file given")
    if output.is_dir():
        raise OutputError(f"{output} is a folder: give a file name (e.g. {output / 'report.html'})")
    tmp = output.with_name(output.name + ".part")
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        # A .csv file starts with a byte-order mark: without it Excel reads UTF-8 as ANSI.
        tmp.write_text(text, encoding="utf-8-sig" if output.suffix.lower() == ".csv" else "utf-8")
        tmp.replace(output)
    except OSError as exc:
        with contextlib.suppress(OSError):  # there may be no .part to remove, or no folder
            tmp.unlink(missing_ok=True)
        raise OutputError(f"cannot write {output}: {exc.strerror or exc}") from None
