"""The command line: parse options, call one workflow, render its result. Nothing else.

Every `LitwatchError` becomes one line `Error: ...` on stderr and a non-zero exit, here,
in `_command`; commands have no try/except of their own.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from litwatch import __version__
from litwatch.config import resolve_db_path
from litwatch.errors import LitwatchError
from litwatch.report import render
from litwatch.workflows import library
from litwatch.workflows.run import SAMPLE_BANNER, run_command

F = TypeVar("F", bound=Callable[..., Any])

app = typer.Typer(
    help="Track what the published literature says about a set of claims, week by week.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
export_app = typer.Typer(help="Write stored data to files (CSV, JSON).", no_args_is_help=True)
app.add_typer(export_app, name="export")


def _out() -> Console:
    # Made per call so COLUMNS and the current stdout (tests swap it) are honoured.
    return Console()


def _err() -> Console:
    return Console(stderr=True)


DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db", help="Database file (default: $LITWATCH_DB, else data/litwatch.db).", dir_okay=False
    ),
]


def _command(target: typer.Typer, name: str, *examples: str) -> Callable[[F], F]:
    """Register a command whose LitwatchErrors become one line and an exit code."""
    # "\b" keeps click from re-wrapping the example lines.
    epilog = "\b\nExamples:\n" + "\n".join(f"  {e}" for e in examples)

    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except LitwatchError as exc:
                _err().print(f"Error: {exc}", markup=False, highlight=False, soft_wrap=True)
                raise typer.Exit(exc.exit_code) from None

        target.command(name, epilog=epilog)(wrapper)
        return fn

    return decorate


@_command(
    app,
    "run",
    "litwatch run --sample",
    "NCBI_EMAIL=you@example.org litwatch run",
    "litwatch run kratom-withdrawal --from pubmed-export.xml",
)
def run(
    names: Annotated[
        list[str] | None, typer.Argument(help="Saved searches to run (default: all).")
    ] = None,
    queries: Annotated[Path, typer.Option("--queries", help="Folder of saved searches.")] = Path(
        "queries"
    ),
    sample: Annotated[
        bool, typer.Option("--sample", help="Run offline on the bundled synthetic sample.")
    ] = False,
    from_file: Annotated[
        Path | None, typer.Option("--from", help="Run offline on this PubMed XML file.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Run saved PubMed searches and store what is new or revised."""
    if sample and from_file:
        raise typer.BadParameter("use --sample or --from, not both")
    if sample:
        _out().print(render.render_banner(SAMPLE_BANNER))
    with render.RichRunProgress(_out()) as progress:
        summaries = run_command(
            resolve_db_path(db, sample=sample),
            queries,
            names or [],
            sample=sample,
            from_file=from_file,
            progress=progress,
        )
    _out().print(render.render_run_summaries(summaries))
    if sample:
        _out().print(render.render_banner(SAMPLE_BANNER))
    failed = [s.query for s in summaries if s.status != "ok"]
    if failed:
        _err().print(f"Error: {len(failed)} search(es) failed: {', '.join(failed)}", markup=False)
        raise typer.Exit(1)


@_command(
    app,
    "import",
    "litwatch import pubmed-export.xml.gz",
    "litwatch import a.xml b.xml --db data/litwatch.db",
)
def import_(
    files: Annotated[list[Path], typer.Argument(help="PubMed XML files (.xml or .xml.gz).")],
    db: DbOption = None,
) -> None:
    """Import PubMed XML exports into the store."""
    with render.RichRunProgress(_out()) as progress:
        summaries = library.import_files(resolve_db_path(db), files, progress)
    _out().print(render.render_run_summaries(summaries))


@_command(app, "reparse", "litwatch reparse --db data/litwatch.db")
def reparse(db: DbOption = None) -> None:
    """Rebuild every parsed field from the stored raw XML (after a parser upgrade)."""
    with render.RichRunProgress(_out()) as progress:
        count = library.reparse_store(resolve_db_path(db), progress)
    _out().print(f"Re-parsed {count} records.")


@_command(app, "status", "litwatch status", "litwatch status --db data/sample.db")
def status(db: DbOption = None) -> None:
    """Show what is stored, the last run of each search, and what the latest run brought."""
    result = library.status_of_store(resolve_db_path(db))
    sample = result.origin == "sample"
    if sample:
        _out().print(render.render_banner(SAMPLE_BANNER))
    _out().print(render.render_status(result))


@_command(app, "search", "litwatch search 'kratom[tiab] AND withdraw*[tiab]' --limit 10")
def search(
    term: Annotated[
        str, typer.Argument(help="A PubMed search term, evaluated on the local store.")
    ],
    limit: Annotated[int, typer.Option("--limit", min=1, help="Show at most this many.")] = 20,
    db: DbOption = None,
) -> None:
    """Search the local store with PubMed syntax (offline)."""
    count, rows = library.search_store(resolve_db_path(db), term, limit)
    _out().print(render.render_search_hits(count, rows))


@_command(
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

    rows, origin = library.records_for_export(resolve_db_path(db))
    text = export.render_table_file(export.record_table(rows), fmt)
    if origin == "sample":
        _err().print(SAMPLE_BANNER, markup=False)
    if output is None:
        typer.echo(text, nl=False)
    else:
        export.write_text(text, output)
        _err().print(f"Wrote {len(rows)} records to {output}", markup=False)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"litwatch {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Track what the published literature says about a set of claims, week by week."""


def main() -> None:
    app()
