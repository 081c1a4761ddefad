"""Everything drawn in the terminal (rich): run progress, run summaries, status, search hits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from litwatch.models import RunSummary, count_of


class RichRunProgress:
    """A progress bar per saved search while records are fetched and stored."""

    def __init__(self, console: Console) -> None:
        self.progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=False,
            auto_refresh=False,  # no refresh thread: import workers are forked (see workflows)
        )
        self.task: TaskID | None = None

    def __enter__(self) -> RichRunProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def start(self, query: str, total: int | None) -> None:
        self.task = self.progress.add_task(query, total=total)
        self.progress.refresh()

    def advance(self, count: int) -> None:
        if self.task is not None:
            self.progress.advance(self.task, count)
            self.progress.refresh()

    def finish(self, summary: RunSummary) -> None:
        if self.task is None:  # failed before the fetch began
            self.task = self.progress.add_task(summary.query, total=1)
        task = self.progress.tasks[-1]
        self.progress.update(
            self.task,
            total=task.completed or 1,
            completed=task.completed or 1,
            description=f"{summary.query} [{summary.status}]",
        )
        self.progress.refresh()
        self.task = None

    def note(self, message: str) -> None:
        self.progress.console.print(Text(f"  {message}", style="yellow"))
        self.progress.refresh()


def render_banner(text: str) -> RenderableType:
    return Panel(Text(text, style="bold yellow"), expand=False)


def render_run_summaries(summaries: Sequence[RunSummary]) -> RenderableType:
    table = Table(
        title="Saved searches",
        show_lines=False,
        # A record two searches find is stored by the first; the digest lists it under both.
        caption="new, updated: stored by this run (a record two searches find, by the first); "
        "retracted: of all found",
    )
    for name in ("search", "status"):  # names whole: they are what users type next
        table.add_column(name, no_wrap=True)
    for name in ("found", "new", "updated", "retracted", "requests", "time"):
        table.add_column(name, justify="right", overflow="fold")
    notes: list[Text] = []
    for s in summaries:
        style = "green" if s.status == "ok" else "bold red"
        table.add_row(
            s.query,
            Text(s.status, style=style),
            str(s.found),
            str(s.new),
            str(s.updated),
            str(s.retracted),
            str(s.requests),
            f"{s.seconds:.1f}s",
        )
        if s.error:
            notes.append(Text(f"{s.query}: FAILED: {s.error}", style="red"))
        if s.translation_changed_from:
            notes.append(
                Text(
                    f"{s.query}: PubMed now translates this unchanged search differently.\n"
                    f"  before: {s.translation_changed_from}\n  now:    {s.translation}",
                    style="yellow",
                )
            )
        notes.extend(Text(f"{s.query}: warning: {w}", style="yellow") for w in s.warnings)
    return Group(table, *notes)


def _record_line(row: dict[str, Any]) -> Text:
    year = row.get("pub_year") or "n.d."
    author = row.get("first_author") or "Anonymous"
    line = Text(f"{row['pmid']}  ", style="cyan")
    line.append(f"{author} ({year}) ")
    line.append(row["title"] or "[no title]", style="bold")
    if row.get("journal"):
        line.append(f"  {row['journal']}.", style="dim")
    if row.get("retracted"):
        line.append("  RETRACTED", style="bold red")
    return line


def render_records(rows: Sequence[dict[str, Any]], title: str) -> RenderableType:
    if not rows:
        return Text(f"{title}: none")
    return Group(Text(title, style="bold underline"), *(_record_line(r) for r in rows))


def _last_runs(rows: Sequence[Any], title: str, first: str) -> Table:
    runs = Table(title=title)
    runs.add_column(first, no_wrap=True)
    runs.add_column("run")
    runs.add_column("started (UTC)", no_wrap=True)
    for name in ("source", "status", "found", "new", "updated"):
        runs.add_column(name, overflow="fold")
    for r in rows:
        runs.add_row(
            r.query.removeprefix("import:"),
            str(r.invocation),  # the number `digest --since` takes
            r.started.strftime("%Y-%m-%d %H:%M"),
            r.source,
            Text(r.status, style="green" if r.status == "ok" else "red"),
            str(r.found),
            str(r.new),
            str(r.updated),
        )
    return runs


def render_status(status: Any, limit: int = 20) -> RenderableType:
    head = Text(f"{status.path}: {count_of(status.records, 'record')} stored")
    if status.origin:
        head.append(f" ({status.origin})")
    searches = [r for r in status.last_runs if not r.query.startswith("import:")]
    imports = [r for r in status.last_runs if r.query.startswith("import:")]
    parts: list[RenderableType] = [head]
    if searches:
        parts.append(_last_runs(searches, "Last run of each saved search", "search"))
    if imports:  # files are not saved searches: listed apart
        parts.append(_last_runs(imports, "Imported files", "file"))
    new = list(status.new_records)
    parts.append(render_records(new[:limit], f"New in the latest run ({len(new)})"))
    if len(new) > limit:
        parts.append(Text(f"... and {len(new) - limit} more (litwatch export records)"))
    changed = list(status.changed_records)
    parts.append(
        render_records(changed[:limit], f"Revised by PubMed in the latest run ({len(changed)})")
    )
    return Group(*parts)


def render_search_hits(count: int, rows: Sequence[dict[str, Any]]) -> RenderableType:
    return render_records(
        rows,
        f"{count_of(count, 'record')} match"
        + (f", {len(rows)} shown" if len(rows) < count else ""),
    )


STATUS_STYLE = {
    "supported": "bold green", "contradicted": "bold red", "mixed": "bold dark_orange",
    "insufficient": "bold grey50", "no-evidence": "grey50",
}  # fmt: skip


def _cite(e: Any) -> Text:
    line = Text(f"  {e.first_author or 'Anonymous'} ({e.year or 'n.d.'}) ", style="bold")
    line.append(f"{e.journal or ''} PMID {e.pmid} {e.url}", style="cyan")
    line.append(f"  [{e.design}, {e.section}]", style="dim")
    if e.reviewed:
        line.append("  ✓ reviewed", style="green")
    line.append(f"\n    “{e.sentence}”")
    return line


CERTAINTY_STYLE = {
    "high": "bold green", "moderate": "green", "low": "dark_orange", "very-low": "red",
}  # fmt: skip


def _certainty(v: Any) -> Text:
    if v.certainty is None:
        return Text("—", style="grey50")
    return Text(v.certainty, style=CERTAINTY_STYLE[v.certainty])


def _verdict_head(v: Any) -> list[RenderableType]:
    """Claim, status and certainty, with the reasons for both."""
    head = Text(f"{v.claim_id}: ", style="bold")
    head.append(v.status.upper(), style=STATUS_STYLE[v.status])
    if v.certainty is not None:
        head.append(" (certainty ")
        head.append_text(_certainty(v))
        head.append(")")
    head.append(f"  {v.statement}")
    parts: list[RenderableType] = [head, Text(f"  {v.reason}", style="italic")]
    if v.certainty_reason:
        parts.append(Text(f"  Certainty {v.certainty}: {v.certainty_reason}", style="italic"))
    return parts


def _verdict_block(v: Any) -> RenderableType:
    parts = _verdict_head(v)
    c = v.counts
    summary = (
        f"  supports {c['supports']} · contradicts {c['contradicts']} · mentions {c['mentions']}"
    )
    if v.by_design:
        summary += " · by design: " + ", ".join(f"{d} {n}" for d, n in sorted(v.by_design.items()))
    if v.newest_year:
        summary += f" · newest {v.newest_year}"
    if v.reviewed:
        summary += f" · reviewed {v.reviewed}/{v.tagged}"
    parts.append(Text(summary))
    if v.conflicts_with:
        parts.append(
            Text(
                f"  The source article also asserts {v.conflicts_with}, which contradicts this claim.",
                style="yellow",
            )
        )
    for stance, label in (
        ("supports", "Strongest supporting"),
        ("contradicts", "Strongest contradicting"),
    ):
        best = v.strongest(stance, 2)
        if best:
            parts.append(Text(f" {label}:", style="underline"))
            parts.extend(_cite(e) for e in best)
    if v.new:
        parts.append(
            Text(
                "  New since the previous run: " + ", ".join(f"PMID {e.pmid}" for e in v.new),
                style="green",
            )
        )
    if v.retracted:
        parts.append(
            Text(
                "  Retracted, not counted: " + ", ".join(f"PMID {e.pmid}" for e in v.retracted),
                style="red",
            )
        )
    return Group(*parts, Text(""))


def render_stamp(stamp: Any) -> Text:
    """The as-of line under a report or digest: what it was computed from."""
    when = stamp.moment.strftime("%Y-%m-%d %H:%M UTC")
    runs = sorted({s.invocation for s in stamp.searches})
    line = f"{'Reproduced as of' if stamp.past else 'As of'} {when} · {count_of(stamp.records, 'record')}"
    if runs:
        line += f" · {len(stamp.searches)} searches, last run {runs[-1]}"
    line += f" · {stamp.reviews} reviews · catalogue {stamp.catalogue_version}"
    return Text(line + f" · rules {stamp.rules_version}", style="dim")


def _widest(verdicts: Sequence[Any], column: str) -> int:
    values = {
        "claim": [v.claim_id for v in verdicts],
        "status": [v.status for v in verdicts],
        "certainty": [v.certainty or "—" for v in verdicts],
    }[column]
    return max((len(x) for x in values), default=len(column))


WIDE = 100  # below this many columns, the report table is the compact one


def render_report(report: Any, detail: bool = True, width: int = WIDE) -> RenderableType:
    title = (
        f"Evidence status of {count_of(len(report.verdicts), 'claim')} "
        f"({count_of(report.records, 'record')})"
    )
    table = _report_table(report, title) if width >= WIDE else _narrow_report_table(report, title)
    stamp = render_stamp(report.stamp)
    if not detail:
        return Group(table, stamp, Text("Details and citations: litwatch report", style="dim"))
    return Group(table, stamp, Text(""), *(_verdict_block(v) for v in report.verdicts))


def _head_columns(table: Table, verdicts: Sequence[Any]) -> None:
    for name in ("claim", "status", "certainty"):  # never cut: ids are what users type next
        table.add_column(name, no_wrap=True, min_width=_widest(verdicts, name))


def _status_cells(v: Any) -> tuple[str, Text, Text]:
    return v.claim_id, Text(v.status, style=STATUS_STYLE[v.status]), _certainty(v)


def _report_table(report: Any, title: str) -> Table:
    table = Table(title=title)
    reviewed = any(v.reviewed for v in report.verdicts)
    _head_columns(table, report.verdicts)
    numbers = ["supports", "contradicts", "mentions", "newest", "new"]
    for name in [*numbers, "reviewed"] if reviewed else numbers:
        table.add_column(name, justify="right", overflow="fold")
    for v in report.verdicts:
        c = v.counts
        cells = [str(c["supports"]), str(c["contradicts"]), str(c["mentions"])]
        cells += [str(v.newest_year or "—"), str(len(v.new))]
        if reviewed:
            cells.append(f"{v.reviewed}/{v.tagged}")
        table.add_row(*_status_cells(v), *cells)
    return table


def _narrow_report_table(report: Any, title: str) -> Table:
    """For 80 columns: ids, statuses and certainties whole; the counts in one column."""
    table = Table(title=title, box=box.SIMPLE_HEAD, pad_edge=False, caption_justify="left")
    _head_columns(table, report.verdicts)
    table.add_column("for/against/mentions", justify="right", no_wrap=True)
    for v in report.verdicts:
        c = v.counts
        counts = f"{c['supports']}/{c['contradicts']}/{c['mentions']}"
        if v.reviewed:
            counts += f" ({v.reviewed} rev.)"
        table.add_row(*_status_cells(v), counts)
    return table


def render_check(result: Any) -> RenderableType:
    """What `litwatch check` found: each claim read in the text, its status as stated, and
    the strongest records on each side as references ready to paste."""
    if not result.matches:
        return Text(f"No match: {result.note}.", style="yellow")
    parts: list[RenderableType] = []
    shown: set[str] = set()
    for checked in result.matches:
        claim = checked.match.claim
        # A claim's inverse rests on the same records with their stances swapped.
        partner = claim.inverse_of or next(
            (c.match.claim.id for c in result.matches if c.match.claim.inverse_of == claim.id),
            None,
        )
        parts += [*_checked_claim(checked, partner if partner in shown else None), Text("")]
        shown.add(claim.id)
    return Group(*parts)


POLARITY_LINE = {
    "asserts": "Your text asserts this claim.",
    "negates": "Your text negates this claim{cue}: the status is the claim's as stated.",
}
# A status read from the side of a text that negates the claim.
FOR_NEGATION = {
    "supported": "The literature goes against your text.",
    "contradicted": "The literature is on your text's side.",
}


def _checked_claim(checked: Any, inverse_shown: str | None) -> list[RenderableType]:
    match, verdict = checked.match, checked.verdict
    head = Text(f"{verdict.claim_id}: ", style="bold")
    head.append(verdict.status.upper(), style=STATUS_STYLE[verdict.status])
    if verdict.certainty:
        head.append(f" (certainty {verdict.certainty})")
    head.append(f"  {verdict.statement}")
    cue = f" (“{match.negation}”)" if match.negation else ""
    said = Text(f"  {POLARITY_LINE[match.polarity].format(cue=cue)}")
    if match.polarity == "negates" and verdict.status in FOR_NEGATION:
        said.append(f" {FOR_NEGATION[verdict.status]}", style="bold")
    certainty = verdict.certainty or "not graded"
    if verdict.certainty_reason:
        certainty += f" ({verdict.certainty_reason})"
    lines: list[RenderableType] = [
        head,
        said,
        Text(f"  Certainty: {certainty}. {verdict.reason}.", style="italic"),
        Text(f"  Matched on: {', '.join(match.words)}", style="dim"),
    ]
    if verdict.reviewed:
        lines.append(Text(f"  Reviewed by a person: {verdict.reviewed} of {verdict.tagged} tags."))
    if inverse_shown:
        lines.append(Text(f"  The records cited for {inverse_shown}, with stances swapped."))
        return lines
    for stance, label in (("supports", "Supporting"), ("contradicts", "Contradicting")):
        cited = [c for c in checked.citations if c.stance == stance]
        if cited:
            lines.append(Text(f"  {label} ({len(cited)} of {verdict.counts[stance]}):"))
            lines += [_citation(c) for c in cited]
    if not checked.citations:
        lines.append(Text("  Nothing to cite: no stored record reports a finding on it."))
    return lines


def _citation(c: Any) -> Text:
    line = Text(f"    {c.citation}")
    if c.reviewed:
        line.append("  ✓ reviewed", style="green")
    line.append(f"\n      “{c.sentence}”", style="dim")
    return line


def render_explanation(ex: Any) -> RenderableType:
    head = Text(f"“{ex.text}” read as a {ex.section} sentence of an abstract about kratom")
    parts: list[RenderableType] = [head]
    if not ex.names_kratom:
        parts.append(
            Text(
                "The sentence itself names neither kratom nor its alkaloids: in a record that "
                "never does, the tagger tags nothing (every claim is about kratom).",
                style="yellow",
            )
        )
    if not ex.decisions:
        which = f"of claim {ex.claim_id}" if ex.claim_id else "of any claim in the catalogue"
        parts.append(Text(f"It does not name the subject {which}: no tag.", style="bold"))
        return Group(*parts)
    parts.append(Text("Claim by claim (the first rule that applies decides):"))
    for d in ex.decisions:
        line = Text("\n")
        line.append(d.claim_id, style="bold")
        line.append(f"  {d.stance or 'no tag'}", style=_STANCE_STYLES.get(d.stance or "", ""))
        line.append(f"  rule {d.rule.name}: {d.rule.why}")
        parts.append(line)
        parts.append(Text(f"  named by “{d.subject}”"))
        seen = dict.fromkeys(f"{cue} “{words}”" for cue, words in d.cues_read())
        if seen:
            parts.append(Text(f"  cues the rule read: {'; '.join(seen)}"))
    return Group(*parts)


_STANCE_STYLES = {"supports": "green", "contradicts": "red", "mentions": "blue"}


def render_evaluation(ev: Any, list_errors: bool = False) -> RenderableType:
    parts = [_scores_table(ev), _per_claim_table(ev), _confusion_table(ev), _error_tables(ev)]
    notes = []
    for name, graded in (("design", ev.design), ("population", ev.population)):
        if graded is not None:
            right, total = graded
            notes.append(f"{name}: {right}/{total} right ({right / total if total else 0:.1%})")
    if ev.unscored:
        listed = ", ".join(f"{c} ({n})" for c, n in sorted(ev.unscored.items()))
        why = "the labels file has no such claim" if ev.against == "labels" else "not reviewed"
        notes.append(f"not scored ({why}): {listed}")
    parts += [Text(note) for note in notes]
    if list_errors:
        parts.append(_error_list(ev))
    return Group(*parts)


def _scores_table(ev: Any) -> Table:
    overall = Table(title=f"Tags against {ev.against} ({count_of(ev.records, 'record')})")
    for name in ("", "precision", "recall", "F1", "tp", "fp", "fn"):
        overall.add_column(name, justify="right")
    for name, s in (("pairs (pmid, claim)", ev.pairs), ("triples (+ stance)", ev.triples)):
        overall.add_row(
            name,
            f"{s.precision:.3f}",
            f"{s.recall:.3f}",
            f"{s.f1:.3f}",
            str(s.tp),
            str(s.fp),
            str(s.fn),
        )
    return overall


def _per_claim_table(ev: Any) -> Table:
    per = Table(title="Per claim")
    for name in ("claim", "pair P", "pair R", "pair F1", "triple P", "triple R", "triple F1"):
        if name == "claim":
            per.add_column(name, no_wrap=True)
        else:
            per.add_column(name, justify="right", overflow="fold")
    for claim, (p, t) in sorted(ev.per_claim.items()):
        per.add_row(
            claim,
            f"{p.precision:.2f}",
            f"{p.recall:.2f}",
            f"{p.f1:.2f}",
            f"{t.precision:.2f}",
            f"{t.recall:.2f}",
            f"{t.f1:.2f}",
        )
    return per


def _confusion_table(ev: Any) -> Table:
    stances = ("supports", "contradicts", "mentions")
    confusion = Table(title="Stance confusion on shared pairs (rows: labels, columns: tags)")
    confusion.add_column("label \\ tag")
    for s in stances:
        confusion.add_column(s, justify="right")
    for g in stances:
        confusion.add_row(g, *(str(ev.confusion.get((g, p), 0)) for p in stances))
    return confusion


def _error_tables(ev: Any) -> RenderableType:
    kinds = Table(title="Errors by class")
    kinds.add_column("class")
    kinds.add_column("count", justify="right")
    for kind, n in sorted(ev.errors_by_kind().items()):
        kinds.add_row(kind, str(n))
    rules = Table(title="Errors by the rule that made the tag (litwatch explain shows why)")
    for name in ("rule", "spurious", "wrong stance"):
        rules.add_column(name, justify="left" if name == "rule" else "right")
    by_rule = ev.errors_by_rule()
    for rule in sorted({r for r, _ in by_rule}):
        rules.add_row(rule, str(by_rule[(rule, "spurious")]), str(by_rule[(rule, "wrong stance")]))
    return Group(kinds, rules)


def _error_list(ev: Any) -> Table:
    table = Table(title="Errors")
    for name in ("pmid", "claim", "label", "tag", "rule", "sentence"):
        table.add_column(name, overflow="fold")
    for e in ev.errors:
        table.add_row(str(e.pmid), e.claim_id, e.label or "-", e.tag or "-", e.rule, e.sentence)
    return table
