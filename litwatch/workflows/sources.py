"""Where a run's records come from: live PubMed, or a local PubMed XML file (the sample).

Both answer the same two questions: which PMIDs does a term find, and give me these records.
A local file is loaded into a scratch store and its terms evaluated with the same FTS5
evaluator that backs `litwatch search`.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Protocol

from litwatch.config import NetworkSettings
from litwatch.models import Article, SearchResult
from litwatch.pubmed.entrez import FETCH_BATCH, EntrezClient
from litwatch.pubmed.parse import iter_articles_from_file, parse_article_xml
from litwatch.pubmed.query import parse_term, render_term
from litwatch.store import open_store

if TYPE_CHECKING:
    from litwatch.store import Store

_SCRATCH_BATCH = 2000


class Source(Protocol):
    label: str

    @property
    def requests(self) -> int: ...

    def search(self, term: str) -> SearchResult: ...

    def search_revised(self, term: str, since: str) -> SearchResult: ...

    def fetch_batches(
        self, result: SearchResult, pmids: Sequence[int]
    ) -> Iterator[list[Article]]: ...


class PubMedSource:
    """Live PubMed through E-utilities."""

    label = "pubmed"

    def __init__(
        self, settings: NetworkSettings, on_retry: Callable[[str], None] | None = None
    ) -> None:
        self.client = EntrezClient(settings, on_retry=on_retry)

    def __enter__(self) -> PubMedSource:
        self.client.__enter__()
        return self

    def __exit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.client.__exit__(et, e, tb)

    @property
    def requests(self) -> int:
        return self.client.requests

    def search(self, term: str) -> SearchResult:
        return self.client.search_all(term)

    def search_revised(self, term: str, since: str) -> SearchResult:
        answer = self.client.esearch(term, datetype="mdat", mindate=since, maxdate="3000")
        if answer.count > len(answer.pmids):
            # More than 9,999 revisions in one week: fall back to the full, split search.
            return self.client.search_all(f"({term}) AND {since}:3000[mdat]")
        return SearchResult(count=answer.count, pmids=answer.pmids, translation=answer.translation)

    def fetch_batches(self, result: SearchResult, pmids: Sequence[int]) -> Iterator[list[Article]]:
        return self.client.fetch_batches(result, pmids)


class LocalSource:
    """A PubMed XML file searched offline, as if it were PubMed."""

    def __init__(self, path: Path, label: str) -> None:
        self.path, self.label = path, label
        self._stack = ExitStack()
        self._store: Store | None = None

    def __enter__(self) -> LocalSource:
        scratch = Path(self._stack.enter_context(tempfile.TemporaryDirectory(prefix="litwatch-")))
        self._store = self._stack.enter_context(open_store(scratch / "source.db"))
        batch: list[Article] = []
        for article in iter_articles_from_file(self.path):
            batch.append(article)
            if len(batch) >= _SCRATCH_BATCH:
                self._store.upsert_articles(batch, None)
                batch = []
        self._store.upsert_articles(batch, None)
        return self

    def __exit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stack.close()

    @property
    def store(self) -> Store:
        assert self._store is not None, "use LocalSource as a context manager"
        return self._store

    @property
    def requests(self) -> int:
        return 0

    def search(self, term: str) -> SearchResult:
        node = parse_term(term)
        pmids = tuple(self.store.search_pmids(node))
        return SearchResult(count=len(pmids), pmids=pmids, translation=render_term(node))

    def search_revised(self, term: str, since: str) -> SearchResult:
        # A file is a whole snapshot: every hit is a candidate, and the store keeps only
        # those whose content differs (a file's revision dates may lie in the past).
        return self.search(term)

    def fetch_batches(self, result: SearchResult, pmids: Sequence[int]) -> Iterator[list[Article]]:
        for start in range(0, len(pmids), FETCH_BATCH):
            raws = self.store.fetch_raw_xml(pmids[start : start + FETCH_BATCH])
            yield [parse_article_xml(raw) for raw in raws]
