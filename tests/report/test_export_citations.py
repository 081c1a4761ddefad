"""`litwatch export citations`: every format parsed back by a real library, on a real store."""

from __future__ import annotations

import json
from pathlib import Path

import bibtexparser
import pytest
import rispy

from litwatch.models import Reference
from litwatch.store import open_store
from tests.conftest import SAMPLE, cli
from tests.synthetic import article_set

# A record written for this test, with everything a reference manager needs.
RECORD = """<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM">
<PMID Version="1">99999931</PMID>
<Article PubModel="Print"><Journal><JournalIssue><Volume>12</Volume><Issue>3</Issue>
<PubDate><Year>2024</Year><Month>Mar</Month></PubDate></JournalIssue>
<Title>Journal of made-up studies</Title><ISOAbbreviation>J Made-Up Stud</ISOAbbreviation></Journal>
<ArticleTitle>A made-up trial of leaf tea for sleep.</ArticleTitle>
<Pagination><MedlinePgn>145-52</MedlinePgn></Pagination>
<ELocationID EIdType="doi" ValidYN="Y">10.0000/mus.2024.7</ELocationID>
<Abstract><AbstractText Label="RESULTS" NlmCategory="RESULTS">Sleep was measured.</AbstractText>
<AbstractText Label="CONCLUSIONS" NlmCategory="CONCLUSIONS">More work is needed.</AbstractText></Abstract>
<AuthorList><Author><LastName>Ødegård</LastName><ForeName>Åse</ForeName><Initials>Å</Initials></Author>
<Author><LastName>Berg</LastName><ForeName>Lena M</ForeName><Initials>LM</Initials></Author>
<Author><CollectiveName>Leaf Study Group</CollectiveName></Author></AuthorList>
<Language>eng</Language><PublicationTypeList><PublicationType>Journal Article</PublicationType></PublicationTypeList></Article>
</MedlineCitation><PubmedData><ArticleIdList><ArticleId IdType="pubmed">99999931</ArticleId></ArticleIdList></PubmedData>
</PubmedArticle>""".encode()


@pytest.fixture
def one_record(tmp_path: Path) -> Path:
    xml = tmp_path / "one.xml"
    xml.write_bytes(article_set([RECORD]))
    assert cli("import", xml, "--db", "one.db").exit_code == 0
    return tmp_path / "one.db"


@pytest.fixture
def sample_db(tmp_path: Path) -> Path:
    assert cli("import", SAMPLE, "--db", "dev.db").exit_code == 0
    return tmp_path / "dev.db"


