"""Streaming PubMed XML → `Article`, and the small E-utilities answers (esearch, epost).

lxml `iterparse` with each record cleared once read keeps memory flat whatever the file
size: `Bio.Entrez.read` holds a whole answer in memory (2.6 GB for 20,000 records) and
`Bio.Entrez.parse` refuses `PubmedArticleSet` in Biopython 1.88.
"""

from __future__ import annotations

import gzip
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, cast

from lxml import etree

from litwatch.errors import InputFileError
from litwatch.models import AbstractSection, Article, Author, MeshHeading

_WS = re.compile(r"\s+")
_YEAR = re.compile(r"\b(1[89]\d\d|2\d\d\d)\b")
_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
_SEASONS = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12}
RETRACTED_TYPE = "Retracted Publication"
_PARSER = etree.XMLParser(resolve_entities=False, huge_tree=True)


class MalformedXMLError(ValueError):
    """An answer is not the XML it should be (truncated, garbled, wrong root)."""


def _text(el: etree._Element | None) -> str:
    """All text under an element, inline markup (<i>, <sup>...) dropped, white space folded."""
    if el is None:
        return ""
    return _WS.sub(
        " ", etree.tostring(el, method="text", encoding="unicode", with_tail=False)
    ).strip()


def _inner_markup(el: etree._Element | None) -> str:
    if el is None:
        return ""
    parts = [el.text or ""]
    parts.extend(etree.tostring(child, encoding="unicode", with_tail=True) for child in el)
    return "".join(parts).strip()


def _month(raw: str | None) -> int | None:
    if not raw:
        return None
    raw = raw.strip().lower()
    if raw.isdigit():
        return int(raw) if 1 <= int(raw) <= 12 else None
    return _MONTHS.get(raw[:3]) or _SEASONS.get(raw)


def _date_of(el: etree._Element | None) -> date | None:
    if el is None:
        return None
    try:
        year = int(el.findtext("Year") or "")
        return date(year, _month(el.findtext("Month")) or 1, int(el.findtext("Day") or 1))
    except ValueError:
        return None


def _pub_date(pub: etree._Element | None) -> tuple[int | None, str | None, str | None]:
    """(year, date as PubMed shows it, sortable YYYY-MM-DD) from PubDate or MedlineDate."""
    if pub is None:
        return None, None, None
    medline = pub.findtext("MedlineDate")
    if medline:
        # "2019 Jan-Feb", "1998 Dec-1999 Jan", "2001 Spring": the first year and month win.
        m = _YEAR.search(medline)
        year = int(m.group(1)) if m else None
        words = [w for w in re.split(r"[\s\-/]+", medline) if w.isalpha()]
        month = next((_month(w) for w in words if _month(w)), None)
        sort = f"{year:04d}-{month or 1:02d}-01" if year else None
        return year, medline.strip(), sort
    year_text = pub.findtext("Year")
    if not year_text or not year_text.strip().isdigit():
        return None, None, None
    year = int(year_text)
    month_raw, day_raw = pub.findtext("Month"), pub.findtext("Day")
    month = _month(month_raw)
    day = int(day_raw) if day_raw and day_raw.strip().isdigit() else None
    shown = " ".join(p.strip() for p in (year_text, month_raw, day_raw) if p)
    return year, shown, f"{year:04d}-{month or 1:02d}-{day or 1:02d}"


def _authors(article: etree._Element) -> tuple[Author, ...]:
    out = []
    for au in article.iterfind("AuthorList/Author"):
        out.append(
            Author(
                last_name=au.findtext("LastName"),
                fore_name=au.findtext("ForeName"),
                initials=au.findtext("Initials"),
                collective_name=_text(au.find("CollectiveName")) or None,
                affiliations=tuple(_text(a) for a in au.iterfind("AffiliationInfo/Affiliation")),
            )
        )
    return tuple(out)


def _abstract(article: etree._Element) -> tuple[AbstractSection, ...]:
    return tuple(
        AbstractSection(text=_text(sec), label=sec.get("Label"), category=sec.get("NlmCategory"))
        for sec in article.iterfind("Abstract/AbstractText")
        if _text(sec)
    )


def _mesh(citation: etree._Element) -> tuple[MeshHeading, ...]:
    out = []
    for heading in citation.iterfind("MeshHeadingList/MeshHeading"):
        desc = heading.find("DescriptorName")
        if desc is None:
            continue
        out.append(
            MeshHeading(
                descriptor=_text(desc),
                major=desc.get("MajorTopicYN") == "Y",
                ui=desc.get("UI"),
                qualifiers=tuple(
                    (_text(q), q.get("MajorTopicYN") == "Y")
                    for q in heading.iterfind("QualifierName")
                ),
            )
        )
    return tuple(out)


