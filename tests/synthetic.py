"""Small synthetic PubMed records for tests: real element structure, made-up content."""

from __future__ import annotations

from datetime import date
from xml.sax.saxutils import escape


def make_record(
    pmid: int,
    title: str = "Kratom use and opioid withdrawal.",
    abstract: str = "Kratom was studied.",
    revised: date = date(2020, 1, 1),
    year: int = 2020,
    pub_types: tuple[str, ...] = ("Journal Article",),
) -> bytes:
    types = "".join(f"<PublicationType>{escape(t)}</PublicationType>" for t in pub_types)
    return f"""<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM">
<PMID Version="1">{pmid}</PMID>
<DateRevised><Year>{revised.year}</Year><Month>{revised.month:02d}</Month><Day>{revised.day:02d}</Day></DateRevised>
<Article PubModel="Print"><Journal><JournalIssue><Volume>1</Volume><PubDate><Year>{year}</Year></PubDate></JournalIssue>
<Title>Journal of tests</Title><ISOAbbreviation>J Tests</ISOAbbreviation></Journal>
<ArticleTitle>{escape(title)}</ArticleTitle>
<Abstract><AbstractText>{escape(abstract)}</AbstractText></Abstract>
<AuthorList><Author><LastName>Tester</LastName><ForeName>Ann</ForeName><Initials>A</Initials></Author></AuthorList>
<Language>eng</Language><PublicationTypeList>{types}</PublicationTypeList></Article>
</MedlineCitation><PubmedData><ArticleIdList><ArticleId IdType="pubmed">{pmid}</ArticleId></ArticleIdList></PubmedData>
</PubmedArticle>""".encode()


def article_set(records: list[bytes]) -> bytes:
    return (
        b'<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, '
        b'1st January 2019//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_190101.dtd">\n'
        b"<PubmedArticleSet>\n" + b"\n".join(records) + b"\n</PubmedArticleSet>\n"
    )
