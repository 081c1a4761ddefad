"""The evidence rules file: the shipped one loads; a malformed one fails with one line that
names the file and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from litwatch.report.rules import RulesError, load_rules
from tests.conftest import REPO, cli

SHIPPED = REPO / "data" / "evidence.toml"


def test_shipped_rules_give_every_design_a_weight_and_a_level() -> None:
    rules = load_rules(SHIPPED)
    assert set(rules.weights) == set(rules.levels)
    assert rules.level("rct") == 4 and rules.level("case-report") == 1
    assert rules.weight("no-such-design") == rules.weights["other"]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "dominance = 2.0",
            "dominance = 2.0\ndominanse = 3",
            "field 'rules.dominanse': unknown field",
        ),
        ("dominance = 2.0", "", "field 'rules.dominance': Field required"),
        ('rct = "high"', 'rct = "very high"', "field 'levels.rct': Input should be"),
        ("self_report_factor = 0.25", "", "field 'benefit.self_report_factor': Field required"),
        ('other = "very-low"', "", "designs with a weight but no level: other"),
        ("[certainty]", "[certainty]\nfew_studies = 'three'", "not valid TOML"),
        (
            "null_factor = 0.25",
            "null_factor = 2",
            "field 'rare_event.null_factor': Input should be less than or equal to 1",
        ),
        (
            "rct = 4.0",
            "rct = -4.0",
            "field 'weights.rct': Input should be greater than or equal to 0",
        ),
    ],
)
def test_a_malformed_rules_file_fails_naming_file_and_field(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    edited = tmp_path / "rules.toml"
    text = SHIPPED.read_text()
    assert old in text
    edited.write_text(text.replace(old, new, 1))
    result = cli("report", "--rules", edited, "--db", tmp_path / "x.db")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {edited}: ")
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_rules_file(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match="no evidence rules here"):
        load_rules(tmp_path / "nope.toml")


def test_a_rules_file_in_another_encoding_fails_in_one_line(tmp_path: Path) -> None:
    edited = tmp_path / "rules.toml"
    edited.write_bytes(SHIPPED.read_text().replace("# ", "# \u00e9 ", 1).encode("latin-1"))
    result = cli("report", "--rules", edited, "--db", tmp_path / "x.db")
    assert result.exit_code == 2
    assert result.stderr == f"Error: {edited}: not UTF-8 text\n"