def _ids(record: etree._Element, article: etree._Element) -> tuple[str | None, str | None]:
    doi = pmc = None
    for aid in record.iterfind("PubmedData/ArticleIdList/ArticleId"):
        kind = aid.get("IdType")
        if kind == "doi" and not doi:
            doi = (aid.text or "").strip() or None
        elif kind == "pmc" and not pmc:
            pmc = (aid.text or "").strip() or None
    if not doi:
        for loc in article.iterfind("ELocationID"):
            if loc.get("EIdType") == "doi":
                doi = (loc.text or "").strip() or None
                break
    return doi, pmc


def _retraction_notices(citation: etree._Element) -> tuple[str, ...]:
    notices = []
    for cc in citation.iterfind("CommentsCorrectionsList/CommentsCorrections"):
        if cc.get("RefType") == "RetractionIn":
            ref = _text(cc.find("RefSource"))
            pmid = cc.findtext("PMID")
            notices.append(f"{ref} (PMID {pmid.strip()})" if pmid else ref)
    return tuple(notices)


def _pages(article: etree._Element) -> str | None:
    pages = article.findtext("Pagination/MedlinePgn")
    if pages:
        return pages.strip()
    start, end = article.findtext("Pagination/StartPage"), article.findtext("Pagination/EndPage")
    return "-".join(p for p in (start, end) if p) or None


def _article_from_element(record: etree._Element, raw: bytes) -> Article:
    citation = record.find("MedlineCitation")
    if citation is None:
        raise MalformedXMLError("PubmedArticle without MedlineCitation")
    pmid_text = (citation.findtext("PMID") or "").strip()
    if not pmid_text.isdigit():
        raise MalformedXMLError(f"record without a numeric PMID: {pmid_text!r}")
    article = citation.find("Article")
    if article is None:
        raise MalformedXMLError(f"PMID {pmid_text}: no Article element")
    journal = article.find("Journal")
    issue = journal.find("JournalIssue") if journal is not None else None
    year, shown, sort = _pub_date(issue.find("PubDate") if issue is not None else None)
    title_el = article.find("ArticleTitle")
    pub_types = tuple(_text(p) for p in article.iterfind("PublicationTypeList/PublicationType"))
    notices = _retraction_notices(citation)
    doi, pmc = _ids(record, article)
    entrez = record.find("PubmedData/History/PubMedPubDate[@PubStatus='entrez']")
    if entrez is None:
        entrez = record.find("PubmedData/History/PubMedPubDate[@PubStatus='pubmed']")
    return Article(
        pmid=int(pmid_text),
        title=_text(title_el),
        title_markup=_inner_markup(title_el),
        raw_xml=raw,
        abstract=_abstract(article),
        authors=_authors(article),
        journal=(_text(journal.find("Title")) or None) if journal is not None else None,
        journal_abbrev=(journal.findtext("ISOAbbreviation") if journal is not None else None)
        or citation.findtext("MedlineJournalInfo/MedlineTA"),
        volume=issue.findtext("Volume") if issue is not None else None,
        issue=issue.findtext("Issue") if issue is not None else None,
        pages=_pages(article),
        pub_year=year,
        pub_date=shown,
        pub_date_sort=sort,
        entrez_date=_date_of(entrez),
        revised_date=_date_of(citation.find("DateRevised")),
        doi=doi,
        pmc=pmc,
        languages=tuple((lang.text or "").strip() for lang in article.iterfind("Language")),
        vernacular_title=_text(article.find("VernacularTitle")) or None,
        publication_types=pub_types,
        mesh=_mesh(citation),
        keywords=tuple(_text(k) for k in citation.iterfind("KeywordList/Keyword") if _text(k)),
        chemicals=tuple(
            _text(c) for c in citation.iterfind("ChemicalList/Chemical/NameOfSubstance")
        ),
        retracted=RETRACTED_TYPE in pub_types or bool(notices),
        retraction_notices=notices,
    )


