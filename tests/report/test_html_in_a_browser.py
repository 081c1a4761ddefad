"""The HTML report as people see it: opened by a real headless browser (Chromium), its DOM
read back, printed to PDF and drawn to a PNG. Skipped where no Chromium is installed,
except in CI, whose `.ci/run` installs it, so there it must run."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import QUERIES, cli

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    BROWSER is None and not os.environ.get("CI"), reason="no Chromium on this machine"
)
# As the machine notes advise: no sandbox (root in a container), no network chatter.
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
)  # fmt: skip


def _browser(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    assert BROWSER is not None, "CI must have Chromium (.ci/run installs it)"
    profile = tmp_path / "profile"
    return subprocess.run(
        [BROWSER, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True, timeout=120, check=True,
    )  # fmt: skip


class _Outline(HTMLParser):
    """What the browser's DOM holds: rows of the summary table, sections, charts, links."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[str] = []
        self.rows: dict[str, int] = {}
        self.sections: list[str] = []
        self.svg = 0
        self.rects = 0
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table":
            self.tables.append(a.get("class") or "")
        elif tag == "tr" and self.tables:
            self.rows[self.tables[-1]] = self.rows.get(self.tables[-1], 0) + 1
        elif tag == "section":
            self.sections.append(a.get("id") or "")
        elif tag == "svg":
            self.svg += 1
        elif tag == "rect":
            self.rects += 1
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"] or "")


@pytest.fixture
def report_html(tmp_path: Path) -> Path:
    assert cli("run", "--sample", "--queries", QUERIES).exit_code == 0
    result = cli("report", "--format", "html", "--output", "report.html", "--db", "data/sample.db")
    assert result.exit_code == 0, result.output
    return tmp_path / "report.html"


def test_the_browser_builds_the_page_we_meant(tmp_path: Path, report_html: Path) -> None:
    dom = _browser(tmp_path, "--dump-dom", report_html.as_uri()).stdout.decode()
    outline = _Outline()
    outline.feed(dom)
    assert outline.rows["summary"] == 19  # a header and one row per claim
    assert outline.rows["stamp"] == 4  # a header and the three saved searches, as PubMed read them
    assert len(outline.sections) == 18 and "no-hyperpigmentation" in outline.sections
    assert outline.svg == 1 and outline.rects > 100
    assert any(h.startswith("https://pubmed.ncbi.nlm.nih.gov/") for h in outline.links)
    assert "As of " in dom and "SAMPLE DATA" in dom
    assert not any(h.startswith(("http://", "file:")) for h in outline.links)  # self-contained


def test_it_prints_and_draws(tmp_path: Path, report_html: Path) -> None:
    pdf = tmp_path / "report.pdf"
    _browser(tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", report_html.as_uri())
    data = pdf.read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", data))
    assert data.startswith(b"%PDF") and pages >= 10  # 18 claims with their evidence
    png = tmp_path / "report.png"
    _browser(tmp_path, f"--screenshot={png}", "--window-size=1200,1600", report_html.as_uri())
    assert png.read_bytes().startswith(b"\x89PNG") and png.stat().st_size > 50_000


def test_the_digest_page_in_the_browser(tmp_path: Path) -> None:
    assert cli("run", "--sample", "--queries", QUERIES).exit_code == 0
    week2 = QUERIES.parent / "data" / "sample" / "kratom-week2.xml"
    assert cli("run", "--sample", "--from", week2, "--queries", QUERIES).exit_code == 0
    page = tmp_path / "digest.html"
    result = cli("digest", "--format", "html", "--output", page, "--db", "data/sample.db")
    assert result.exit_code == 0, result.output
    dom = _browser(tmp_path, "--dump-dom", page.as_uri()).stdout.decode()
    outline = _Outline()
    outline.feed(dom)
    assert "https://pubmed.ncbi.nlm.nih.gov/99000201/" in outline.links
    assert "safer-than-opioids: supported → insufficient" in dom
    assert outline.rows["stamp"] == 4
