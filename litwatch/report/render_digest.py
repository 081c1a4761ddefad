"""The digest in the terminal (rich): claims whose standing moved, then each search's new
and revised records with the claims they touch. Long lists are cut, saying how to see all."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from litwatch.models import Digest, DigestRecord
from litwatch.report.digest import nothing_new_line, record_line
from litwatch.report.render import STATUS_STYLE, render_stamp

SHOWN_PER_LIST = 10


def _changes(digest: Digest) -> RenderableType:
    table = Table(title="Claims whose standing changed", title_justify="left")
    width = max(len(c.claim_id) for c in digest.claims_changed)
    table.add_column("claim", no_wrap=True, min_width=width)  # ids are what users type next
    for name in ("status", "certainty", "because of"):
        table.add_column(name, overflow="fold")
    for c in digest.claims_changed:
        status = Text(f"{c.status_from} → ")
        status.append(c.status_to, style=STATUS_STYLE.get(c.status_to, ""))
        because = (
            "PMID " + ", ".join(map(str, c.because))
            if len(c.because) <= 3
            else f"{len(c.because)} records (newest PMID {c.because[0]})"
        )
        if c.retracted:
            because += " (retracted: " + ", ".join(map(str, c.retracted)) + ")"
        if c.by_review:
            because += " (by review: " + ", ".join(map(str, c.by_review)) + ")"
        table.add_row(
            c.claim_id, status, f"{c.certainty_from or '—'} → {c.certainty_to or '—'}", because
        )
    return table


def _record(r: DigestRecord) -> RenderableType:
    head = Padding(Text(r.title, style="bold"), (0, 0, 0, 2))
    line = Text(f"{record_line(r)}  {r.url}", style="red" if r.retracted else "dim")
    tags = [Text(f"{t.claim_id} {t.stance}: “{t.sentence}”") for t in r.tags]
    return Group(head, Padding(Group(line, *tags), (0, 0, 0, 4)))


def render_digest(digest: Digest) -> RenderableType:
    parts: list[RenderableType] = [
        Text(f"What changed since {digest.since_label}", style="bold underline")
    ]
    if digest.nothing_new:
        return Group(*parts, Text(nothing_new_line(digest)), render_stamp(digest.stamp))
    if digest.claims_changed:
        parts.append(_changes(digest))
    else:
        parts.append(Text("No claim changed status or certainty."))
    for s in digest.searches:
        parts.append(Text(f"\n{s.name}: {len(s.new)} new, {len(s.revised)} revised", style="bold"))
        for label, records in (("New", s.new), ("Revised", s.revised)):
            if records:
                parts.append(Text(f" {label}:", style="underline"))
                parts += [_record(r) for r in records[:SHOWN_PER_LIST]]
                if len(records) > SHOWN_PER_LIST:
                    more = len(records) - SHOWN_PER_LIST
                    parts.append(
                        Text(
                            f"  … and {more} more (litwatch digest --format markdown)", style="dim"
                        )
                    )
    parts.append(render_stamp(digest.stamp))
    return Group(*parts)