def _iterparse(stream: IO[bytes]) -> Iterator[Article]:
    context = etree.iterparse(
        stream, events=("end",), tag="PubmedArticle", huge_tree=True, resolve_entities=False
    )
    for _event, elem in context:
        raw = etree.tostring(elem, encoding="utf-8")
        yield _article_from_element(elem, raw)
        # Free what was read: the element, and the siblings already handled before it.
        elem.clear(keep_tail=True)
        parent = elem.getparent()
        if parent is not None:
            while elem.getprevious() is not None:
                del parent[0]
    root = context.root
    if root is None or root.tag != "PubmedArticleSet":
        # E-utilities report some failures as a 200 with another document, e.g.
        # <eFetchResult><ERROR>Unable to obtain query #1</ERROR>: never read that as "no records".
        tag = root.tag if root is not None else "nothing"
        detail = _text(root.find(".//ERROR")) if root is not None else ""
        raise MalformedXMLError(f"expected <PubmedArticleSet>, got <{tag}> {detail}".strip())


def iter_articles_from_bytes(data: bytes) -> Iterator[Article]:
    """Parse an efetch answer; a truncated or garbled one raises `MalformedXMLError`."""
    try:
        yield from _iterparse(io.BytesIO(data))
    except etree.XMLSyntaxError as exc:
        raise MalformedXMLError(f"unparsable PubMed XML: {exc}") from None


def parse_articles(data: bytes) -> list[Article]:
    """A whole efetch batch, all or nothing: a broken answer yields no partial list."""
    return list(iter_articles_from_bytes(data))


def parse_article_xml(raw: bytes) -> Article:
    """Re-parse one stored record's raw XML (a `<PubmedArticle>`, for `litwatch reparse`)."""
    try:
        elem = etree.fromstring(raw, parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        raise MalformedXMLError(f"unparsable stored record: {exc}") from None
    if elem.tag != "PubmedArticle":
        raise MalformedXMLError(f"expected <PubmedArticle>, got <{elem.tag}>")
    return _article_from_element(elem, raw)


def _open_input(path: Path) -> IO[bytes]:
    if path.suffix == ".gz":
        return cast(IO[bytes], gzip.open(path, "rb"))
    return path.open("rb")


def iter_articles_from_file(path: Path) -> Iterator[Article]:
    """Stream records from a PubMed XML export (`.xml` or `.xml.gz`), memory staying flat."""
    try:
        with _open_input(path) as stream:
            yield from _iterparse(stream)
    except FileNotFoundError:
        raise InputFileError(f"{path}: no such file") from None
    except (etree.XMLSyntaxError, MalformedXMLError, gzip.BadGzipFile, EOFError) as exc:
        raise InputFileError(f"{path}: not valid PubMed XML ({exc})") from None


@dataclass(frozen=True)
class ESearchAnswer:
    count: int
    pmids: tuple[int, ...]
    translation: str | None
    webenv: str | None
    query_key: str | None
    errors: tuple[str, ...]
    warnings: tuple[str, ...]


def _root(data: bytes, expected: str) -> etree._Element:
    try:
        root = etree.fromstring(data, parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        raise MalformedXMLError(f"unparsable {expected} answer: {exc}") from None
    if root.tag != expected:
        raise MalformedXMLError(f"expected <{expected}>, got <{root.tag}>")
    return root


def _messages(root: etree._Element, path: str) -> tuple[str, ...]:
    out = []
    for el in root.iterfind(path):
        text = _text(el)
        if text:
            out.append(f"{el.tag}: {text}" if el.tag != "ERROR" else text)
    return tuple(out)


def parse_esearch(data: bytes) -> ESearchAnswer:
    """An esearch answer, with its <ERROR>, <ErrorList> and <WarningList> made visible."""
    root = _root(data, "eSearchResult")
    errors = _messages(root, "ERROR") + _messages(root, "ErrorList/*")
    warnings = _messages(root, "WarningList/*")
    count_text = root.findtext("Count")
    if count_text is None and not errors:
        raise MalformedXMLError("esearch answer without <Count>")
    return ESearchAnswer(
        count=int(count_text or 0),
        pmids=tuple(int((e.text or "").strip()) for e in root.iterfind("IdList/Id")),
        translation=_text(root.find("QueryTranslation")) or None,
        webenv=root.findtext("WebEnv"),
        query_key=root.findtext("QueryKey"),
        errors=errors,
        warnings=warnings,
    )


def parse_epost(data: bytes) -> tuple[str, str]:
    """(WebEnv, query_key) from an epost answer."""
    root = _root(data, "ePostResult")
    errors = _messages(root, "ERROR")
    webenv, key = root.findtext("WebEnv"), root.findtext("QueryKey")
    if errors or not webenv or not key:
        raise MalformedXMLError("epost failed: " + ("; ".join(errors) or "no WebEnv/QueryKey"))
    return webenv, key
