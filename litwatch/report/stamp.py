"""The as-of stamp in documents: the moment, the runs and how PubMed read each search, the
catalogue and rules versions. With it a reader can tell what a report was computed from,
and `litwatch report --as-of` can reproduce it."""

from __future__ import annotations

import html

from litwatch.models import AsOf


def _heading(stamp: AsOf) -> str:
    when = stamp.moment.strftime("%Y-%m-%d %H:%M UTC")
    kind = "Reproduced as of" if stamp.past else "As of"
    return (
        f"{kind} {when}: {stamp.records} stored records, {stamp.reviews} reviewed tags, "
        f"claim catalogue {stamp.catalogue_version}, evidence rules {stamp.rules_version}."
    )


def _cell(text: str) -> str:
    return text.replace("|", "\\|")  # a bar would end the table cell


def stamp_markdown(stamp: AsOf) -> list[str]:
    lines = [_heading(stamp), ""]
    if stamp.searches:
        lines += ["| search | run | started | status | query as PubMed read it |"]
        lines += ["| --- | ---: | --- | --- | --- |"]
        lines += [
            f"| {s.name} | {s.invocation} | {s.started:%Y-%m-%d %H:%M} | {s.status} | "
            f"`{_cell(s.translation or s.term)}` |"
            for s in stamp.searches
        ]
        lines.append("")
    return lines


def stamp_html(stamp: AsOf) -> str:
    esc = html.escape
    rows = "".join(
        f"<tr><td>{esc(s.name)}</td><td>{s.invocation}</td><td>{s.started:%Y-%m-%d %H:%M}</td>"
        f"<td>{esc(s.status)}</td><td><code>{esc(s.translation or s.term)}</code></td></tr>"
        for s in stamp.searches
    )
    table = (
        '<table class="stamp"><tr><th>search</th><th>run</th><th>started</th><th>status</th>'
        f"<th>query as PubMed read it</th></tr>{rows}</table>"
        if rows
        else ""
    )
    return f'<div class="asof"><p>{esc(_heading(stamp))}</p>{table}</div>'
