"""The streaming parser, checked field by field against Bio.Entrez.read as an independent
reader, on the real PubMed format sample and on all 160 records of the dev corpus."""

from __future__ import annotations

import gzip
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from Bio import Entrez
from lxml import etree

from litwatch.errors import InputFileError
from litwatch.models import Article
from litwatch.pubmed.parse import (
    MalformedXMLError,
    iter_articles_from_file,
    iter_record_chunks,
    parse_article_xml,
    parse_articles,
    parse_esearch,
    parse_record_chunk,
)
from tests.conftest import SAMPLE, SHARED, needs_shared
from tests.synthetic import article_set, make_record

FORMAT_SAMPLE = SHARED / "pubmed-format-samples" / "pubmed-29768149.xml"


def _plain(text: str) -> str:
    # Entrez.read keeps PubMed's inline markup as text; drop just those tags ("P < .01" stays).
    return re.sub(r"\s+", " ", re.sub(r"</?(?:i|b|u|sup|sub)>", "", str(text))).strip()


def _oracle(path: Path) -> dict[int, Any]:
    with path.open("rb") as handle:
        return {int(r["MedlineCitation"]["PMID"]): r for r in Entrez.read(handle)["PubmedArticle"]}


def _check_against_oracle(ours: Article, ref: Any) -> None:
    cit, art = ref["MedlineCitation"], ref["MedlineCitation"]["Article"]
    assert ours.title == _plain(art["ArticleTitle"])
    assert (
        re.sub(r"\s+", " ", ours.title_markup)
        == re.sub(r"\s+", " ", str(art["ArticleTitle"])).strip()
    )
    sections = art.get("Abstract", {}).get("AbstractText", [])
    assert [s.text for s in ours.abstract] == [_plain(s) for s in sections if _plain(s)]
    assert [s.label for s in ours.abstract] == [
        s.attributes.get("Label") for s in sections if _plain(s)
    ]
    authors = art.get("AuthorList", [])
    assert [(a.last_name, a.fore_name, a.initials, a.collective_name) for a in ours.authors] == [
        (
            x.get("LastName"),
            x.get("ForeName"),
            x.get("Initials"),
            _plain(x["CollectiveName"]) if "CollectiveName" in x else None,
        )
        for x in authors
    ]
    assert [list(a.affiliations) for a in ours.authors] == [
        [_plain(i["Affiliation"]) for i in x.get("AffiliationInfo", [])] for x in authors
    ]
    journal = art["Journal"]
    assert ours.journal == journal["Title"]
    assert ours.volume == journal["JournalIssue"].get("Volume")
    assert ours.issue == journal["JournalIssue"].get("Issue")
    pub = journal["JournalIssue"]["PubDate"]
    if "MedlineDate" in pub:
        assert ours.pub_date == pub["MedlineDate"]
        assert ours.pub_year == int(pub["MedlineDate"][:4])
    else:
        assert ours.pub_year == int(pub["Year"])
    assert list(ours.publication_types) == [str(p) for p in art["PublicationTypeList"]]
    assert list(ours.languages) == [str(x) for x in art["Language"]]
    assert [(m.descriptor, m.major, m.ui) for m in ours.mesh] == [
        (
            str(h["DescriptorName"]),
            h["DescriptorName"].attributes["MajorTopicYN"] == "Y",
            h["DescriptorName"].attributes["UI"],
        )
        for h in cit.get("MeshHeadingList", [])
    ]
    assert [[q for q, _ in m.qualifiers] for m in ours.mesh] == [
        [str(q) for q in h["QualifierName"]] for h in cit.get("MeshHeadingList", [])
    ]
    assert list(ours.keywords) == [_plain(k) for kl in cit.get("KeywordList", []) for k in kl]
    ids = {i.attributes["IdType"]: str(i) for i in ref["PubmedData"]["ArticleIdList"]}
    elocation = {e.attributes["EIdType"]: str(e) for e in art.get("ELocationID", [])}
    assert ours.doi == ids.get("doi", elocation.get("doi"))
    assert ours.pmc == ids.get("pmc")
    revised = cit.get("DateRevised")
    assert ours.revised_date == (
        date(int(revised["Year"]), int(revised["Month"]), int(revised["Day"])) if revised else None
    )
    vernacular = art.get("VernacularTitle")
    assert ours.vernacular_title == (_plain(vernacular) if vernacular else None)
    retraction = any(
        c.attributes["RefType"] == "RetractionIn" for c in cit.get("CommentsCorrectionsList", [])
    )
    assert ours.retracted == ("Retracted Publication" in ours.publication_types or retraction)


