"""The evidence report, check, eval and tag export as a user runs them."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from litwatch.claims.catalogue import load_catalogue
from litwatch.store import open_store
from tests.conftest import REPO, SAMPLE, SHARED, cli, needs_shared
from tests.synthetic import article_set, make_record

CATALOGUE = load_catalogue(REPO / "data" / "claims.toml")
STATUSES = {"supported", "contradicted", "mixed", "insufficient", "no-evidence"}
CERTAINTIES = {"high", "moderate", "low", "very-low"}


@pytest.fixture
def dev_db(tmp_path: Path) -> Path:
    assert cli("import", SAMPLE, "--db", "dev.db").exit_code == 0
    return tmp_path / "dev.db"


def test_report_json_has_the_documented_shape(dev_db: Path) -> None:
    result = cli("report", "--format", "json", "--db", dev_db)
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert len(body["claims"]) == len(CATALOGUE.claims)
    for claim in body["claims"]:
        assert {"claim_id", "statement", "status", "reason", "counts", "evidence"} <= set(claim)
        assert claim["status"] in STATUSES
        if claim["status"] == "no-evidence":
            assert (claim["certainty"], claim["certainty_reason"]) == (None, "")
        else:
            assert claim["certainty"] in CERTAINTIES and claim["certainty_reason"]
        assert set(claim["counts"]) == {"supports", "contradicts", "mentions"}
        for item in claim["evidence"]:
            assert {"pmid", "stance", "design", "year", "sentence"} <= set(item)
            assert not item["retracted"]
    retracted = {e["pmid"] for c in body["claims"] for e in c["retracted"]}
    assert 99000017 in retracted  # shown, flagged, not counted


def test_report_csv_and_markdown(dev_db: Path) -> None:
    rows = list(
        csv.DictReader(io.StringIO(cli("report", "--format", "csv", "--db", dev_db).stdout))
    )
    assert len(rows) == len(CATALOGUE.claims) and all(r["status"] in STATUSES for r in rows)
    assert all(r["certainty"] in CERTAINTIES | {""} and r["certainty_reason"] for r in rows)
    md = cli(
        "report", "--format", "markdown", "--claim", "no-hyperpigmentation", "--db", dev_db
    ).stdout
    assert md.startswith("# Evidence report") and "## no-hyperpigmentation" in md
    assert "hyperpigmentation-risk`, which contradicts this claim" in md
    assert "https://pubmed.ncbi.nlm.nih.gov/" in md
    assert "| claim | status | certainty |" in md
    assert re.search(r"\| no-hyperpigmentation \| \*\*contradicted\*\* \| (low|moderate) \|", md)
    assert re.search(
        r"\nCertainty \*\*(low|moderate)\*\*: best evidence \(low\): PMID \d+ \(case-report\)", md
    )


def test_documents_cite_in_the_style_asked(dev_db: Path) -> None:
    args = ("report", "--claim", "withdrawal-relief", "--db", dev_db)
    cited = {
        style: [
            line for line in cli(*args, "--format", "markdown", "--style", style).stdout.splitlines()
            if line.startswith("- ") and not line.startswith("- [")  # not the new records
        ]
        for style in ("vancouver", "apa")
    }  # fmt: skip
    assert cited["vancouver"] and len(cited["vancouver"]) == len(cited["apa"])
    for vancouver, apa in zip(cited["vancouver"], cited["apa"], strict=True):
        assert re.match(r"- [A-Z][\w'-]+ [A-Z]{1,3}[,.] ", vancouver), vancouver  # Goh MY, ...
        assert re.match(r"- [A-Z][\w'-]+, [A-Z]\.", apa), apa  # Goh, M. Y., ...
        assert re.search(r"PMID: ?99\d{6}\.? <https://pubmed\.ncbi\.nlm\.nih\.gov/99\d{6}/>", apa)
    refused = cli(*args, "--format", "markdown", "--style", "harvard")
    assert refused.exit_code == 2
    assert refused.stderr.startswith("Error: unknown citation style 'harvard'")


def test_html_report_is_self_contained_and_escapes_record_text(tmp_path: Path) -> None:
    evil = make_record(
        424242,
        title='Kratom <script>alert("x")</script> and hyperpigmentation: a case report.',
        abstract="A kratom user developed facial hyperpigmentation <img src=x onerror=alert(1)> after years of use.",
    )
    xml = tmp_path / "evil.xml"
    xml.write_bytes(article_set([evil]))
    assert cli("import", xml, "--db", "evil.db").exit_code == 0
    out = cli("report", "--format", "html", "--output", "r.html", "--db", "evil.db")
    assert out.exit_code == 0, out.output
    page = (tmp_path / "r.html").read_text()
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;" in page
    assert "<svg" in page and not re.search(r'(src|href)="https?://(?!pubmed)', page)
    HTMLParser().feed(page)  # parses
    assert "<th>certainty</th>" in page and '<td class="c-very-low"' in page
    assert 'Certainty <b class="c-very-low">very-low</b>: best evidence (low): PMID 424242' in page
    assert "rated down for imprecision" in page


def test_report_on_one_claim_and_unknown_claim(dev_db: Path) -> None:
    one = cli("report", "--claim", "dependence-risk", "--db", dev_db)
    assert one.exit_code == 0 and "dependence-risk: SUPPORTED (certainty " in one.output
    assert re.search(r"│ dependence-risk +│ supported +│ (low|moderate) +│", one.output)
    assert re.search(
        r"\n  Certainty (low|moderate): best evidence \((low|moderate)\): PMID", one.output
    )
    bad = cli("report", "--claim", "nope", "--db", dev_db)
    assert bad.exit_code == 2 and bad.stderr.startswith(
        "Error: no claim 'nope'; known: withdrawal-relief"
    )


def test_export_tags(dev_db: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(cli("export", "tags", "--db", dev_db).stdout)))
    assert {"pmid", "claim_id", "stance", "sentence", "section", "design"} <= set(rows[0])
    assert all(r["stance"] in {"supports", "contradicts", "mentions"} for r in rows)
    records = list(csv.DictReader(io.StringIO(cli("export", "records", "--db", dev_db).stdout)))
    assert {"design", "population"} <= set(records[0])


def test_catalogue_change_retags_on_next_run(dev_db: Path, tmp_path: Path) -> None:
    edited = tmp_path / "claims.toml"
    shutil.copy(REPO / "data" / "claims.toml", edited)
    with open_store(dev_db) as store:
        before = {r["catalogue_version"] for r in store.tag_rows()}
    edited.write_text(edited.read_text().replace("'sleeplessness',", "", 1))
    assert cli("report", "--claims", edited, "--format", "csv", "--db", dev_db).exit_code == 0
    with open_store(dev_db) as store:
        after = {r["catalogue_version"] for r in store.tag_rows()}
    assert len(before) == len(after) == 1 and before != after


@needs_shared()
def test_eval_on_the_dev_corpus_meets_the_targets(dev_db: Path) -> None:
    result = cli("eval", SHARED / "kratom-dev-labels.csv", "--db", dev_db)
    assert result.exit_code == 0, result.output
    pairs = re.search(
        r"pairs \(pmid, claim\)\s+│\s+([\d.]+)\s+│\s+([\d.]+)\s+│\s+([\d.]+)", result.output
    )
    triples = re.search(
        r"triples \(\+ stance\)\s+│\s+([\d.]+)\s+│\s+([\d.]+)\s+│\s+([\d.]+)", result.output
    )
    assert pairs and triples, result.output
    assert float(pairs.group(3)) >= 0.93
    assert float(triples.group(3)) >= 0.90


@needs_shared()
def test_design_accuracy_on_the_dev_records(dev_db: Path) -> None:
    with (SHARED / "kratom-dev-records.csv").open() as f:
        gold = {int(r["pmid"]): r for r in csv.DictReader(f)}
    rows = list(csv.DictReader(io.StringIO(cli("export", "records", "--db", dev_db).stdout)))
    design = sum(gold[int(r["pmid"])]["design"] == r["design"] for r in rows) / len(rows)
    population = sum(gold[int(r["pmid"])]["population"] == r["population"] for r in rows) / len(
        rows
    )
    assert len(rows) == 160 and design >= 0.90 and population >= 0.90


def test_a_bad_rare_event_in_the_catalogue_names_the_claim_and_field(tmp_path: Path) -> None:
    edited = tmp_path / "claims.toml"
    text = (REPO / "data" / "claims.toml").read_text()
    assert 'rare_event = "occurs"' in text
    edited.write_text(text.replace('rare_event = "occurs"', 'rare_event = "often"', 1))
    result = cli("report", "--claims", edited, "--db", tmp_path / "x.db")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"Error: {edited}: claim 'hyperpigmentation-risk', field 'rare_event': Input should be"
    )


def test_html_chart_has_axes_stays_in_its_rows_and_avoids_red_green(dev_db: Path) -> None:
    import xml.etree.ElementTree as ET

    page = cli("report", "--format", "html", "--db", dev_db).stdout
    svg = ET.fromstring(page[page.index("<svg") : page.index("</svg>") + 6])
    ns = "{http://www.w3.org/2000/svg}"
    rows = [t for t in svg.iter(f"{ns}text") if t.text in {c.id for c in CATALOGUE.claims}]
    assert len(rows) == len(CATALOGUE.claims)
    baselines = sorted(
        float(ln.get("y1", 0)) for ln in svg.iter(f"{ns}line") if ln.get("stroke") == "#ddd"
    )
    assert len(baselines) == len(rows)
    rects = list(svg.iter(f"{ns}rect"))
    assert rects
    for rect in rects:  # each bar stands inside its own row: above a baseline, below the last
        top, bottom = (
            float(rect.get("y", 0)),
            float(rect.get("y", 0)) + float(rect.get("height", 0)),
        )
        base = min(b for b in baselines if b >= bottom - 0.05)
        assert base - 26 <= top <= bottom <= base + 0.05
    years = [
        t.text for t in svg.iter(f"{ns}text") if t.text and t.text.isdigit() and len(t.text) == 4
    ]
    assert len(years) >= 2 and years == sorted(years)  # the year axis, numbered
    assert any(
        (t.text or "").startswith("records a year; a full bar") for t in svg.iter(f"{ns}text")
    )
    fills = {r.get("fill") for r in rects}
    assert fills <= {"#0072B2", "#D55E00", "#999999"}  # a colour-blind-safe palette
    assert "<th>statement</th>" in page and "Kratom eases opioid withdrawal symptoms." in page


def test_new_records_are_named_by_title_and_linked(tmp_path: Path) -> None:
    assert cli("run", "--sample", "--queries", REPO / "queries", "--db", "s.db").exit_code == 0
    md = cli("report", "--format", "markdown", "--db", "s.db").stdout
    section = md.split("New since the previous run:\n\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert section
    for line in section:
        assert re.fullmatch(
            r"- \[.+\]\(https://pubmed\.ncbi\.nlm\.nih\.gov/(\d+)/\) .+ \(\d{4}\), PMID \1, "
            r"(supports|contradicts|mentions) \([a-z-]+\)",
            line,
        ), line
    page = cli("report", "--format", "html", "--db", "s.db").stdout
    assert re.search(
        r'<p>New since the previous run:</p><ul><li><a href="https://pubmed\.ncbi\.nlm\.nih\.gov/'
        r'\d+/">[^<]{20,}</a>',
        page,
    )
