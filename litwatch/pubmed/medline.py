"""PubMed's MEDLINE text format: the ".nbib" ("PubMed format") file the PubMed website saves.

Biopython's `Bio.Medline` reads it; each record is then written out as a PubMed XML
`<PubmedArticle>`, so it takes the path every record takes (parsed by `parse.py`, stored with
that XML, so `litwatch reparse` works; tagged). A later run that fetches the record from
PubMed replaces the written XML with PubMed's own. Bio.Medline lives in this module only.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import Element, SubElement, tostring

from Bio import Medline

from litwatch.errors import InputFileError

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# A structured abstract's label, as MEDLINE runs it into the text: "METHODS: We ...".
_LABEL = re.compile(r"(?:^|(?<=[.?!] ))([A-Z][A-Z &,/-]{2,}[A-Z]): ")


def looks_like_medline(head: bytes) -> bool:
    """Whether a file's first bytes are a MEDLINE record (its first tag is the PMID)."""
    return re.match(rb"\s*PMID- ?\d", head) is not None


def iter_medline_chunks(path: Path, per_chunk: int) -> Iterator[bytes]:
    """The file's records as chunks of `<PubmedArticle>` XML, `per_chunk` records each."""
    batch: list[bytes] = []
    with _open_text(path) as handle:
        records = Medline.parse(handle)  # type: ignore[no-untyped-call]  # Biopython has no types
        for n, record in enumerate(records, 1):
            if not str(record.get("PMID", "")).isdigit():
                raise InputFileError(f"{path}: record {n} has no PMID (is this a MEDLINE file?)")
            batch.append(tostring(_article(record)))
            if len(batch) == per_chunk:
                yield b"".join(batch)
                batch = []
    if batch:
        yield b"".join(batch)


def _open_text(path: Path) -> IO[str]:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8")
    return path.open(encoding="utf-8-sig")


def _add(parent: Element, tag: str, text: str | None, **attrs: str) -> Element | None:
    if not text:
        return None
    el = SubElement(parent, tag, attrs)
    el.text = text
    return el


def _list(record: dict[str, Any], tag: str) -> list[str]:
    value = record.get(tag, [])
    return [value] if isinstance(value, str) else list(value)


def _article(r: dict[str, Any]) -> Element:
    root = Element("PubmedArticle")
    citation = SubElement(root, "MedlineCitation", Status=r.get("STAT", "MEDLINE"), Owner="NLM")
    _add(citation, "PMID", r["PMID"], Version="1")
    _date(citation, "DateRevised", r.get("LR"))
    article = SubElement(citation, "Article", PubModel="Print")
    _journal(article, r)
    _add(article, "ArticleTitle", r.get("TI"))
    if r.get("PG"):
        _add(SubElement(article, "Pagination"), "MedlinePgn", r["PG"])
    for doi in _dois(r)[:1]:
        _add(article, "ELocationID", doi, EIdType="doi", ValidYN="Y")
    _abstract(article, r.get("AB"))
    _authors(article, r)
    for language in _list(r, "LA"):
        _add(article, "Language", language)
    types = SubElement(article, "PublicationTypeList")
    for kind in _list(r, "PT"):
        _add(types, "PublicationType", kind)
    _vocabulary(citation, r)
    _pubmed_data(root, r)
    return root


def _journal(article: Element, r: dict[str, Any]) -> None:
    journal = SubElement(article, "Journal")
    issue = SubElement(journal, "JournalIssue")
    _add(issue, "Volume", r.get("VI"))
    _add(issue, "Issue", r.get("IP"))
    pub_date = SubElement(issue, "PubDate")
    found = re.fullmatch(r"(\d{4})(?: ([A-Z][a-z]{2}))?(?: (\d{1,2}))?", r.get("DP", ""))
    if found and (found[2] is None or found[2] in _MONTHS):
        _add(pub_date, "Year", found[1])
        _add(pub_date, "Month", found[2])
        _add(pub_date, "Day", found[3])
    else:
        _add(pub_date, "MedlineDate", r.get("DP"))
    _add(journal, "Title", r.get("JT"))
    _add(journal, "ISOAbbreviation", r.get("TA"))


