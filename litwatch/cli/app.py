"""The typer app, the shared options, and the one place errors become a line and an exit code."""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from litwatch import __version__, signals
from litwatch.errors import LitwatchError, Terminated

F = TypeVar("F", bound=Callable[..., Any])

HELP = {"help_option_names": ["-h", "--help"]}
app = typer.Typer(
    help="Track what the published literature says about a set of claims, week by week.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    context_settings=HELP,
)
export_app = typer.Typer(
    help="Write stored data to files (CSV, JSON, RIS, BibTeX, CSL-JSON).",
    no_args_is_help=True,
    context_settings=HELP,
)
# Choices users type in any case (`--format HTML`, `--style APA`).
CASE_FREE = ("fmt", "style")
app.add_typer(export_app, name="export")


def out() -> Console:
    # Made per call so COLUMNS and the current stdout (tests swap it) are honoured.
    return Console()


def err() -> Console:
    return Console(stderr=True)


DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db", help="Database file (default: $LITWATCH_DB, else data/litwatch.db).", dir_okay=False
    ),
]


def emit(text: str, output: Path | None, sample: bool = False, what: str | None = None) -> None:
    """A command's file text to `output` (written whole, atomically) or to stdout; the sample
    note on stderr, so it never mixes into the text."""
    from litwatch.models import SAMPLE_NOTE
    from litwatch.report.export import write_text  # pandas: loaded only to write files

    if sample:
        err().print(SAMPLE_NOTE, markup=False)
    if output is None:
        typer.echo(text, nl=False)
    else:
        write_text(text, output)
        err().print(f"Wrote {what} to {output}" if what else f"Wrote {output}", markup=False)


def command(target: typer.Typer, name: str, *examples: str) -> Callable[[F], F]:
    """Register a command whose LitwatchErrors become one line and an exit code."""
    # "\b" keeps click from re-wrapping the example lines.
    epilog = "\b\nExamples:\n" + "\n".join(f"  {e}" for e in examples)

    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            for name in CASE_FREE:
                if isinstance(kwargs.get(name), str):
                    kwargs[name] = kwargs[name].lower()
            try:
                return fn(*args, **kwargs)
            except LitwatchError as exc:
                err().print(f"Error: {exc}", markup=False, highlight=False, soft_wrap=True)
                raise typer.Exit(exc.exit_code) from None

        target.command(name, epilog=epilog)(wrapper)
        return fn

    return decorate


ClaimsOption = Annotated[
    Path | None,
    typer.Option("--claims", help="Claim catalogue (default: data/claims.toml).", dir_okay=False),
]
RulesOption = Annotated[
    Path | None,
    typer.Option("--rules", help="Evidence rules (default: data/evidence.toml).", dir_okay=False),
]


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
    # SIGTERM (cron, systemd) unwinds like Ctrl-C, and neither lands inside a write.
    signals.install()
    try:
        app()
    except (KeyboardInterrupt, Terminated) as exc:  # outside a run, or again in its cleanup
        err().print("Interrupted.", markup=False)
        raise SystemExit(130 if isinstance(exc, KeyboardInterrupt) else 143) from None
    finally:
        # The process ends next: spare it the last garbage collections, over every object the
        # libraries made (~0.3 s for SQLAlchemy's alone). Stores and files are closed by now.
        gc.freeze()
