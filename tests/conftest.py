"""Every test runs on its own state: paths under tmp_path, no config file, no real network."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from litwatch.cli import app
from tests.fake_eutils import FakeEutils

REPO = Path(__file__).resolve().parents[1]
QUERIES = REPO / "queries"
SAMPLE = REPO / "data" / "sample" / "kratom-dev.xml"
SHARED = REPO.parent / "shared" / "corpus"

_ENV = (
    "LITWATCH_DB", "LITWATCH_EUTILS_URL", "LITWATCH_CONFIG", "NCBI_EMAIL", "NCBI_API_KEY",
    "LITWATCH_TIMEOUT", "LITWATCH_RETRY_DEADLINE", "LITWATCH_BACKOFF_BASE",
)  # fmt: skip


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in _ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("LITWATCH_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def eutils(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeEutils]:
    """A fake E-utilities server on 127.0.0.1, with litwatch pointed at it."""
    fake = FakeEutils()
    server = fake.start()
    monkeypatch.setenv("LITWATCH_EUTILS_URL", fake.url)
    monkeypatch.setenv("NCBI_EMAIL", "tests@example.org")
    monkeypatch.setenv("LITWATCH_BACKOFF_BASE", "0.05")
    monkeypatch.setenv("LITWATCH_TIMEOUT", "2")
    monkeypatch.setenv("LITWATCH_RETRY_DEADLINE", "20")
    yield fake
    server.shutdown()
    server.server_close()
    fake.close()


def cli(*args: str | Path) -> Result:
    """Run the CLI as a user would (in-process), returning exit code and output."""
    return CliRunner().invoke(app, [str(a) for a in args], prog_name="litwatch")


def needs_shared() -> pytest.MarkDecorator:
    return pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/corpus is not here")
