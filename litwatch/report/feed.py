"""The digest as an Atom feed (feedgen), so a feed reader or a mail gateway can deliver it
like a My NCBI alert: one entry per claim whose standing changed, one per new or revised
record. Entry ids are stable, so a reader shows each item once however often the feed file
is rewritten."""

from __future__ import annotations

from feedgen.feed import FeedGenerator

from litwatch.models import SAMPLE_NOTE, Digest, DigestRecord
from litwatch.report.digest import change_line, nothing_new_line, record_line


def _record_summary(r: DigestRecord, kind: str, search: str) -> str:
    tags = "; ".join(f"{t.claim_id} {t.stance}: “{t.sentence}”" for t in r.tags)
    cite = f" Cite: {r.citation}" if r.citation else ""
    return f"{kind} in {search}: {record_line(r)}.{cite}" + (f" {tags}" if tags else "")


def render_digest_atom(digest: Digest) -> str:
    moment = digest.stamp.moment
    feed = FeedGenerator()
    feed.id("urn:litwatch:digest")
    title = "litwatch: what changed in the literature on the tracked claims"
    feed.title(f"{SAMPLE_NOTE} — {title}" if digest.sample else title)
    feed.author({"name": "litwatch"})
    feed.subtitle(
        nothing_new_line(digest) if digest.nothing_new else f"Since {digest.since_label}."
    )
    feed.updated(moment)
    feed.link(href="https://pubmed.ncbi.nlm.nih.gov/", rel="related")
    # Ids name the run (or the day) the digest reaches, not the moment it was written, so a
    # feed rewritten from the same runs carries the same ids.
    stamp = f"run{digest.through_run}" if digest.through_run else digest.since.strftime("%Y%m%d")
    for c in digest.claims_changed:
        entry = feed.add_entry(order="append")
        entry.id(f"urn:litwatch:claim:{c.claim_id}:{stamp}")
        entry.title(f"{c.claim_id}: {c.status_from} → {c.status_to}")
        entry.content(f"{c.statement} {change_line(c)}", type="text")
        entry.updated(moment)
    seen: set[tuple[int, str]] = set()
    for s in digest.searches:
        for kind, records in (("new", s.new), ("revised", s.revised)):
            for r in records:
                if (r.pmid, kind) in seen:  # found by several searches: one entry
                    continue
                seen.add((r.pmid, kind))
                entry = feed.add_entry(order="append")
                suffix = "" if kind == "new" else f":{stamp}"
                entry.id(f"urn:litwatch:{kind}:{r.pmid}{suffix}")
                entry.title(("Revised: " if kind == "revised" else "") + r.title)
                entry.link(href=r.url)
                entry.summary(_record_summary(r, kind.capitalize(), s.name))
                entry.updated(moment)
    return str(feed.atom_str(pretty=True).decode("utf-8"))
