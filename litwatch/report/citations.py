"""Formatted references, ready to paste into a manuscript: evidence in, plain text out.

The formatting is citeproc-py's, a CSL processor, from the Citation Style Language's own
style files shipped in `styles/` (unmodified, CC BY-SA 3.0: see styles/README.md). A style is
a name in `STYLES`; adding one is a file and a line. citeproc-py lives in this module only.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON

from litwatch.errors import ConfigError
from litwatch.models import Reference
from litwatch.report.csl import csl_item
from litwatch.report.verdicts import Evidence

STYLE_FOLDER = Path(__file__).parent / "styles"
_CSL = "{http://purl.org/net/xbiblio/csl}"


@dataclass(frozen=True)
class Style:
    file: str
    prints_pmid: bool  # the style itself writes the PMID; otherwise it is added at the end


STYLES = {
    "vancouver": Style("nlm-citation-sequence.csl", prints_pmid=True),
    "ama": Style("american-medical-association.csl", prints_pmid=False),
    "apa": Style("apa.csl", prints_pmid=False),
}
DEFAULT_STYLE = "vancouver"


def check_style(style: str) -> None:
    if style not in STYLES:
        raise ConfigError(f"unknown citation style {style!r}: choose one of {', '.join(STYLES)}")


def format_citations(evidence: Sequence[Evidence], style: str = DEFAULT_STYLE) -> list[str]:
    """One reference per record, in the order given, each on one line."""
    return format_references([e.reference() for e in evidence], style)


def format_references(references: Sequence[Reference], style: str = DEFAULT_STYLE) -> list[str]:
    check_style(style)
    return [_format(r, style) for r in references]


def _format(ref: Reference, style: str) -> str:
    # citeproc-py formats a bibliography; one per record keeps each reference with its PMID
    # (a style such as APA sorts its bibliography alphabetically).
    bibliography = CitationStylesBibliography(
        _style(style), CiteProcJSON([csl_item(ref)]), formatter.plain
    )
    bibliography.register(Citation([CitationItem(str(ref.pmid))]))
    text = " ".join(str(bibliography.bibliography()[0]).split())
    return text if STYLES[style].prints_pmid else f"{text} PMID: {ref.pmid}."


@cache
def _style(name: str) -> Any:
    with warnings.catch_warnings():
        # citeproc-py warns about CSL features it does not implement (none of them bears on
        # a journal article); tests run with warnings as errors.
        warnings.simplefilter("ignore")
        style = CitationStylesStyle(str(STYLE_FOLDER / STYLES[name].file), validate=False)
    # Numbered styles open each reference with its number in the list ("1."): here there is
    # no list, and the writer numbers their own, so the number is taken out of the layout.
    for node in list(style.root.iter(f"{_CSL}text")):
        if node.get("variable") == "citation-number":
            node.getparent().remove(node)
    return style
