"""Everything drawn in the terminal (rich): run progress, run summaries, status, search hits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

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

from litwatch.models import RunSummary

PUBMED_URL = "https://pubmed.ncbi.nlm.nih.gov/{pmid}/"


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

    def start(self, query: str, total: int) -> None:
        self.task = self.progress.add_task(query, total=total or None)
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


def render_banner(text: str) -> RenderableType:
    return Panel(Text(text, style="bold yellow"), expand=False)


def render_run_summaries(summaries: Sequence[RunSummary]) -> RenderableType:
    table = Table(title="Saved searches", show_lines=False)
    for name in ("search", "status", "found", "new", "updated", "retracted", "requests", "time"):
        table.add_column(name, justify="left" if name in ("search", "status") else "right")
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


def render_status(status: Any, limit: int = 20) -> RenderableType:
    head = Text(f"{status.path}: {status.records} records stored")
    if status.origin:
        head.append(f" ({status.origin})")
    runs = Table(title="Last run of each search")
    for name in ("search", "started (UTC)", "source", "status", "found", "new", "updated"):
        runs.add_column(name)
    for r in status.last_runs:
        runs.add_row(
            r.query,
            r.started.strftime("%Y-%m-%d %H:%M"),
            r.source,
            Text(r.status, style="green" if r.status == "ok" else "red"),
            str(r.found),
            str(r.new),
            str(r.updated),
        )
    parts: list[RenderableType] = [head, runs]
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
        rows, f"{count} records match" + (f", {len(rows)} shown" if len(rows) < count else "")
    )
