"""The weekly loop: digest (what changed) and review (a person corrects the tags)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from litwatch.cli.app import ClaimsOption, DbOption, RulesOption, app, command, err, out
from litwatch.config import resolve_db_path
from litwatch.errors import ConfigError
from litwatch.models import SAMPLE_NOTE, Digest
from litwatch.report import render
from litwatch.report.digest import (
    DIGEST_FORMATS,
    render_digest_html,
    render_digest_json,
    render_digest_markdown,
)
from litwatch.workflows.digest import build_digest

OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
]


def digest_text(digest: Digest, fmt: str) -> str:
    if fmt == "atom":
        from litwatch.report.feed import render_digest_atom  # feedgen: for feeds only

        return render_digest_atom(digest)
    if fmt == "json":
        return render_digest_json(digest)
    return render_digest_html(digest) if fmt == "html" else render_digest_markdown(digest)


def print_digest(digest: Digest) -> None:
    from litwatch.report.render_digest import render_digest

    out().print(render_digest(digest))


@command(
    app,
    "digest",
    "litwatch digest",
    "litwatch digest --since 2026-11-01 --format markdown --output week.md",
    "litwatch digest --since 12 --format atom --output litwatch.atom",
)
def digest(
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="A run number (what it and later runs brought) or a day YYYY-MM-DD "
            "(default: the latest run).",
        ),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", help="table, markdown, html, json or atom.")
    ] = "table",
    output: OutputOption = None,
    db: DbOption = None,
    claims: ClaimsOption = None,
    rules: RulesOption = None,
) -> None:
    """What changed: new and revised records per saved search, with the claims they touch,
    and every claim whose status or certainty moved, with the records that moved it."""
    if fmt not in DIGEST_FORMATS:
        raise ConfigError(f"unknown format {fmt!r}: choose one of {', '.join(DIGEST_FORMATS)}")
    result = build_digest(resolve_db_path(db), since, claims, rules)
    if fmt == "table" and output is None:
        if result.sample:
            out().print(render.render_banner(SAMPLE_NOTE))
        print_digest(result)
        return
    from litwatch.report.export import write_text

    text = digest_text(result, "markdown" if fmt == "table" else fmt)
    if result.sample and fmt != "json":
        err().print(SAMPLE_NOTE, markup=False)
    if output is None:
        typer.echo(text, nl=False)
    else:
        write_text(text, output)
        err().print(f"Wrote {output}", markup=False)
