"""The weekly loop: digest (what changed) and review (a person corrects the tags)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer

from litwatch.claims.catalogue import Catalogue
from litwatch.cli.app import ClaimsOption, DbOption, RulesOption, app, command, emit, err, out
from litwatch.config import resolve_db_path
from litwatch.errors import ConfigError, LitwatchError
from litwatch.models import SAMPLE_NOTE, WHOLE_RECORD, Digest, Review
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
    style: Annotated[
        str,
        typer.Option(
            "--style", help="Reference style of markdown, html and atom: vancouver, ama, apa."
        ),
    ] = "vancouver",
    output: OutputOption = None,
    db: DbOption = None,
    claims: ClaimsOption = None,
    rules: RulesOption = None,
) -> None:
    """What changed: new and revised records per saved search, with the claims they touch,
    and every claim whose status or certainty moved, with the records that moved it."""
    if fmt not in DIGEST_FORMATS:
        raise ConfigError(f"unknown format {fmt!r}: choose one of {', '.join(DIGEST_FORMATS)}")
    from litwatch.report.citations import check_style  # a wrong style is an error, always

    check_style(style)
    documents = fmt in ("markdown", "html", "atom") or (fmt == "table" and output is not None)
    result = build_digest(resolve_db_path(db), since, claims, rules, style if documents else None)
    if fmt == "table" and output is None:
        if result.sample:
            out().print(render.render_banner(SAMPLE_NOTE))
        print_digest(result)
        return
    text = digest_text(result, "markdown" if fmt == "table" else fmt)
    emit(text, output, result.sample and fmt != "json")


@command(
    app,
    "review",
    "litwatch review --claim no-hyperpigmentation --uncertain",
    "litwatch review --export reviews.csv",
    "litwatch review --import reviews.csv --reviewer 'A. Reviewer'",
)
def review(
    claim: Annotated[str | None, typer.Option("--claim", help="Only this claim id.")] = None,
    stance: Annotated[
        str | None, typer.Option("--stance", help="Only tags with this stance.")
    ] = None,
    design: Annotated[
        str | None, typer.Option("--design", help="Only records of this study design.")
    ] = None,
    pmid: Annotated[int | None, typer.Option("--pmid", help="Only this record.")] = None,
    uncertain: Annotated[
        bool,
        typer.Option(
            "--uncertain", help="Uncertain tags first (where the tagger errs most often)."
        ),
    ] = False,
    all_tags: Annotated[
        bool, typer.Option("--all", help="Include tags a person has already reviewed.")
    ] = False,
    export: Annotated[
        Path | None,
        typer.Option("--export", help="Write the tags to review as CSV, to edit in a sheet."),
    ] = None,
    import_: Annotated[
        Path | None,
        typer.Option("--import", help="Store the rows of an edited CSV that change a tag."),
    ] = None,
    reviewer: Annotated[
        str | None, typer.Option("--reviewer", help="Who reviews (default: your user name).")
    ] = None,
    db: DbOption = None,
    claims: ClaimsOption = None,
) -> None:
    """Go through the tags and correct them: accept, change the stance, drop, add a claim
    the tagger missed, or set an irrelevant record aside. Reviews win over the tagger and
    survive re-tagging."""
    from litwatch.workflows import review as reviews

    path = resolve_db_path(db)
    if export is not None and import_ is not None:
        raise ConfigError("use --export or --import, not both")
    if import_ is not None:
        done = reviews.import_review_file(path, import_, claims, reviewer)
        out().print(
            f"Stored {done.changed} changed, {done.dropped} dropped, {done.added} added and "
            f"{done.accepted} accepted tag(s); {done.excluded} record(s) set aside, "
            f"{done.included} taken back.",
            markup=False,
        )
        return
    wanted = reviews.ReviewFilter(
        claim, stance, design, pmid, uncertain, all_tags or export is not None
    )
    catalogue, rows = reviews.tags_to_review(path, claims, wanted)
    if export is not None:
        emit(reviews.render_review_csv(rows), export, what=f"{len(rows)} tags")
        return
    _review_interactively(path, catalogue, rows, reviewer or reviews.default_reviewer())


def _review_interactively(
    path: Path, catalogue: Catalogue, rows: list[dict[str, Any]], who: str
) -> None:
    from litwatch.report.render_review import PROMPT, render_review_item
    from litwatch.workflows.review import save_reviews

    if not rows:
        out().print("Nothing to review (use --all to see reviewed tags again).")
        return
    stored = 0
    statements = {c.id: c.statement for c in catalogue.claims}
    for i, row in enumerate(rows, start=1):
        out().print(render_review_item(row, statements[row["claim_id"]], f"[{i}/{len(rows)}]"))
        choice = typer.prompt(PROMPT, default="n", show_default=False).strip().lower()
        if choice == "q":
            break
        try:
            review = _decide(choice, row, catalogue, who)
            if review is None:
                continue
            note = typer.prompt("Note (Enter for none)", default="", show_default=False)
            stored += save_reviews(path, [replace(review, note=note.strip())])
        except LitwatchError as exc:  # a typo costs this answer, not the session
            err().print(f"Not stored: {exc}", markup=False, highlight=False)
    out().print(f"Stored {stored} review(s) by {who}.", markup=False)


STANCE_KEYS = {"s": "supports", "c": "contradicts", "m": "mentions"}


def _decide(choice: str, row: dict[str, Any], catalogue: Catalogue, who: str) -> Review | None:
    pmid = int(row["pmid"])
    if choice == "a":
        return Review(pmid, row["claim_id"], row["stance"], who, row["sentence"])
    if choice in STANCE_KEYS:
        return Review(pmid, row["claim_id"], STANCE_KEYS[choice], who, row["sentence"])
    if choice == "d":
        return Review(pmid, row["claim_id"], "none", who)
    if choice == "x":
        return Review(pmid, WHOLE_RECORD, "exclude", who)
    if choice == "+":
        claim = catalogue.get(typer.prompt("Claim id").strip()).id
        stance = STANCE_KEYS.get(typer.prompt("Stance (s/c/m)").strip().lower())
        if stance is None:
            raise ConfigError("stance must be s, c or m")
        sentence = typer.prompt("Deciding sentence").strip()
        return Review(pmid, claim, stance, who, sentence)
    return None
