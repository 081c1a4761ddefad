"""The claim catalogue: shipped file valid and complete; malformed files named precisely."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from litwatch.claims.catalogue import CatalogueError, load_catalogue
from tests.conftest import REPO, SHARED, needs_shared

SHIPPED = REPO / "data" / "claims.toml"


def test_shipped_catalogue_has_the_18_claims_of_claims_csv() -> None:
    catalogue = load_catalogue(SHIPPED)
    with (REPO / "data" / "claims.csv").open() as f:
        rows = list(csv.DictReader(f))
    assert [c.id for c in catalogue.claims] == [r["claim_id"] for r in rows]
    for claim, row in zip(catalogue.claims, rows, strict=True):
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
            ("subject = ['crav\\w*'", "subject = ['crav(\\w*'"),
            "claim 'craving-reduction', field 'subject': bad pattern",
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