def _export(db: Path, *args: str) -> str:
    result = cli("export", "citations", "--db", db, *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_ris_reads_back_whole(one_record: Path) -> None:
    [entry] = rispy.loads(_export(one_record, "--format", "ris"))
    assert entry["type_of_reference"] == "JOUR"
    assert entry["authors"] == ["Ødegård, Åse", "Berg, Lena M", "Leaf Study Group"]
    assert entry["title"] == "A made-up trial of leaf tea for sleep."
    assert entry["secondary_title"] == "Journal of made-up studies"
    assert entry["alternate_title1"] == "J Made-Up Stud"
    assert (entry["year"], entry["volume"], entry["number"]) == ("2024", "12", "3")
    assert (entry["start_page"], entry["end_page"]) == ("145", "152")
    assert entry["doi"] == "10.0000/mus.2024.7"
    assert entry["accession_number"] == "99999931"
    assert entry["urls"] == ["https://pubmed.ncbi.nlm.nih.gov/99999931/"]
    assert entry["abstract"] == "RESULTS: Sleep was measured. CONCLUSIONS: More work is needed."


def test_bibtex_reads_back_whole(one_record: Path) -> None:
    library = bibtexparser.parse_string(_export(one_record, "--format", "bibtex"))
    assert not library.failed_blocks
    [entry] = library.entries
    assert (entry.entry_type, entry.key) == ("article", "Odegard2024")
    fields = {f.key: f.value for f in entry.fields}
    assert fields["author"] == "Ødegård, Åse and Berg, Lena M and {Leaf Study Group}"
    assert fields["title"] == "{A made-up trial of leaf tea for sleep}"
    assert fields["journal"] == "Journal of made-up studies"
    assert (fields["year"], fields["volume"], fields["number"]) == ("2024", "12", "3")
    assert fields["pages"] == "145--152"
    assert (fields["doi"], fields["pmid"]) == ("10.0000/mus.2024.7", "99999931")
    assert fields["url"] == "https://pubmed.ncbi.nlm.nih.gov/99999931/"
    assert "Sleep was measured." in fields["abstract"]


def test_csl_json_reads_back_whole(one_record: Path) -> None:
    [item] = json.loads(_export(one_record, "--format", "csl-json"))
    assert item["type"] == "article-journal"
    assert item["author"] == [
        {"family": "Ødegård", "given": "Åse"}, {"family": "Berg", "given": "Lena M"},
        {"literal": "Leaf Study Group"},
    ]  # fmt: skip
    assert item["issued"] == {"date-parts": [[2024]]}
    assert (item["volume"], item["issue"], item["page"]) == ("12", "3", "145-152")
    assert (item["DOI"], item["PMID"]) == ("10.0000/mus.2024.7", "99999931")
    assert item["URL"] == "https://pubmed.ncbi.nlm.nih.gov/99999931/"


def test_every_record_once_in_every_format_with_unique_keys(sample_db: Path) -> None:
    assert len(rispy.loads(_export(sample_db, "--format", "ris"))) == 160
    library = bibtexparser.parse_string(_export(sample_db, "--format", "bibtex"))
    assert not library.failed_blocks and len(library.entries) == 160
    assert len({e.key for e in library.entries}) == 160
    assert len(json.loads(_export(sample_db, "--format", "csl-json"))) == 160


def _stored_retracted(db: Path) -> list[Reference]:
    with open_store(db) as store:
        return [r for r in store.references() if r.retracted]


def test_filters_keep_the_records_the_tags_name(sample_db: Path) -> None:
    tags = json.loads(cli("export", "tags", "--format", "json", "--db", sample_db).stdout)
    wanted = {
        t["pmid"]
        for t in tags
        if t["claim_id"] == "withdrawal-relief" and t["stance"] == "supports"
    }
    retracted = {t["pmid"] for t in tags if t["retracted"]}
    assert len(wanted) > 5 and wanted & retracted
    result = cli("export", "citations", "--format", "csl-json", "--claim", "withdrawal-relief",
                 "--stance", "supports", "--db", sample_db)  # fmt: skip
    items = json.loads(result.stdout)
    assert {int(i["PMID"]) for i in items} == wanted - retracted  # a retracted paper is no evidence
    assert f"Left out {len(wanted & retracted)} retracted record(s)" in result.stderr
    everything = json.loads(_export(sample_db, "--format", "csl-json"))
    flagged = {int(i["PMID"]) for i in everything if i.get("note", "").startswith("RETRACTED")}
    assert flagged == {r.pmid for r in _stored_retracted(sample_db)}
    rct = json.loads(_export(sample_db, "--format", "csl-json", "--design", "rct"))
    designs = {t["pmid"]: t["design"] for t in tags}
    assert rct and all(designs.get(int(i["PMID"]), "rct") == "rct" for i in rct)
    assert _export(sample_db, "--format", "csl-json", "--since", "2999-01-01") == "[]\n"
    assert (
        len(json.loads(_export(sample_db, "--format", "csl-json", "--since", "2000-01-01"))) == 160
    )
    assert len(json.loads(_export(sample_db, "--format", "csl-json", "--since", "1"))) == 160
    assert cli("export", "citations", "--since", "9", "--db", sample_db).exit_code == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--format", "endnote"),
            "Error: unknown format 'endnote': choose one of ris, bibtex, csl-json",
        ),
        (
            ("--stance", "maybe"),
            "Error: unknown stance 'maybe': choose one of supports, contradicts, mentions",
        ),
        (("--claim", "nope"), "Error: no claim 'nope'; known: withdrawal-relief,"),
    ],
)
def test_bad_options_get_one_line(one_record: Path, args: tuple[str, ...], message: str) -> None:
    result = cli("export", "citations", "--db", one_record, *args)
    assert result.exit_code != 0
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1
