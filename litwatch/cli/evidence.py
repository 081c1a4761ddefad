"""Commands over the evidence: report, check, eval, export tags."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from litwatch.cli.app import (
    ClaimsOption,
    DbOption,
    RulesOption,
    app,
    command,
    emit,
    err,
    export_app,
    out,
)
from litwatch.config import resolve_db_path
from litwatch.errors import ConfigError
from litwatch.models import SAMPLE_NOTE
from litwatch.report import render
from litwatch.report.documents import FORMATS, render_report_file
from litwatch.workflows.explain import explain_sentence
from litwatch.workflows.report import (
    CitationFilter,
    build_report,
    check_text,
    evaluate_store,
    references_for_export,
    tags_for_export,
)

CHECK_FORMATS = ("text", "json")
OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
]


@command(
    app,
    "report",
    "litwatch report",
    "litwatch report --claim no-hyperpigmentation",
    "litwatch report --format html --output report.html",
    "litwatch report --format markdown --style apa --output report.md",
    "litwatch report --as-of 2026-11-01 --format json --output report-nov.json",
    "litwatch report --as-of 1 --claim safer-than-opioids --db data/sample.db",
)
def report(
    claim: Annotated[str | None, typer.Option("--claim", help="Only this claim id.")] = None,
    fmt: Annotated[
        str, typer.Option("--format", help="table, markdown, html, json or csv.")
    ] = "table",
    style: Annotated[
        str,
        typer.Option("--style", help="Reference style of markdown and html: vancouver, ama, apa."),
    ] = "vancouver",
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="The report as it stood when run N ended (a run number, see litwatch "
            "status), when a day (YYYY-MM-DD, UTC) ended, or at a moment (YYYY-MM-DDTHH:MM): "
            "records stored by then, their tags and reviews then current.",
        ),
    ] = None,
    output: OutputOption = None,
    db: DbOption = None,
    claims: ClaimsOption = None,
    rules: RulesOption = None,
) -> None:
    """What the stored literature says about each claim: status, reason, citations."""
    if fmt not in FORMATS:
        raise ConfigError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    from litwatch.report.citations import check_style  # citeproc: loaded when a report is made

    check_style(style)  # before the grading, not after
    result = build_report(resolve_db_path(db), claims, rules, claim, as_of)
    if fmt == "table":
        if result.sample:
            out().print(render.render_banner(SAMPLE_NOTE))
        console = out()
        console.print(render.render_report(result, width=console.width))
        return
    emit(render_report_file(result, fmt, style), output, result.sample)


@command(
    app,
    "check",
    "litwatch check 'kratom eases opioid withdrawal'",
    "litwatch check 'kratom does not cause skin darkening' --db data/sample.db",
    "litwatch check 'kratom is addictive' --format json",
    "litwatch check 'kratom relieves pain' --style apa",
)
def check(
    text: Annotated[
        str, typer.Argument(help="A claim in your own words: a sentence about kratom.")
    ],
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    style: Annotated[
        str, typer.Option("--style", help="Reference style: vancouver, ama or apa.")
    ] = "vancouver",
    db: DbOption = None,
    claims: ClaimsOption = None,
    rules: RulesOption = None,
) -> None:
    """For writers: the claims your sentence asserts or negates, their status, and the
    strongest supporting and contradicting records as references to paste."""
    if fmt not in CHECK_FORMATS:
        raise ConfigError(f"unknown format {fmt!r}: choose one of {', '.join(CHECK_FORMATS)}")
    result = check_text(resolve_db_path(db), text, claims, rules, style)
    if fmt == "json":
        emit(result.as_json() + "\n", None, result.sample)
        return
    console = out()
    if result.sample:
        console.print(render.render_banner(SAMPLE_NOTE))
    # Piped or redirected, each reference stays on one line, to paste whole.
    console.print(render.render_check(result), soft_wrap=not console.is_terminal)


@command(
    app,
    "eval",
    "litwatch eval labels.csv --db data/dev.db",
    "litwatch eval labels.csv --records records.csv --errors --db data/dev.db",
    "litwatch eval --reviews",
)
def eval_(
    labels: Annotated[
        Path | None, typer.Argument(help="Labels CSV: pmid,claim_id,stance[,evidence].")
    ] = None,
    records: Annotated[
        Path | None,
        typer.Option(
            "--records",
            help="Records CSV (pmid,design,population): score every record it lists, "
            "unlabelled ones included, and the design and population grades.",
        ),
    ] = None,
    errors: Annotated[
        bool, typer.Option("--errors", help="List every error with the rule behind it.")
    ] = False,
    reviews: Annotated[
        bool,
        typer.Option(
            "--reviews",
            help="Score the tagger against the tags people reviewed (litwatch review), "
            "instead of a labels file.",
        ),
    ] = False,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    db: DbOption = None,
    claims: ClaimsOption = None,
) -> None:
    """Compare the stored tags with a labels file, or with people's reviews: precision,
    recall, F1, stance confusion, errors by class and by rule."""
    fmt = fmt.lower()
    if fmt not in ("table", "json"):
        raise ConfigError(f"unknown format {fmt!r}: choose table or json")
    if (labels is None) == (not reviews):
        raise ConfigError("give a labels file or --reviews (one of the two)")
    if reviews:
        from litwatch.workflows.review import evaluate_reviews

        evaluation = evaluate_reviews(resolve_db_path(db), claims)
    else:
        assert labels is not None
        evaluation = evaluate_store(resolve_db_path(db), labels, claims, records)
    if fmt == "json":
        typer.echo(json.dumps(evaluation.as_dict(), indent=2, ensure_ascii=False))
        return
    out().print(render.render_evaluation(evaluation, list_errors=errors))


@command(
    app,
    "explain",
    "litwatch explain 'Kratom did not reduce craving compared with placebo.'",
    "litwatch explain 'Vendors advertise kratom for anxiety.' --claim anxiety-relief",
)
def explain(
    text: Annotated[str, typer.Argument(help="A sentence, as it would stand in an abstract.")],
    claim: Annotated[str | None, typer.Option("--claim", help="Only this claim id.")] = None,
    section: Annotated[
        str,
        typer.Option(
            "--section",
            help="Where the sentence stands: title, background, methods, results or conclusions.",
        ),
    ] = "results",
    claims: ClaimsOption = None,
) -> None:
    """Show how the tagger reads a sentence: each claim it names, the stance, and the rule
    that decided, with the words that made it apply."""
    out().print(render.render_explanation(explain_sentence(text, claims, claim, section)))


@command(export_app, "tags", "litwatch export tags --format csv --output tags.csv")
def export_tags(
    fmt: Annotated[str, typer.Option("--format", help="csv or json.")] = "csv",
    output: OutputOption = None,
    db: DbOption = None,
    claims: ClaimsOption = None,
) -> None:
    """One row per (record, claim) tag: stance, deciding sentence, section, design."""
    from litwatch.report import export  # pandas: loaded only by the commands that write files

    export.check_table_format(fmt)  # before the database is opened
    rows, sample = tags_for_export(resolve_db_path(db), claims)
    emit(export.render_table_file(export.tag_table(rows), fmt), output, sample)


@command(
    export_app,
    "citations",
    "litwatch export citations --format ris --output kratom.ris",
    "litwatch export citations --format bibtex --claim withdrawal-relief --stance supports",
    "litwatch export citations --format csl-json --design rct --since 2026-11-01",
)
def export_citations(
    fmt: Annotated[str, typer.Option("--format", help="ris, bibtex or csl-json.")] = "ris",
    claim: Annotated[
        str | None, typer.Option("--claim", help="Only records tagged with this claim.")
    ] = None,
    stance: Annotated[
        str | None,
        typer.Option(
            "--stance",
            help="Only records with this stance: supports, contradicts, "
            "mentions (on --claim, or on any claim).",
        ),
    ] = None,
    design: Annotated[
        str | None, typer.Option("--design", help="Only records of this study design.")
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="Only records first stored by this run or a later one (a run number, see "
            "litwatch status), or on or after this day (YYYY-MM-DD).",
        ),
    ] = None,
    output: OutputOption = None,
    db: DbOption = None,
    claims: ClaimsOption = None,
) -> None:
    """One entry per stored record (filters narrow it), for Zotero, EndNote or Mendeley:
    authors, title, journal, year, volume, issue, pages, DOI, PMID, URL and abstract."""
    from litwatch.report.references import CITATION_FORMATS, render_references

    if fmt not in CITATION_FORMATS:
        raise ConfigError(f"unknown format {fmt!r}: choose one of {', '.join(CITATION_FORMATS)}")
    wanted = CitationFilter(claim, stance, design, since)
    references, sample, left_out = references_for_export(resolve_db_path(db), claims, wanted)
    if left_out:
        err().print(
            f"Left out {left_out} retracted record(s): a retracted paper is not evidence "
            "(the full export, without --claim or --stance, keeps them, marked RETRACTED).",
            markup=False,
        )
    emit(render_references(references, fmt), output, sample)
