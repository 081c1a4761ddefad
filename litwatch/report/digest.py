"""The digest as files: Markdown, one self-contained HTML page and JSON (the shape other
tools rely on, documented in docs/digest.md). The Atom feed is in `feed.py`."""

from __future__ import annotations

import html
import json
from typing import Any

from litwatch.models import SAMPLE_NOTE, ClaimChange, Digest, DigestRecord
from litwatch.report.stamp import stamp_html, stamp_markdown

DIGEST_FORMATS = ("table", "markdown", "html", "json", "atom")


def _record_json(r: DigestRecord) -> dict[str, Any]:
    return {
        "pmid": r.pmid,
        "title": r.title,
        "first_author": r.first_author,
        "year": r.year,
        "journal": r.journal,
        "design": r.design,
        "retracted": r.retracted,
        "tags": [
            {"claim_id": t.claim_id, "stance": t.stance, "sentence": t.sentence} for t in r.tags
        ],
    }


def render_digest_json(digest: Digest) -> str:
    body: dict[str, Any] = {
        "as_of": digest.stamp.moment.isoformat(timespec="seconds"),
        "since": digest.since.isoformat(timespec="seconds"),
        "searches": [
            {
                "name": s.name,
                "new": [_record_json(r) for r in s.new],
                "revised": [_record_json(r) for r in s.revised],
            }
            for s in digest.searches
        ],
        "claims_changed": [
            {
                "claim_id": c.claim_id,
                "from": c.status_from,
                "to": c.status_to,
                "certainty_from": c.certainty_from,
                "certainty_to": c.certainty_to,
                "because": list(c.because),
                "retracted": list(c.retracted),
                "by_review": list(c.by_review),
            }
            for c in digest.claims_changed
        ],
        "stamp": digest.stamp.as_json(),
        "sample_data": digest.sample,
    }
    return json.dumps(body, ensure_ascii=False, indent=2) + "\n"


def nothing_new_line(digest: Digest) -> str:
    return f"Nothing new since {digest.since_label}."


def change_line(c: ClaimChange) -> str:
    """`pain-relief: insufficient → supported (certainty — → low), because of PMID 1, 2`."""
    line = (
        f"{c.claim_id}: {c.status_from} → {c.status_to} "
        f"(certainty {c.certainty_from or '—'} → {c.certainty_to or '—'})"
    )
    if c.because:
        line += ", because of PMID " + ", ".join(map(str, c.because))
    if c.retracted:
        line += "; retracted since: PMID " + ", ".join(map(str, c.retracted))
    if c.by_review:
        line += "; by a person's review: PMID " + ", ".join(map(str, c.by_review))
    return line


def record_line(r: DigestRecord) -> str:
    """Who, when, where and what kind of study (the title is shown apart, as a link)."""
    where = f", {r.journal}" if r.journal else ""
    flag = " — RETRACTED" if r.retracted else ""
    return f"{r.first_author or 'Anonymous'} ({r.year or 'n.d.'}){where}; {r.design or 'design not graded'}; PMID {r.pmid}{flag}"


def _md_record(r: DigestRecord) -> list[str]:
    lines = [f"- [{r.title}]({r.url}) — {record_line(r)}"]
    if r.citation:
        lines.append(f"  - Cite: {r.citation}")
    lines += [f"  - {t.claim_id} **{t.stance}**: “{t.sentence}”" for t in r.tags]
    return lines


def render_digest_markdown(digest: Digest) -> str:
    lines = [f"# What changed since {digest.since_label}", ""]
    if digest.sample:
        lines += [f"**{SAMPLE_NOTE}**", ""]
    lines += stamp_markdown(digest.stamp)
    if digest.nothing_new:
        return "\n".join([*lines, nothing_new_line(digest)]) + "\n"
    lines += ["## Claims whose standing changed", ""]
    lines += [f"- {change_line(c)}" for c in digest.claims_changed] or ["None."]
    for s in digest.searches:
        lines += ["", f"## {s.name}: {len(s.new)} new, {len(s.revised)} revised", ""]
        for label, records in (("New", s.new), ("Revised", s.revised)):
            if records:
                lines += [f"{label}:", ""]
                for r in records:
                    lines += _md_record(r)
                lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _html_record(r: DigestRecord) -> str:
    esc = html.escape
    tags = "".join(
        f"<li>{esc(t.claim_id)} <b>{esc(t.stance)}</b>: <q>{esc(t.sentence)}</q></li>"
        for t in r.tags
    )
    return (
        f'<li><a href="{esc(r.url)}">{esc(r.title)}</a> — {esc(record_line(r))}'
        + (f'<br><span class="cite">{esc(r.citation)}</span>' if r.citation else "")
        + f"<ul>{tags}</ul></li>"
    )


def render_digest_html(digest: Digest) -> str:
    esc = html.escape
    body = [f"<h1>What changed since {esc(digest.since_label)}</h1>", stamp_html(digest.stamp)]
    if digest.sample:
        body.append(f'<p class="sample">{esc(SAMPLE_NOTE)}</p>')
    if digest.nothing_new:
        body.append(f"<p>{esc(nothing_new_line(digest))}</p>")
    else:
        changes = "".join(f"<li>{esc(change_line(c))}</li>" for c in digest.claims_changed)
        body.append(f"<h2>Claims whose standing changed</h2><ul>{changes or '<li>None.</li>'}</ul>")
        for s in digest.searches:
            body.append(f"<h2>{esc(s.name)}: {len(s.new)} new, {len(s.revised)} revised</h2>")
            for label, records in (("New", s.new), ("Revised", s.revised)):
                if records:
                    items = "".join(_html_record(r) for r in records)
                    body.append(f"<h3>{label}</h3><ul>{items}</ul>")
    style = (
        "body{font-family:sans-serif;max-width:60em;margin:auto;padding:1em}"
        "td,th{padding:.2em .6em;text-align:left}.sample{background:#fff3cd;padding:.5em}"
        "@media print{body{max-width:none;font-size:10pt}a{color:inherit}li{break-inside:avoid}}"
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>litwatch digest</title><style>{style}</style></head>"
        f"<body>{''.join(body)}</body></html>\n"
    )


def summary_line(digest: Digest) -> str:
    """The one line `run --quiet` prints."""
    if digest.nothing_new:
        return nothing_new_line(digest)
    changed = len(digest.claims_changed)
    return (
        f"Since {digest.since_label}: {digest.new_records} new and {digest.revised_records} "
        f"revised record(s) in {len(digest.searches)} search(es); {changed} claim(s) changed "
        "standing (litwatch digest)."
    )
