"""The claim catalogue: shipped file valid and complete; malformed files named precisely."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from litwatch.claims.catalogue import CatalogueError, load_catalogue
from tests.conftest import REPO, SHARED, needs_shared

SHIPPED = REPO / "data" / "claims.toml"


def test_shipped_catalogue_holds_every_claim_of_the_source_article() -> None:
    """Every claim of `data/claims.csv` (the article's) is in the catalogue, word for word; the
    catalogue may hold more (a maintainer adds a claim in claims.toml alone)."""
    catalogue = load_catalogue(SHIPPED)
    with (REPO / "data" / "claims.csv").open() as f:
        rows = list(csv.DictReader(f))
    assert rows
    for row in rows:
        claim = catalogue.get(row["claim_id"])
        assert (claim.statement, claim.quote, claim.category) == (
            row["statement"],
            row["seed_quote"],
            row["category"],
        )
    assert ("hyperpigmentation-risk", "no-hyperpigmentation") in catalogue.conflicts
    assert ("insomnia-risk", "sleep-improvement") in catalogue.conflicts


@needs_shared()
def test_bundled_claims_csv_is_the_shared_one() -> None:
    assert (REPO / "data" / "claims.csv").read_bytes() == (SHARED / "claims.csv").read_bytes()


def test_version_follows_content(tmp_path: Path) -> None:
    copy = tmp_path / "claims.toml"
    copy.write_text(SHIPPED.read_text())
    first = load_catalogue(copy).version
    copy.write_text(SHIPPED.read_text() + "\n# edited\n")
    assert load_catalogue(copy).version != first


@pytest.mark.parametrize(
    "change, message",
    [
        (
            ('kind = "benefit"', 'kind = "good"'),
            "claim 'withdrawal-relief', field 'kind': Input should be",
        ),
        (
            ('statement = "Kratom reduces opioid cravings."', "statement = 3"),
            "claim 'craving-reduction', field 'statement'",
        ),
        (
            ("'crav\\w*', 'urges", "'crav(\\w*', 'urges"),
            "claim 'craving-reduction', field 'subject': bad pattern",
        ),
        (
            ("'crav\\w*', 'urges", "'>\\s*crav\\w*', 'urges"),
            "claim 'craving-reduction', field 'subject': pattern '>\\\\s*crav\\\\w*' must start "
            "with a letter or digit",
        ),
        (
            ('inverse_of = "hyperpigmentation-risk"', 'inverse_of = "nothing"'),
            "claim 'no-hyperpigmentation', field 'inverse_of': no claim 'nothing'",
        ),
        (
            ('id = "anxiety-relief"', 'id = "anxiety-relief"\ncolour = 1'),
            "claim 'anxiety-relief', field 'colour': unknown field",
        ),
    ],
)
def test_malformed_catalogue_names_claim_and_field(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    text = SHIPPED.read_text()
    assert change[0] in text
    bad = tmp_path / "claims.toml"
    bad.write_text(text.replace(change[0], change[1], 1))
    with pytest.raises(CatalogueError) as info:
        load_catalogue(bad)
    assert str(info.value).startswith(f"{bad}: {message}")


LIVER = """
[[claim]]
id = "liver-injury"
category = "safety"
kind = "harm"
statement = "Kratom can injure the liver."
quote = "added by a maintainer"
subject = ['liver (injury|damage|toxicity)', 'hepatotoxic\\w*', '(cholestatic |acute )?hepatitis', 'liver enzymes', '(alt|ast)\\b']
outcome = []
exclude = []
null = ['(liver enzymes|liver function tests?|alt|ast)( \\w+){0,3} (were |remained )?(within normal limits|normal)']
"""


def test_a_claim_added_in_the_catalogue_alone_is_tagged(tmp_path: Path) -> None:
    """A 19th claim, with its own null phrase: no code and no test changes needed."""
    from litwatch.claims.tagger import Tagger

    edited = tmp_path / "claims.toml"
    edited.write_text(SHIPPED.read_text() + LIVER)
    catalogue = load_catalogue(edited)
    assert catalogue.claims[-1].id == "liver-injury"
    tagger = Tagger(catalogue)

    def stance(sentence: str) -> str | None:
        tags = tagger.tag_record("Kratom use in a clinic.", [("RESULTS", None, sentence)])
        return {t.claim_id: t.stance for t in tags}.get("liver-injury")

    assert stance("Two kratom users developed cholestatic hepatitis (2%).") == "supports"
    assert stance("In kratom users, liver enzymes were within normal limits.") == "contradicts"
    assert stance("Kratom did not cause liver injury in this cohort.") == "contradicts"
    assert stance("Kratom eased opioid withdrawal (P < .01).") is None


def test_no_shipped_pattern_holds_a_doubled_backslash() -> None:
    """A pattern written through a layer of string escaping ("[\\\\w-]") matches a literal
    backslash and silently nothing else."""
    catalogue = load_catalogue(SHIPPED)
    for claim in catalogue.claims:
        for pattern in (
            *claim.subject,
            *claim.outcome,
            *claim.exclude,
            *claim.null,
            *claim.opposite,
        ):
            assert "\\\\" not in pattern, (claim.id, pattern)
