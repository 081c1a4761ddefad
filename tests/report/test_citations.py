"""References formatted by citeproc-py from the shipped CSL styles (a made-up record)."""

from __future__ import annotations

import pytest

from litwatch.errors import ConfigError
from litwatch.models import Author
from litwatch.report.citations import STYLES, format_citations
from litwatch.report.csl import csl_item, full_range
from litwatch.report.verdicts import Evidence

AUTHORS = (
    Author("Abara", "Chinedu T", "CT"),
    Author("Berg", None, "LM"),
    Author("Castro", "Ana", "A"),
    Author("Duval", "Pierre", "P"),
    Author("Eze", "Ngozi", "N"),
    Author("Fong", "Wai", "W"),
    Author("Gupta", "Ravi", "R"),
)


def record(authors: tuple[Author, ...] = AUTHORS, **changes: object) -> Evidence:
    fields: dict[str, object] = {
        "pmid": 99999901, "stance": "supports", "design": "rct", "population": "human",
        "year": 2024, "sentence": "s", "section": "results",
        "title": "A made-up trial of leaf tea for restless evenings.",
        "first_author": "Abara CT", "journal": "J Made Up Stud", "doi": "10.0000/mus.2024.7",
        "retracted": False, "new": False, "weight": 1.0, "authors": authors,
        "journal_title": "Journal of Made-Up Studies", "volume": "12", "issue": "3",
        "pages": "145-52",
    }  # fmt: skip
    return Evidence(**(fields | changes))  # type: ignore[arg-type]


def test_vancouver() -> None:
    assert format_citations([record()]) == [
        "Abara CT, Berg LM, Castro A, Duval P, Eze N, Fong W, et al. A made-up trial of leaf "
        "tea for restless evenings. J Made Up Stud. 2024;12(3):145–52. doi:10.0000/mus.2024.7 "
        "PubMed PMID: 99999901."
    ]


def test_ama_and_apa_add_the_pmid() -> None:
    [ama] = format_citations([record()], "ama")
    assert ama.startswith("Abara CT, Berg LM, Castro A, et al. A made-up trial")
    assert ama.endswith(
        "J Made Up Stud. 2024;12(3):145-152. doi:10.0000/mus.2024.7 PMID: 99999901."
    )
    [apa] = format_citations([record()], "apa")
    assert apa.startswith("Abara, C. T., Berg, L. M., Castro, A.,")
    assert "(2024). A made-up trial" in apa and "Journal of Made-Up Studies, 12(3), 145–152." in apa
    assert apa.endswith("https://doi.org/10.0000/mus.2024.7 PMID: 99999901.")


def test_what_a_record_lacks_is_left_out() -> None:
    bare = record(
        (Author(collective_name="Leaf Study Group"),), volume=None, issue=None, pages=None,
        doi=None, year=None,
    )  # fmt: skip
    assert csl_item(bare.reference()).keys() == {
        "id", "type", "title", "author", "container-title", "container-title-short", "PMID",
    }  # fmt: skip
    for style in STYLES:
        [text] = format_citations([bare], style)
        assert "Leaf Study Group" in text and "99999901" in text and "\n" not in text


def test_order_is_kept_and_unknown_styles_are_refused() -> None:
    later = record(pmid=99999902, authors=(Author("Zeller", "Max", "M"),))
    texts = format_citations([later, record()], "apa")
    assert texts[0].startswith("Zeller, M.") and texts[1].startswith("Abara")
    with pytest.raises(ConfigError, match="unknown citation style 'mla': choose one of"):
        format_citations([record()], "mla")


@pytest.mark.parametrize(
    "pages, whole",
    [("145-52", "145-152"), ("99-101", "99-101"), ("e00241", "e00241"), ("1203-5", "1203-1205"),
     (None, None)],
)  # fmt: skip
def test_abbreviated_page_ranges_are_made_whole(pages: str | None, whole: str | None) -> None:
    assert full_range(pages) == whole
