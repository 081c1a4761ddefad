"""The tables of rules and cues in docs/claims.md, generated from the tagger itself.
`python -m tests.claims_reference` rewrites them; `tests/test_docs.py` fails when they drift."""

from __future__ import annotations

import re
from pathlib import Path

from litwatch.claims.language import load_language
from litwatch.claims.rules import ANY_KIND, RULES

DOC = Path(__file__).resolve().parents[1] / "docs" / "claims.md"


def rules_table() -> str:
    rows = ["| # | rule | decides | example (claim) |", "| ---: | --- | --- | --- |"]
    for i, rule in enumerate(RULES, 1):
        others = "any claim" if len(rule.stances) == 1 else "other kinds"
        decides = ", ".join(
            f"{others if kind == ANY_KIND else kind}: {stance or 'no tag'}"
            for kind, stance in rule.stances.items()
        )
        rows.append(
            f"| {i} | `{rule.name}`: {rule.why} | {decides} | {rule.example} ({rule.claim}) |"
        )
    return "\n".join(rows)


def cues_table() -> str:
    rows = ["| cue | marks | example |", "| --- | --- | --- |"]
    for name, cue in load_language().cues.items():
        rows.append(f"| `{name}` | {cue.doc} | {cue.example} |")
    return "\n".join(rows)


SECTIONS = {"rules": rules_table, "cues": cues_table}


def section(text: str, name: str) -> str:
    match = re.search(rf"<!-- {name}:start -->\n(.*?)\n<!-- {name}:end -->", text, re.S)
    assert match, f"docs/claims.md has no {name} markers"
    return match.group(1)


def with_tables(text: str) -> str:
    for name, make in SECTIONS.items():
        start, end = f"<!-- {name}:start -->\n", f"\n<!-- {name}:end -->"
        head, _, rest = text.partition(start)
        _, _, tail = rest.partition(end)
        text = f"{head}{start}{make()}{end}{tail}"
    return text


if __name__ == "__main__":
    DOC.write_text(with_tables(DOC.read_text()))