@needs_shared()
def test_real_format_sample_matches_entrez_read() -> None:
    ours = list(iter_articles_from_file(FORMAT_SAMPLE))
    oracle = _oracle(FORMAT_SAMPLE)
    assert [a.pmid for a in ours] == list(oracle) == [29768149]
    _check_against_oracle(ours[0], oracle[29768149])
    a = ours[0]
    assert [s.label for s in a.abstract] == ["BACKGROUND", "METHODS", "RESULTS", "CONCLUSIONS"]
    assert a.journal_abbrev == "N Engl J Med" and a.pages == "1865-1876"
    assert a.entrez_date == date(2018, 5, 17)
    assert a.pub_date_sort == "2018-05-17"


def test_every_dev_record_matches_entrez_read() -> None:
    ours = {a.pmid: a for a in iter_articles_from_file(SAMPLE)}
    oracle = _oracle(SAMPLE)
    assert len(ours) == 160 and ours.keys() == oracle.keys()
    for pmid, article in ours.items():
        _check_against_oracle(article, oracle[pmid])


def test_dev_corpus_odd_fields() -> None:
    ours = {a.pmid: a for a in iter_articles_from_file(SAMPLE)}
    assert (
        ours[99000019].pub_date == "2013 Jul-Sep" and ours[99000019].pub_date_sort == "2013-07-01"
    )
    assert ours[99000002].title_markup.count("<i>N</i>") == 2
    assert "<i>" not in ours[99000002].title
    assert ours[99000017].retracted and ours[99000017].retraction_notices
    assert sum(a.retracted for a in ours.values()) == 2
    assert sum(1 for a in ours.values() if not a.abstract) == 3  # kept without an abstract
    assert sum(1 for a in ours.values() if a.vernacular_title) == 2


def test_collective_author_and_missing_parts() -> None:
    raw = (
        make_record(7)
        .replace(
            b"<AuthorList>",
            b"<AuthorList><Author><CollectiveName>Kratom <i>Study</i> Group</CollectiveName></Author>",
        )
        .replace(b"<Abstract><AbstractText>Kratom was studied.</AbstractText></Abstract>", b"")
    )
    article = parse_article_xml(raw)
    assert article.authors[0].collective_name == "Kratom Study Group"
    assert article.authors[0].display == "Kratom Study Group"
    assert article.abstract == () and article.abstract_text == ""


def test_gzip_file_streams_the_same(tmp_path: Path) -> None:
    packed = tmp_path / "sample.xml.gz"
    packed.write_bytes(gzip.compress(SAMPLE.read_bytes()))
    assert [a.pmid for a in iter_articles_from_file(packed)] == [
        a.pmid for a in iter_articles_from_file(SAMPLE)
    ]


@pytest.mark.parametrize(
    "content, message",
    [
        (b"<PubmedArticleSet><PubmedArticle><MedlineCitation>", "ends inside a record"),
        (b"<eSearchResult><Count>0</Count></eSearchResult>", "not a PubMed XML export"),
        (b"not xml at all", "not a PubMed XML export"),
        (
            b"<PubmedArticleSet><PubmedArticle><Oops></PubmedArticle></PubmedArticleSet>",
            "not valid PubMed XML",
        ),
    ],
)
def test_bad_files_are_one_clear_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.xml"
    path.write_bytes(content)
    with pytest.raises(InputFileError, match=message):
        list(iter_articles_from_file(path))


def test_truncated_answer_yields_nothing_partial() -> None:
    body = article_set([make_record(i) for i in range(1, 6)])
    with pytest.raises(MalformedXMLError):
        parse_articles(body[: len(body) - 40])
    assert [a.pmid for a in parse_articles(body)] == [1, 2, 3, 4, 5]


def test_efetch_error_document_is_not_zero_records() -> None:
    with pytest.raises(MalformedXMLError, match="Unable to obtain query"):
        parse_articles(b"<eFetchResult><ERROR>Unable to obtain query #1</ERROR></eFetchResult>")


def test_esearch_errors_and_warnings_are_visible() -> None:
    answer = parse_esearch(
        b"<eSearchResult><Count>0</Count><IdList/><ErrorList><PhraseNotFound>zzyzx</PhraseNotFound>"
        b'</ErrorList><WarningList><QuotedPhraseNotFound>"a b"</QuotedPhraseNotFound></WarningList>'
        b"</eSearchResult>"
    )
    assert answer.errors == ("PhraseNotFound: zzyzx",)
    assert answer.warnings == ('QuotedPhraseNotFound: "a b"',)
    top = parse_esearch(b"<eSearchResult><ERROR>Invalid query</ERROR></eSearchResult>")
    assert top.errors == ("Invalid query",)
    with pytest.raises(MalformedXMLError):
        parse_esearch(b"<eSearchResult><Count>3</Count><IdList><Id>1</Id>")


