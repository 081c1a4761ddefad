"""`litwatch check` as a writer runs it, on the synthetic sample in a real SQLite store."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import SAMPLE, cli

EXAMPLE = "litwatch check 'kratom eases opioid withdrawal'"
# A Vancouver reference: authors. Title. Journal. Year;volume(issue):pages. DOI PMID.
VANCOUVER = re.compile(
    r"^    [A-Z][\w'-]+ [A-Z]{1,3}(, [A-Z][\w'-]+ [A-Z]{1,3})*(, et al)?\. .+\. [A-Z][\w ]+\. "
    r"\d{4}(;\d+(\(\d+\))?:[\w–]+)?\. doi:10\.\S+ PubMed PMID: 99\d{6}\.$"
)


@pytest.fixture
def dev_db(tmp_path: Path) -> Path:
    assert cli("import", SAMPLE, "--db", "dev.db").exit_code == 0
    return tmp_path / "dev.db"


def test_a_negation_gets_the_claims_verdict_as_stated(dev_db: Path) -> None:
    result = cli("check", "kratom does not help with opioid withdrawal", "--db", dev_db)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert re.fullmatch(
        r"withdrawal-relief: SUPPORTED \(certainty (high|moderate|low|very-low)\)  "
        r"Kratom eases opioid withdrawal symptoms\.",
        lines[0],
    ), lines[0]
    assert lines[1] == (
        "  Your text negates this claim (“not”): the status is the claim's as stated. "
        "The literature goes against your text."
    )
    assert re.match(r"  Certainty: (high|moderate|low|very-low) \(", lines[2]), lines[2]
    assert lines[3] == "  Matched on: opioid withdrawal"


def test_citations_show_both_sides_each_on_one_line(dev_db: Path) -> None:
    out = cli("check", "kratom eases opioid withdrawal", "--db", dev_db).stdout
    first = out.split("\n\n")[0].splitlines()
    supporting = first.index(next(x for x in first if x.startswith("  Supporting (")))
    contradicting = first.index(next(x for x in first if x.startswith("  Contradicting (")))
    assert supporting < contradicting
    references = [x for x in first if x.startswith("    ") and not x.startswith("      ")]
    assert 2 <= len(references) <= 6  # up to three a side, each on one line
    for line in references:
        assert VANCOUVER.match(line), line
    assert max(len(x) for x in references) > 120  # COLUMNS=120, yet not wrapped


def test_a_harm_and_its_inverse(dev_db: Path) -> None:
    out = cli("check", "kratom can darken the skin", "--db", dev_db).stdout
    blocks = out.split("\n\n")
    assert blocks[0].startswith("hyperpigmentation-risk: SUPPORTED")
    assert "\n  Your text asserts this claim.\n" in blocks[0]
    assert blocks[1].startswith("no-hyperpigmentation: CONTRADICTED")
    assert "The literature is on your text's side." in blocks[1]
    assert blocks[1].endswith(
        "  The records cited for hyperpigmentation-risk, with stances swapped."
    )


@pytest.mark.parametrize(
    "text", ["buprenorphine eases opioid withdrawal", "melatonin improves sleep"]
)
def test_not_about_kratom(dev_db: Path, text: str) -> None:
    result = cli("check", text, "--db", dev_db)
    assert result.exit_code == 0
    assert result.stdout == (
        f"No match: “{text}” does not name kratom or one of its alkaloids, and every claim in "
        "the catalogue is about kratom: a finding about another substance says nothing of it.\n"
    )


@pytest.mark.parametrize(
    "text, message",
    [
        ("kratom", f"“kratom” is a single word: write the claim as a sentence, e.g. {EXAMPLE}"),
        ("", f"nothing to check: write the claim as a sentence, e.g. {EXAMPLE}"),
    ],
)
def test_no_sentence_is_refused(dev_db: Path, text: str, message: str) -> None:
    result = cli("check", text, "--db", dev_db)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {message}\n"


def test_json_for_tools(dev_db: Path) -> None:
    result = cli("check", "kratom is not addictive", "--format", "json", "--db", dev_db)
    assert result.exit_code == 0
    body = json.loads(result.stdout)
    assert body["text"] == "kratom is not addictive" and body["note"] is None
    first = body["matches"][0]
    assert set(first) == {
        "claim_id", "statement", "polarity", "status", "certainty", "reason", "citations",
        "reviewed", "tagged",
    }  # fmt: skip
    assert first["reviewed"] == 0 and first["tagged"] > 0
    assert all(c["reviewed"] is False for c in first["citations"])
    assert (first["claim_id"], first["polarity"]) == ("dependence-risk", "negates")
    assert first["certainty"] in ("high", "moderate", "low", "very-low")
    assert first["citations"]
    for cited in first["citations"]:
        assert cited["stance"] in {"supports", "contradicts"}
        assert cited["citation"].endswith(f"PubMed PMID: {cited['pmid']}.")


def test_json_when_nothing_matches(dev_db: Path) -> None:
    body = json.loads(
        cli("check", "melatonin improves sleep", "--format", "json", "--db", dev_db).stdout
    )
    assert body["matches"] == [] and body["note"].startswith("“melatonin improves sleep” does not")


def test_unknown_format(dev_db: Path) -> None:
    result = cli("check", "kratom eases pain", "--format", "xml", "--db", dev_db)
    assert result.exit_code == 2
    assert result.stderr == "Error: unknown format 'xml': choose one of text, json\n"


def test_references_come_in_the_style_asked(dev_db: Path) -> None:
    result = cli("check", "kratom relieves pain", "--style", "apa", "--db", dev_db)
    assert result.exit_code == 0, result.output
    references = [line for line in result.stdout.splitlines() if "PMID: 99" in line]
    assert references
    for line in references:  # APA: "Family, I., ... (year). Title. Journal, vol(issue), pages."
        assert re.match(r"^    [A-Z][\w'-]+, [A-Z]\.", line), line
        assert re.search(r" \(\d{4}\)\. ", line) and not VANCOUVER.match(line), line
    refused = cli("check", "kratom relieves pain", "--style", "mla", "--db", dev_db)
    assert refused.exit_code == 2
    assert (
        refused.stderr == "Error: unknown citation style 'mla': choose one of vancouver, ama, apa\n"
    )