def _abstract(article: Element, text: str | None) -> None:
    if not text:
        return
    abstract = SubElement(article, "Abstract")
    parts = _LABEL.split(text)
    if len(parts) == 1:
        _add(abstract, "AbstractText", text)
        return
    if parts[0].strip():
        _add(abstract, "AbstractText", parts[0].strip())
    for label, body in zip(parts[1::2], parts[2::2], strict=True):
        _add(abstract, "AbstractText", body.strip(), Label=label)


def _authors(article: Element, r: dict[str, Any]) -> None:
    authors = SubElement(article, "AuthorList")
    short = _list(r, "AU")
    for i, full in enumerate(_list(r, "FAU")):
        last, _, fore = full.partition(", ")
        author = SubElement(authors, "Author")
        _add(author, "LastName", last)
        _add(author, "ForeName", fore)
        initials = short[i].rpartition(" ")[2] if i < len(short) else ""
        _add(author, "Initials", initials)
    for group in _list(r, "CN"):
        _add(SubElement(authors, "Author"), "CollectiveName", group)


def _vocabulary(citation: Element, r: dict[str, Any]) -> None:
    if chemicals := _list(r, "RN"):
        chemical_list = SubElement(citation, "ChemicalList")
        for entry in chemicals:
            name = re.search(r"\((.+)\)\s*$", entry)
            _add(
                SubElement(chemical_list, "Chemical"), "NameOfSubstance", name[1] if name else entry
            )
    if notices := _list(r, "RIN"):
        corrections = SubElement(citation, "CommentsCorrectionsList")
        for notice in notices:
            source, _, pmid = notice.partition(" PMID: ")
            cc = SubElement(corrections, "CommentsCorrections", RefType="RetractionIn")
            _add(cc, "RefSource", source.strip())
            _add(cc, "PMID", pmid.strip() or None, Version="1")
    if headings := _list(r, "MH"):
        mesh = SubElement(citation, "MeshHeadingList")
        for heading in headings:
            descriptor, *qualifiers = heading.split("/")
            el = SubElement(mesh, "MeshHeading")
            major = "Y" if descriptor.startswith("*") else "N"
            _add(el, "DescriptorName", descriptor.lstrip("*"), MajorTopicYN=major)
            for q in qualifiers:
                major = "Y" if q.startswith("*") else "N"
                _add(el, "QualifierName", q.lstrip("*"), MajorTopicYN=major)
    if keywords := _list(r, "OT"):
        keyword_list = SubElement(citation, "KeywordList", Owner="NOTNLM")
        for word in keywords:
            _add(keyword_list, "Keyword", word, MajorTopicYN="N")


def _pubmed_data(root: Element, r: dict[str, Any]) -> None:
    data = SubElement(root, "PubmedData")
    found = re.match(r"(\d{4})/(\d{2})/(\d{2})", r.get("EDAT", ""))
    if found:
        when = SubElement(SubElement(data, "History"), "PubMedPubDate", PubStatus="entrez")
        for tag, value in zip(("Year", "Month", "Day"), found.groups(), strict=True):
            _add(when, tag, value)
    ids = SubElement(data, "ArticleIdList")
    _add(ids, "ArticleId", r["PMID"], IdType="pubmed")
    for doi in _dois(r)[:1]:
        _add(ids, "ArticleId", doi, IdType="doi")
    _add(ids, "ArticleId", r.get("PMC"), IdType="pmc")


def _dois(r: dict[str, Any]) -> list[str]:
    tagged = [*_list(r, "LID"), *_list(r, "AID")]
    return [t.removesuffix(" [doi]").strip() for t in tagged if t.endswith("[doi]")]


def _date(parent: Element, tag: str, yyyymmdd: str | None) -> None:
    if yyyymmdd and re.fullmatch(r"\d{8}", yyyymmdd):
        el = SubElement(parent, tag)
        for child, value in (
            ("Year", yyyymmdd[:4]),
            ("Month", yyyymmdd[4:6]),
            ("Day", yyyymmdd[6:]),
        ):
            _add(el, child, value)