def test_raw_xml_is_the_record_as_sent_on_every_path() -> None:
    """Files, import chunks and efetch answers keep the same raw bytes for a record (so its
    content hash does not depend on how it arrived), and they re-parse to the same record."""
    data = SAMPLE.read_bytes()
    from_file = {a.pmid: a for a in iter_articles_from_file(SAMPLE)}
    from_answer = {a.pmid: a for a in parse_articles(data)}
    chunks = list(iter_record_chunks(SAMPLE, 7))
    from_chunks = {a.pmid: a for chunk in chunks for a in parse_record_chunk(chunk)}
    assert len(from_file) == 160 and from_file.keys() == from_answer.keys() == from_chunks.keys()
    for pmid, article in from_file.items():
        assert article.raw_xml == from_answer[pmid].raw_xml == from_chunks[pmid].raw_xml
        assert article.raw_xml.startswith(b"<PubmedArticle>")
        assert parse_article_xml(article.raw_xml) == article
    # The same bytes lxml writes back for the element.
    root = etree.fromstring(data)
    assert [etree.tostring(el, encoding="utf-8", with_tail=False) for el in root] == [
        a.raw_xml for a in from_file.values()
    ]


def test_raw_xml_with_character_references_and_a_decoy_comment() -> None:
    record = make_record(5).replace(b"</ArticleTitle>", b" &#x2013; &lt;b&gt;</ArticleTitle>", 1)
    decoy = b"<!-- <PubmedArticle> --><PubmedArticleSet>"
    for body in (
        article_set([record]),
        article_set([record]).replace(b"<PubmedArticleSet>", decoy),
    ):
        [article] = parse_articles(body)
        assert article.title.endswith("\u2013 <b>")
        assert parse_article_xml(article.raw_xml) == article


@pytest.mark.parametrize(
    "between",
    [
        b"<!-- <PubmedArticle> -->",  # a start tag in a comment: one piece too many
        b"<DeleteCitation><PMID Version='1'>9</PMID></DeleteCitation>",  # not a record: skipped
        b"<![CDATA[ </PubmedArticle> ]]>",  # an end tag where no record is open
    ],
)
def test_a_chunk_reads_as_its_whole_parse_whatever_lies_between_records(between: bytes) -> None:
    """Import chunks are parsed record by record (faster); whatever else the chunk holds, the
    records come out as parsing the chunk whole would give them."""
    marked = b"Second <i>Mitragyna</i> <i>speciosa</i>."  # inline markup: white space kept
    records = [make_record(1), make_record(2, title="T.").replace(b"T.", marked, 1)]
    chunk = records[0] + b"\n" + between + b"\n" + records[1]
    articles = parse_record_chunk(chunk)
    assert [a.pmid for a in articles] == [1, 2]
    assert [a.raw_xml for a in articles] == records
    assert articles[1].title == "Second Mitragyna speciosa."


@pytest.mark.parametrize("tag", [b"</PubmedArticle>", b"<PubmedArticle>"])
def test_a_record_tag_in_a_comment_inside_a_record_does_not_cut_it(tag: bytes) -> None:
    record = make_record(3).replace(b"</PubmedArticle>", b"<!-- " + tag + b" --></PubmedArticle>")
    for articles in (
        parse_record_chunk(record + b"\n" + make_record(4)),
        parse_articles(article_set([record, make_record(4)])),
    ):
        assert [a.pmid for a in articles] == [3, 4]
        assert parse_article_xml(articles[0].raw_xml) == articles[0]


def test_broken_xml_between_records_of_a_chunk_is_an_error() -> None:
    with pytest.raises(MalformedXMLError, match="unparsable"):
        parse_record_chunk(make_record(1) + b"\n<Broken>\n" + make_record(2))


def test_records_are_counted_for_the_progress_bar_across_block_edges(tmp_path: Path) -> None:
    from litwatch.pubmed.parse import count_records

    assert count_records(SAMPLE) == 160
    for block in (7, 16, 17, 1000):  # the end tag is 16 bytes: cut at every place
        assert count_records(SAMPLE, block=block) == 160
    gz = tmp_path / "s.xml.gz"
    gz.write_bytes(b"")
    assert count_records(gz) is None  # not decompressed twice
