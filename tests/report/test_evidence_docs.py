"""docs/evidence.md stays true: its worked examples (docs/examples/verdicts.toml) grade as
it says with the shipped rules, and its copy of the rules file matches data/evidence.toml."""

from __future__ import annotations

import re
import tomllib
from typing import Any

import pytest

from litwatch.report.verdicts import ClaimTerms, Evidence, grade_claim, load_rules
from tests.conftest import REPO

DOC = REPO / "docs" / "evidence.md"
EXAMPLES = tomllib.loads((REPO / "docs" / "examples" / "verdicts.toml").read_text())["example"]
RULES = load_rules(REPO / "data" / "evidence.toml")


def _findings(example: dict[str, Any]) -> list[Evidence]:
    out = []
    for pmid, finding in enumerate(example["findings"], 1):
        stance, design = finding.split()
        out.append(
            Evidence(
                pmid, stance, design, "human", 2024, "A made-up finding.", "results",
                "A made-up study", None, None, None, retracted=False, new=False,
                weight=RULES.weight(design),
            )
        )  # fmt: skip
    return out


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["name"] for e in EXAMPLES])
def test_documented_example_grades_as_documented(example: dict[str, Any]) -> None:
    claim = ClaimTerms(
        example["name"],
        example["statement"],
        example["category"],
        example["kind"],
        example.get("rare_event"),
    )
    verdict = grade_claim(claim, _findings(example), RULES)
    assert (verdict.status, verdict.certainty) == (example["status"], example["certainty"])
    assert verdict.reason.startswith(example["reason_starts"]), verdict.reason
    paragraphs = [" ".join(p.split()) for p in DOC.read_text().split("\n\n")]
    walk = [p for p in paragraphs if f"(`{example['name']}`" in p]
    assert len(walk) == 1, f"docs/evidence.md should walk through {example['name']} once"
    assert example["statement"].rstrip(".") in walk[0]
    assert f"`{example['status']}`" in walk[0] and f"`{example['certainty']}`" in walk[0]


def test_every_kind_of_claim_has_a_worked_example() -> None:
    kinds = {(e["kind"], e.get("rare_event")) for e in EXAMPLES}
    categories = {e["category"] for e in EXAMPLES}
    assert {("benefit", None), ("harm", None), ("property", None), ("unknown", None)} <= kinds
    assert {("harm", "occurs"), ("harm", "absent")} <= kinds
    assert {"efficacy", "safety", "mechanism"} <= categories


def test_the_documented_rules_file_matches_the_shipped_one() -> None:
    block = re.search(r"## The file\n\n```toml\n(.*?)```", DOC.read_text(), re.S)
    assert block, "docs/evidence.md lost its copy of the rules file"
    documented = tomllib.loads(block.group(1))
    shipped = tomllib.loads((REPO / "data" / "evidence.toml").read_text())
    assert set(documented) == set(shipped)
    for table, fields in documented.items():
        for key, value in fields.items():
            assert shipped[table][key] == value, f"[{table}] {key}"
