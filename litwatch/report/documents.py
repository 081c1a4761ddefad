"""The evidence report as files: Markdown, one self-contained HTML page (with an SVG chart of
evidence per claim over the years), JSON and CSV. Everything from titles and abstracts is
escaped: a title's markup never becomes the page's markup."""

from __future__ import annotations

import csv
import html
import io
import json
from collections import Counter
from typing import Any

from litwatch.models import SAMPLE_NOTE
from litwatch.report.cells import safe_cell
from litwatch.report.stamp import stamp_html, stamp_markdown
from litwatch.report.verdicts import Evidence, Verdict

FORMATS = ("table", "markdown", "html", "json", "csv")
# Okabe and Ito's palette, told apart by people with any common colour-vision deficiency
# (no red against green): blue, vermillion, grey; orange for what sits between.
STANCE_COLOURS = {"supports": "#0072B2", "contradicts": "#D55E00", "mentions": "#999999"}


def _meta(report: Any) -> dict[str, Any]:
    return {
        "generated": report.generated.isoformat(timespec="seconds"),
        "records": report.records,
        "catalogue_version": report.catalogue_version,
        "sample_data": report.sample,
        "stamp": report.stamp.as_json(),
    }


def _evidence_json(e: Evidence) -> dict[str, Any]:
    return {
        "pmid": e.pmid,
        "stance": e.stance,
        "design": e.design,
        "population": e.population,
        "year": e.year,
        "sentence": e.sentence,
        "section": e.section,
        "title": e.title,
        "first_author": e.first_author,
        "journal": e.journal,
        "doi": e.doi,
        "url": e.url,
        "retracted": e.retracted,
        "new": e.new,
        "weight": e.weight,
        "reviewed": e.reviewed,
    }


def render_report_json(report: Any) -> str:
    claims = [
        {
            "claim_id": v.claim_id,
            "statement": v.statement,
            "category": v.category,
            "status": v.status,
            "reason": v.reason,
            "certainty": v.certainty,
            "certainty_reason": v.certainty_reason,
            "counts": v.counts,
            "by_design": v.by_design,
            "newest_year": v.newest_year,
            "conflicts_with": v.conflicts_with,
            "evidence": [_evidence_json(e) for e in v.evidence],
            "retracted": [_evidence_json(e) for e in v.retracted],
            "new_since_previous_run": [e.pmid for e in v.new],
            "reviewed": v.reviewed,
        }
        for v in report.verdicts
    ]
    body = {**_meta(report), "claims": claims}
    if report.sample:
        body["note"] = SAMPLE_NOTE
    return json.dumps(body, ensure_ascii=False, indent=2) + "\n"


def safe_row(writer: Any, row: list[Any]) -> None:
    writer.writerow([safe_cell(cell) for cell in row])


def render_report_csv(report: Any) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "claim_id",
            "statement",
            "status",
            "reason",
            "certainty",
            "certainty_reason",
            "supports",
            "contradicts",
            "mentions",
            "newest_year",
            "strongest_supporting_pmid",
            "strongest_contradicting_pmid",
            "new_since_previous_run",
            "reviewed",
            "tagged",
        ]
    )
    for v in report.verdicts:
        sup, con = v.strongest("supports", 1), v.strongest("contradicts", 1)
        safe_row(
            writer,
            [
                v.claim_id,
                v.statement,
                v.status,
                v.reason,
                v.certainty or "",
                v.certainty_reason,
                v.counts["supports"],
                v.counts["contradicts"],
                v.counts["mentions"],
                v.newest_year or "",
                sup[0].pmid if sup else "",
                con[0].pmid if con else "",
                len(v.new),
                v.reviewed,
                v.tagged,
            ],
        )
    return out.getvalue()


References = dict[int, str]  # pmid -> the reference in the report's citation style


def format_references(report: Any, style: str) -> References:
    """Every record a document cites, formatted once in `style`."""
    from litwatch.report.citations import format_citations  # citeproc: documents only

    cited = {e.pmid: e for v in report.verdicts for s in _SIDES for e in v.strongest(s)}
    return dict(zip(cited, format_citations(list(cited.values()), style), strict=True))


_SIDES = ("supports", "contradicts")


def _md_cite(e: Evidence, refs: References) -> str:
    mark = ", reviewed" if e.reviewed else ""
    return f"{refs[e.pmid]} <{e.url}>  \n  > {e.sentence} *({e.design}, {e.section}{mark})*"


def render_report_markdown(report: Any, refs: References) -> str:
    lines = ["# Evidence report", ""]
    if report.sample:
        lines += [f"**{SAMPLE_NOTE}**", ""]
    lines += stamp_markdown(report.stamp)
    lines += [
        "| claim | status | certainty | supports | contradicts | mentions | reviewed |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {v.claim_id} | **{v.status}** | {v.certainty or '—'} | {v.counts['supports']} | "
        f"{v.counts['contradicts']} | {v.counts['mentions']} | {v.reviewed}/{v.tagged} |"
        for v in report.verdicts
    ]
    for v in report.verdicts:
        lines += _md_claim(v, refs)
    return "\n".join(lines) + "\n"


