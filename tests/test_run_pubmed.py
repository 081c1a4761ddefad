"""`litwatch run` against the fake E-utilities server: the protocol, increments, faults."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import QUERIES, cli
from tests.fake_eutils import FakeEutils, Fault
from tests.synthetic import make_record

KRATOM = [make_record(1000 + i, title=f"Kratom study {i}.") for i in range(30)]
OTHER = [make_record(5000 + i, title=f"Aspirin study {i}.", abstract="Aspirin.") for i in range(5)]


def _queries(tmp_path: Path, **terms: str) -> Path:
    folder = tmp_path / "queries"
    folder.mkdir(exist_ok=True)
    for name, term in terms.items():
        (folder / f"{name}.toml").write_text(f"name = {name!r}\nterm = {term!r}\n")
    return folder


def _db_rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


@pytest.fixture
def kratom_server(eutils: FakeEutils) -> FakeEutils:
    eutils.add(KRATOM + OTHER)
    return eutils


def test_first_run_stores_every_hit_with_provenance(
    kratom_server: FakeEutils, tmp_path: Path
) -> None:
    queries = _queries(tmp_path, kratom="kratom[tiab]")
    result = cli("run", "--queries", queries, "--db", tmp_path / "l.db")
    assert result.exit_code == 0, result.output
    assert _db_rows(tmp_path / "l.db", "SELECT count(*) FROM article") == [(30,)]
    assert _db_rows(
        tmp_path / "l.db", "SELECT count(*) FROM article_query WHERE query='kratom'"
    ) == [(30,)]
    run = _db_rows(tmp_path / "l.db", "SELECT status, found, new, updated, translation FROM run")
    assert run == [("ok", 30, 30, 0, '"kratom"[tiab]')]
    searches = kratom_server.requests("esearch")
    assert searches[0].params["usehistory"] == "y" and searches[0].params["tool"] == "litwatch"
    fetches = kratom_server.requests("efetch")
    assert len(fetches) == 1 and "webenv" in fetches[0].params  # history server, one batch


def test_rerun_with_nothing_new_sends_no_efetch(kratom_server: FakeEutils, tmp_path: Path) -> None:
    queries = _queries(tmp_path, kratom="kratom[tiab]")
    assert cli("run", "--queries", queries, "--db", tmp_path / "l.db").exit_code == 0
    before = len(kratom_server.requests("efetch"))
    result = cli("run", "--queries", queries, "--db", tmp_path / "l.db")
    assert result.exit_code == 0, result.output
    assert len(kratom_server.requests("efetch")) == before
    last = _db_rows(
        tmp_path / "l.db", "SELECT found, new, updated FROM run ORDER BY id DESC LIMIT 1"
    )
    assert last == [(30, 0, 0)]
    revised = kratom_server.requests("esearch")[-1].params
    assert revised["datetype"] == "mdat" and revised["maxdate"] == "3000"


def test_incremental_run_fetches_new_and_revised_only(
    kratom_server: FakeEutils, tmp_path: Path
) -> None:
    queries = _queries(tmp_path, kratom="kratom[tiab]")
    assert cli("run", "--queries", queries, "--db", tmp_path / "l.db").exit_code == 0
    today = date.today()
    kratom_server.add(
        [
            make_record(
                1003,
                title="Kratom study 3 (corrected).",
                revised=today,
                pub_types=("Journal Article", "Retracted Publication"),
            )
        ]
    )
    kratom_server.add(
        [make_record(2000 + i, title=f"New kratom study {i}.", revised=today) for i in range(4)]
    )
    result = cli("run", "--queries", queries, "--db", tmp_path / "l.db")
    assert result.exit_code == 0, result.output
    fetched = kratom_server.requests("efetch")[-1].params["id"].split(",")
    assert sorted(map(int, fetched)) == [1003, 2000, 2001, 2002, 2003]
    last = _db_rows(
        tmp_path / "l.db", "SELECT found, new, updated, retracted FROM run ORDER BY id DESC LIMIT 1"
    )
    assert last == [(34, 4, 1, 1)]
    assert _db_rows(tmp_path / "l.db", "SELECT title, retracted FROM article WHERE pmid=1003") == [
        ("Kratom study 3 (corrected).", 1)
    ]
    status = cli("status", "--db", tmp_path / "l.db")
    assert "New in the latest run (4)" in status.output
    assert "Revised by PubMed in the latest run (1)" in status.output


def test_more_than_9999_hits_are_split_without_loss(
    eutils: FakeEutils, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NCBI_API_KEY", "k")  # 10 requests/s keeps the test short
    eutils.add([make_record(10_000 + 3 * i, title="Kratom.", abstract="") for i in range(12_345)])
    queries = _queries(tmp_path, big="kratom[ti]")
    result = cli("run", "--queries", queries, "--db", tmp_path / "l.db")
    assert result.exit_code == 0, result.output
    assert _db_rows(tmp_path / "l.db", "SELECT count(*) FROM article") == [(12_345,)]
    assert _db_rows(tmp_path / "l.db", "SELECT found, new FROM run") == [(12_345, 12_345)]
    ranged = [r.params["term"] for r in eutils.requests("esearch")[1:]]
    assert ranged and all(t.startswith("(kratom[ti]) AND ") and t.endswith("[uid]") for t in ranged)
    assert all(int(r.params.get("retstart", 0)) == 0 for r in eutils.requests("esearch"))
    assert all(r.method == "POST" for r in eutils.requests("efetch"))  # long id lists are POSTed
    assert eutils.max_in_any_second() <= 10


def test_no_more_than_three_requests_a_second_without_key(
    eutils: FakeEutils, tmp_path: Path
) -> None:
    eutils.add([make_record(3000 + i, title="Kratom.") for i in range(2600)])
    queries = _queries(tmp_path, a="kratom[ti]", b="kratom[tiab]")
    assert cli("run", "--queries", queries, "--db", tmp_path / "l.db").exit_code == 0
    assert len(eutils.log) >= 8
    assert eutils.max_in_any_second() <= 3


@pytest.mark.parametrize(
    "fault",
    [
        Fault("status", 429, retry_after=1),
        Fault("status", 500),
        Fault("status", 502),
        Fault("status", 503),
        Fault("reset"),
        Fault("truncate"),
        Fault("garble"),
        Fault("slow", seconds=3),  # longer than LITWATCH_TIMEOUT=2
    ],
    ids=["429", "500", "502", "503", "reset", "truncated", "garbled", "slow"],
)
@pytest.mark.parametrize("endpoint", ["esearch", "efetch"])
def test_transient_faults_are_retried(
    kratom_server: FakeEutils, tmp_path: Path, fault: Fault, endpoint: str
) -> None:
    kratom_server.inject(endpoint, fault)
    queries = _queries(tmp_path, kratom="kratom[tiab]")
    result = cli("run", "--queries", queries, "--db", tmp_path / "l.db")
    assert result.exit_code == 0, result.output
    assert _db_rows(tmp_path / "l.db", "SELECT count(*) FROM article") == [(30,)]
    tries = kratom_server.requests(endpoint)
    assert len(tries) >= 2
    if fault.retry_after:
        assert tries[1].at - tries[0].at >= fault.retry_after  # Retry-After honoured


def test_persistent_failure_gives_up_with_one_line_and_stores_nothing_half(
    kratom_server: FakeEutils, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LITWATCH_RETRY_DEADLINE", "1.5")
    kratom_server.add([make_record(1100 + i, title="Kratom more.") for i in range(600)])
    # 630 hits = a batch of 500 that arrives, then a batch of 130 that always breaks mid-body.
    kratom_server.inject("efetch", Fault("pass"), *[Fault("truncate")] * 100)
    queries = _queries(tmp_path, kratom="kratom[tiab]")
    result = cli("run", "--queries", queries, "--db", tmp_path / "l.db")
    assert result.exit_code == 1
    assert "Error: 1 search(es) failed: kratom" in result.output
    assert "efetch: gave up after" in result.output
    assert _db_rows(tmp_path / "l.db", "SELECT count(*) FROM article") == [(500,)]
    assert _db_rows(tmp_path / "l.db", "SELECT count(*) FROM article_fts") == [(500,)]
    assert _db_rows(tmp_path / "l.db", "SELECT status, new FROM run") == [("failed", 500)]
    # The next run picks up exactly what is missing.
    kratom_server.faults.clear()
    assert cli("run", "--queries", queries, "--db", tmp_path / "l.db").exit_code == 0
    assert _db_rows(tmp_path / "l.db", "SELECT count(*) FROM article") == [(630,)]


def test_esearch_error_is_a_failed_search_not_zero_new(
    kratom_server: FakeEutils, tmp_path: Path
) -> None:
    kratom_server.inject("esearch", Fault("error"))
    queries = _queries(tmp_path, kratom="kratom[tiab]")
    result = cli("run", "--queries", queries, "--db", tmp_path / "l.db")
    assert result.exit_code == 1
    assert (
        "kratom: FAILED: PubMed did not run the search as written: Search Backend failed"
        in result.output
    )
    assert _db_rows(tmp_path / "l.db", "SELECT status, new FROM run") == [("failed", 0)]


def test_phrase_not_found_names_the_query(kratom_server: FakeEutils, tmp_path: Path) -> None:
    queries = _queries(tmp_path, nothing='"zzyzx unheard"[tiab]')
    result = cli("run", "--queries", queries, "--db", tmp_path / "l.db")
    assert result.exit_code == 1
    assert "nothing: FAILED" in result.output and "PhraseNotFound: zzyzx unheard" in result.output


def test_changed_translation_of_unchanged_query_is_reported(
    kratom_server: FakeEutils, tmp_path: Path
) -> None:
    queries = _queries(tmp_path, kratom="kratom[tiab]")
    assert cli("run", "--queries", queries, "--db", tmp_path / "l.db").exit_code == 0
    kratom_server.translation_suffix = ' OR "mitragyna"[MeSH Terms]'
    result = cli("run", "--queries", queries, "--db", tmp_path / "l.db")
    assert result.exit_code == 0
    assert "PubMed now translates this unchanged search differently" in result.output
    assert 'now:    "kratom"[tiab] OR "mitragyna"[MeSH Terms]' in result.output


def test_live_run_without_email_says_how_to_set_it(tmp_path: Path) -> None:
    result = cli("run", "--queries", QUERIES, "--db", tmp_path / "l.db")
    assert result.exit_code == 2
    assert (
        result.output.strip().splitlines()[-1].startswith("Error: NCBI asks every E-utilities user")
    )
    assert "NCBI_EMAIL" in result.output


def test_api_key_never_reaches_db_or_output(
    kratom_server: FakeEutils, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "s3cr3t-key-0123456789"
    monkeypatch.setenv("NCBI_API_KEY", secret)
    monkeypatch.setenv("LITWATCH_RETRY_DEADLINE", "0.5")
    kratom_server.inject("esearch", *[Fault("status", 503)] * 20)
    queries = _queries(tmp_path, kratom="kratom[tiab]", other="aspirin[tiab]")
    failed = cli("run", "kratom", "--queries", queries, "--db", tmp_path / "l.db")
    kratom_server.faults.clear()
    ok = cli("run", "--queries", queries, "--db", tmp_path / "l.db")
    assert kratom_server.requests()[-1].params["api_key"] == secret  # it was sent to NCBI...
    assert "retry 1 in" in failed.output  # the retries were shown, with their URLs' errors
    assert secret not in failed.output + ok.output  # ...and nowhere else
    db = tmp_path / "l.db"
    written = [
        cli("report", "--format", fmt, "--db", db).output
        for fmt in ("table", "markdown", "html", "json", "csv")
    ]
    written += [
        cli("digest", "--format", fmt, "--since", "1", "--db", db).output
        for fmt in ("table", "markdown", "html", "json", "atom")
    ]
    written += [cli("export", kind, "--db", db).output for kind in ("records", "tags")]
    written += [
        cli("export", "citations", "--format", f, "--db", db).output for f in ("ris", "bibtex")
    ]
    written += [
        cli("status", "--db", db).output,
        cli("check", "kratom eases pain", "--db", db).output,
    ]
    assert cli("review", "--export", "r.csv", "--db", db).exit_code == 0
    written.append((tmp_path / "r.csv").read_text(encoding="utf-8-sig"))
    assert all(text for text in written) and not [t for t in written if secret in t]
    for path in tmp_path.rglob("*"):  # the database, its log, every file a command wrote
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path


def test_email_and_key_from_the_config_file(
    kratom_server: FakeEutils, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NCBI_EMAIL")
    config = tmp_path / "config.toml"
    config.write_text('email = "file@example.org"\napi_key = "from-file-key"\n')
    monkeypatch.setenv("LITWATCH_CONFIG", str(config))
    queries = _queries(tmp_path, kratom="kratom[tiab]")
    result = cli("run", "--queries", queries, "--db", tmp_path / "l.db")
    assert result.exit_code == 0, result.output
    sent = kratom_server.requests("esearch")[0].params
    assert sent["email"] == "file@example.org" and sent["api_key"] == "from-file-key"


def test_malformed_config_file_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text('email = "a@b.org"\ncolour = "red"\n')
    monkeypatch.setenv("LITWATCH_CONFIG", str(config))
    result = cli("run", "--queries", QUERIES, "--db", tmp_path / "l.db")
    assert result.exit_code == 2
    assert result.stderr.strip() == f"Error: {config}: field 'colour': unknown field"


def test_offline_fails_fast_with_no_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No network: the host does not resolve. One retry, then a one-line error that says what
    to do; nothing that looks like an answer (no digest, no report)."""
    monkeypatch.setenv("LITWATCH_EUTILS_URL", "http://eutils.example.invalid/entrez/eutils/")
    monkeypatch.setenv("NCBI_EMAIL", "tests@example.org")
    monkeypatch.setenv("LITWATCH_BACKOFF_BASE", "0.05")
    queries = _queries(tmp_path, k="kratom[tiab]")
    result = cli("run", "--queries", queries, "--db", "off.db")
    assert result.exit_code == 1
    assert "cannot resolve E-utilities' host" in result.output
    assert "--sample or --from FILE" in result.output
    assert "What changed" not in result.output and "Evidence status" not in result.output
    assert "retry 1 in" in result.output  # each retry shown as it happens


def test_each_retry_is_shown_as_it_happens(kratom_server: FakeEutils, tmp_path: Path) -> None:
    kratom_server.inject("esearch", Fault("status", status=503))
    queries = _queries(tmp_path, k="kratom[tiab]")
    result = cli("run", "--queries", queries, "--db", "r.db")
    assert result.exit_code == 0, result.output
    assert (
        "esearch" in result.output and "HTTP 503" in result.output and "retry 1 in" in result.output
    )
