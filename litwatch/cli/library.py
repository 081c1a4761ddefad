"""Commands over the library: run, import, reparse, status, search, export records."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from litwatch.cli.app import ClaimsOption, DbOption, app, command, emit, err, export_app, out
from litwatch.cli.weekly import print_digest
from litwatch.config import find_queries, resolve_db_path
from litwatch.errors import ConfigError
from litwatch.models import SAMPLE_NOTE, Digest, count_of
from litwatch.report import render
from litwatch.report.digest import summary_line
from litwatch.workflows import library
from litwatch.workflows.digest import build_digest
from litwatch.workflows.progress import NoProgress
from litwatch.workflows.run import run_command


@command(
    app,
    "run",
    "litwatch run --sample",
    "NCBI_EMAIL=you@example.org litwatch run",
    "litwatch run kratom-withdrawal --from pubmed-export.xml",
    "litwatch run --sample --from data/sample/kratom-week2.xml --exit-code",
)
def run(
    names: Annotated[
        list[str] | None, typer.Argument(help="Saved searches to run (default: all).")
    ] = None,
    queries: Annotated[
        Path | None,
        typer.Option(
            "--queries",
            help="Folder of saved searches (default: queries/; with --sample, the shipped ones "
            "when there is none here).",
        ),
    ] = None,
    sample: Annotated[
        bool,
        typer.Option(
            "--sample",
            help="Run offline on the bundled synthetic sample (with --from: a sample file, "
            "such as data/sample/kratom-week2.xml), into data/sample.db.",
        ),
    ] = False,
    from_file: Annotated[
        Path | None, typer.Option("--from", help="Run offline on this PubMed XML file.")
    ] = None,
    quiet: Annotated[
        bool,
        typer.Option("--quiet", "-q", help="Print only a one-line summary (for cron)."),
    ] = False,
    exit_code: Annotated[
        bool,
        typer.Option(
            "--exit-code",
            help="Exit 0 when nothing changed, 3 when new or revised records arrived, 4 when "
            "a claim's status or certainty changed (a failed search is still 1).",
        ),
    ] = False,
    db: DbOption = None,
    claims: ClaimsOption = None,
) -> None:
    """Run saved PubMed searches, store what is new or revised, tag it with the claims, and
    show what changed (the digest of this run; the full report is `litwatch report`)."""
    path = resolve_db_path(db, sample=sample)
    if sample and not quiet:
        out().print(render.render_banner(SAMPLE_NOTE))
    progress = NoProgress() if quiet else render.RichRunProgress(out())
    with progress if isinstance(progress, render.RichRunProgress) else nullcontext():
        summaries = run_command(
            path, find_queries(queries, sample), names or [], sample=sample, from_file=from_file,
            progress=progress, claims=claims,
        )  # fmt: skip
    failed = [s.query for s in summaries if s.status != "ok"]
    if not quiet:
        out().print(render.render_run_summaries(summaries))
    if len(failed) == len(summaries):  # nothing ran: no digest to show as if it were news
        raise_failed(failed)
    result = build_digest(path, None, claims)
    if quiet:
        out().print(summary_line(result), markup=False, highlight=False, soft_wrap=True)
    else:
        print_digest(result)
        where = f" --db {path}" if db or sample else ""
        out().print(Text(f"The full report: litwatch report{where}", style="dim"))
        if sample:
            out().print(render.render_banner(SAMPLE_NOTE))
    if failed:
        raise_failed(failed)
    if exit_code:
        raise typer.Exit(change_status(result))


def raise_failed(failed: list[str]) -> None:
    err().print(f"Error: {len(failed)} search(es) failed: {', '.join(failed)}", markup=False)
    raise typer.Exit(1)


def change_status(digest: Digest) -> int:
    """`run --exit-code`: what changed, for a cron job (docs/weekly.md)."""
    if digest.claims_changed:
        return 4
    return 3 if digest.new_records or digest.revised_records else 0


@command(
    app,
    "import",
    "litwatch import pubmed-export.xml.gz",
    "litwatch import pubmed-export.nbib a.xml --db data/litwatch.db",
    "NCBI_EMAIL=you@example.org litwatch import pmids.txt",
)
def import_(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="PubMed XML (.xml, .xml.gz), MEDLINE files (.nbib: PubMed's 'Save, Format: "
            "PubMed'), or lists of PMIDs (fetched from PubMed)."
        ),
    ],
    db: DbOption = None,
    claims: ClaimsOption = None,
    no_tag: Annotated[
        bool, typer.Option("--no-tag", help="Store only; tag later (report, eval, export tags).")
    ] = False,
) -> None:
    """Import PubMed exports (XML or MEDLINE) or lists of PMIDs into the store, and tag them
    with the claims."""
    with render.RichRunProgress(out()) as progress:
        summaries = library.import_files(resolve_db_path(db), files, progress, claims, not no_tag)
    out().print(render.render_run_summaries(summaries))


@command(app, "reparse", "litwatch reparse --db data/litwatch.db")
def reparse(db: DbOption = None) -> None:
    """Rebuild every parsed field from the stored raw XML (after a parser upgrade)."""
    with render.RichRunProgress(out()) as progress:
        count = library.reparse_store(resolve_db_path(db), progress)
    out().print(f"Re-parsed {count_of(count, 'record')}.")


@command(app, "status", "litwatch status", "litwatch status --db data/sample.db")
def status(db: DbOption = None) -> None:
    """Show what is stored, the last run of each search, and what the latest run brought."""
    result = library.status_of_store(resolve_db_path(db))
    sample = result.origin == "sample"
    if sample:
        out().print(render.render_banner(SAMPLE_NOTE))
    out().print(render.render_status(result))


SEARCH_FORMATS = ("table", "pmid", "csv", "ris")


@command(
    app,
    "search",
    "litwatch search 'kratom[tiab] AND withdraw*[tiab]' --limit 10",
    "litwatch search 'kratom[tiab] AND \"Case Reports\"[pt]' --format pmid --output cases.txt",
    "litwatch search 'kratom[mh]' --format ris --output kratom.ris",
)
def search(
    term: Annotated[
        str, typer.Argument(help="A PubMed search term, evaluated on the local store.")
    ],
    limit: Annotated[
        int | None,
        typer.Option("--limit", min=1, help="At most this many (table default: 20; else all)."),
    ] = None,
    fmt: Annotated[
        str,
        typer.Option("--format", help="table, pmid (one per line), csv or ris."),
    ] = "table",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
    db: DbOption = None,
) -> None:
    """Search the local store with PubMed syntax (offline); list or export the hits."""
    if fmt not in SEARCH_FORMATS:
        raise ConfigError(f"unknown format {fmt!r}: choose one of {', '.join(SEARCH_FORMATS)}")
    if fmt == "table" and output is None:
        count, rows = library.search_store(resolve_db_path(db), term, limit or 20)
        out().print(render.render_search_hits(count, rows))
        return
    text = _search_file(resolve_db_path(db), term, limit, fmt)
    emit(text, output, what="hits")


def _search_file(db: Path, term: str, limit: int | None, fmt: str) -> str:
    from litwatch.report import export  # pandas: loaded only by the commands that write files

    if fmt == "ris":
        from litwatch.report.references import render_references

        return render_references(library.search_references(db, term, limit), "ris")
    _count, rows = library.search_store(db, term, limit)
    if fmt == "pmid":
        return "".join(f"{r['pmid']}\n" for r in rows)
    return export.render_table_file(export.record_table(rows), "csv")


@command(
    export_app,
    "records",
    "litwatch export records --format csv --output records.csv",
    "litwatch export records --format json --db data/sample.db",
)
def export_records(
    fmt: Annotated[str, typer.Option("--format", help="csv or json.")] = "csv",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
    db: DbOption = None,
) -> None:
    """One row per stored record, with the saved searches that found it."""
    from litwatch.report import export  # pandas: loaded only by the commands that write files

    export.check_table_format(fmt)  # before the database is opened
    rows, origin = library.records_for_export(resolve_db_path(db))
    text = export.render_table_file(export.record_table(rows), fmt)
    emit(text, output, origin == "sample", what=count_of(len(rows), "record"))