def _md_claim(v: Verdict, refs: References) -> list[str]:
    """One claim's section of the Markdown report."""
    lines = ["", f"## {v.claim_id}: {v.statement}", "", f"**{v.status}**: {v.reason}.", ""]
    if v.certainty_reason:
        lines += [f"Certainty **{v.certainty}**: {v.certainty_reason}.", ""]
    if v.conflicts_with:
        lines.append(
            f"The source article also asserts `{v.conflicts_with}`, which contradicts this claim.\n"
        )
    if v.by_design:
        lines.append(
            "Findings by design: "
            + ", ".join(f"{d} {n}" for d, n in sorted(v.by_design.items()))
            + "."
        )
    if v.newest_year:
        lines.append(f"Newest evidence: {v.newest_year}.")
    for stance, label in (
        ("supports", "Strongest supporting"),
        ("contradicts", "Strongest contradicting"),
    ):
        best = v.strongest(stance)
        if best:
            lines += ["", f"{label}:", ""] + [f"- {_md_cite(e, refs)}" for e in best]
    if v.new:
        lines += ["", "New since the previous run:", "", *(_md_record(e) for e in v.new)]
    if v.retracted:
        lines += ["", "Retracted (not counted):", "", *(_md_record(e) for e in v.retracted)]
    return lines


def _svg_chart(verdicts: tuple[Verdict, ...]) -> str:
    """Evidence per claim per year: one row per claim, a stacked bar per year, heights on one
    scale for every row (its top is named), years on the axis below."""
    years = sorted({e.year for v in verdicts for e in v.evidence if e.year})
    if not years:
        return "<p>No dated evidence yet.</p>"
    first, last = years[0], years[-1]
    per_year = [Counter((e.year, e.stance) for e in v.evidence if e.year) for v in verdicts]
    tallest = max(
        sum(n for (y, _), n in c.items() if y == year) for c in per_year for year in years
    )
    label_w, col_w, row_h, bar_h = 190, 14, 26, 20
    width = label_w + (last - first + 1) * col_w + 30
    axis_y = len(verdicts) * row_h + 6
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{axis_y + 30}" '
        'role="img" aria-label="Evidence per claim over the years" font-family="sans-serif">'
    ]
    for i, (v, counts) in enumerate(zip(verdicts, per_year, strict=True)):
        base = (i + 1) * row_h  # each row's bars stand on its own baseline
        parts.append(f'<text x="0" y="{base - 4}" font-size="11">{html.escape(v.claim_id)}</text>')
        parts.append(
            f'<line x1="{label_w}" y1="{base}" x2="{width - 30}" y2="{base}" stroke="#ddd"/>'
        )
        for year in range(first, last + 1):
            x, top = label_w + (year - first) * col_w, float(base)
            for stance in ("supports", "contradicts", "mentions"):
                if n := counts[(year, stance)]:
                    h = n * bar_h / tallest
                    parts.append(
                        f'<rect x="{x}" y="{top - h:.1f}" width="{col_w - 3}" height="{h:.1f}" '
                        f'fill="{STANCE_COLOURS[stance]}"><title>{html.escape(v.claim_id)}, '
                        f"{year}: {n} {stance}</title></rect>"
                    )
                    top -= h
    parts.append(_chart_axes(first, last, label_w, col_w, axis_y, width, tallest, bar_h))
    parts.append("</svg>")
    return "".join(parts)


