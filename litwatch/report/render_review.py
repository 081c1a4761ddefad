"""One tag as `litwatch review` shows it to the person deciding on it."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from litwatch.models import pubmed_url

# Each choice's key is the letter in brackets.
PROMPT = (
    "[a]ccept [s]upports [c]ontradicts [m]entions [d]rop e[x]clude-record [+]claim [n]ext [q]uit"
)


def render_review_item(row: dict[str, Any], statement: str, place: str) -> RenderableType:
    pmid = int(row["pmid"])
    head = Text(f"{place}  PMID {pmid}", style="bold")
    head.append(f"  {row['first_author'] or 'Anonymous'} ({row['pub_year'] or 'n.d.'}), ")
    head.append(f"{row['design'] or 'design not graded'}  {pubmed_url(pmid)}", style="dim")
    claim = Text(f"{row['claim_id']}", style="bold")
    claim.append(f": {statement}")
    decided = Text("Tagged ")
    decided.append(row["stance"].upper(), style="bold")
    origin = f"rule {row['rule']}" if row["rule"] else "added by a person"
    decided.append(f" ({origin}, {row['section']})", style="dim")
    if row["reviewed"]:
        decided.append("  ✓ reviewed" + (f": {row['note']}" if row["note"] else ""), style="green")
    return Group(
        Text(""), head, Text(row["title"], style="italic"), claim, decided,
        Text(f"“{row['sentence']}”"),
    )  # fmt: skip