def _chart_axes(
    first: int, last: int, label_w: int, col_w: int, axis_y: int, width: int, tallest: int,
    bar_h: int,
) -> str:  # fmt: skip
    parts = [
        f'<line x1="{label_w}" y1="{axis_y}" x2="{width - 30}" y2="{axis_y}" stroke="#333"/>',
        f'<text x="{width - 28}" y="{26 - bar_h + 8}" font-size="9">{tallest}</text>',
        f'<text x="{label_w}" y="{axis_y + 26}" font-size="9">records a year; a full bar '
        f"({bar_h} px) is {tallest}</text>",
    ]
    step = max(1, (last - first) // 8 or 1)
    for year in range(first, last + 1, step):
        x = label_w + (year - first) * col_w
        parts.append(f'<line x1="{x}" y1="{axis_y}" x2="{x}" y2="{axis_y + 4}" stroke="#333"/>')
        parts.append(f'<text x="{x}" y="{axis_y + 14}" font-size="9">{year}</text>')
    return "".join(parts)


def _html_cite(e: Evidence, refs: References) -> str:
    esc = html.escape
    return (
        f'<li>{esc(refs[e.pmid])} <a href="{esc(e.url)}">PubMed</a> '
        f'<span class="d">{esc(e.design)}, {esc(e.section)}</span>'
        + (' <span class="rv">✓ reviewed</span>' if e.reviewed else "")
        + f"<blockquote>{esc(e.sentence)}</blockquote></li>"
    )


def _html_record(e: Evidence) -> str:
    """A record named by its title, linked to PubMed."""
    esc = html.escape
    who = f"{e.first_author or 'Anonymous'} ({e.year or 'n.d.'})"
    return (
        f'<li><a href="{esc(e.url)}">{esc(e.title)}</a> {esc(who)}, PMID {e.pmid}, '
        f'{esc(e.stance)} <span class="d">{esc(e.design)}</span></li>'
    )


def _md_record(e: Evidence) -> str:
    who = f"{e.first_author or 'Anonymous'} ({e.year or 'n.d.'})"
    title = e.title.replace("[", "\\[").replace("]", "\\]")  # a bracket would end the link
    return f"- [{title}]({e.url}) {who}, PMID {e.pmid}, {e.stance} ({e.design})"


def _html_claim(v: Verdict, refs: References) -> str:
    """One claim's section of the HTML report."""
    esc = html.escape
    parts = [
        f'<section id="{esc(v.claim_id)}"><h2>{esc(v.claim_id)}: {esc(v.statement)}</h2>'
        f'<p><b class="{esc(v.status)}">{esc(v.status)}</b>: {esc(v.reason)}.</p>'
    ]
    if v.certainty_reason:
        parts.append(
            f'<p>Certainty <b class="c-{esc(v.certainty or "")}">{esc(v.certainty or "")}</b>: '
            f"{esc(v.certainty_reason)}.</p>"
        )
    if v.conflicts_with:
        parts.append(
            f"<p>The source article also asserts <code>{esc(v.conflicts_with)}</code>, "
            "which contradicts this claim.</p>"
        )
    for stance, label in (
        ("supports", "Strongest supporting"),
        ("contradicts", "Strongest contradicting"),
    ):
        best = v.strongest(stance)
        if best:
            parts.append(f"<h3>{label}</h3><ul>{''.join(_html_cite(e, refs) for e in best)}</ul>")
    for label, items in (
        ("New since the previous run", v.new),
        ("Retracted (not counted)", v.retracted),
    ):
        if items:
            parts.append(f"<p>{label}:</p><ul>{''.join(_html_record(e) for e in items)}</ul>")
    return "".join(parts) + "</section>"


def render_report_html(report: Any, refs: References) -> str:
    esc = html.escape
    body = ["<h1>Evidence report</h1>"]
    if report.sample:
        body.append(f'<p class="sample">{esc(SAMPLE_NOTE)}</p>')
    body.append(stamp_html(report.stamp))
    body.append("<h2>Evidence per claim over the years</h2>" + _svg_chart(report.verdicts))
    body.append(
        '<p class="legend">'
        + " ".join(f'<span style="color:{c}">■ {s}</span>' for s, c in STANCE_COLOURS.items())
        + "</p>"
    )
    rows = "".join(
        f'<tr><td><a href="#{esc(v.claim_id)}">{esc(v.claim_id)}</a></td><td>{esc(v.statement)}</td>'
        f'<td class="{esc(v.status)}">{esc(v.status)}</td>'
        f'<td class="c-{esc(v.certainty or "")}" title="{esc(v.certainty_reason)}">{esc(v.certainty or "—")}</td>'
        f"<td>{v.counts['supports']}</td><td>{v.counts['contradicts']}</td><td>{v.counts['mentions']}</td>"
        f"<td>{v.reviewed}/{v.tagged}</td></tr>"
        for v in report.verdicts
    )
    body.append(
        '<table class="summary"><tr><th>claim</th><th>statement</th><th>status</th><th>certainty</th>'
        f"<th>supports</th><th>contradicts</th><th>mentions</th><th>reviewed</th></tr>{rows}</table>"
    )
    body += [_html_claim(v, refs) for v in report.verdicts]
    style = (
        "body{font-family:sans-serif;max-width:60em;margin:auto;padding:1em}"
        "td,th{padding:.2em .6em;text-align:left}.supported{color:#0072B2}.contradicted{color:#D55E00}"
        ".mixed{color:#B35C00}.insufficient,.no-evidence{color:#616161}.c-very-low{color:#D55E00}"
        ".c-low{color:#B35C00}.c-moderate,.c-high{color:#0072B2}.d{color:#616161;font-size:.85em}"
        "blockquote{margin:.2em 0 .6em 1em;color:#333}.sample{background:#fff3cd;padding:.5em;font-weight:bold}"
        ".rv{color:#0072B2;font-size:.85em}.asof{color:#333;font-size:.9em}.stamp code{white-space:normal}"
        "td:first-child{white-space:nowrap}.stamp td:nth-child(3){white-space:nowrap}"
        "@media print{body{max-width:none;font-size:10pt}a{color:inherit}section,tr,li{break-inside:avoid}"
        "svg{max-width:100%;height:auto}}"
    )
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>litwatch evidence report</title>'
        f"<style>{style}</style></head><body>{''.join(body)}</body></html>\n"
    )


def render_report_file(report: Any, fmt: str, style: str = "vancouver") -> str:
    """The report as a file's text; documents cite in `style` (vancouver, ama or apa)."""
    if fmt == "markdown":
        return render_report_markdown(report, format_references(report, style))
    if fmt == "html":
        return render_report_html(report, format_references(report, style))
    return render_report_json(report) if fmt == "json" else render_report_csv(report)
