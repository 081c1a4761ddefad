"""The one place that talks to NCBI E-utilities, through Biopython's `Bio.Entrez`.

Biopython builds the requests (tool, email, api_key, POST for long id lists) but litwatch owns
everything around them, because Bio.Entrez:
- hard-codes NCBI's address and never sets a timeout (a stalled server hangs it forever):
  `Bio.Entrez.urlopen` is replaced, while a client is open, by one that applies the configured
  base URL and a timeout;
- retries 429/5xx at once with no pause and never retries a body that breaks while being read:
  its own retry is switched off (`max_tries = 1`) and `_call` retries with exponential backoff
  and jitter, honouring `Retry-After`, until a deadline;
- keeps only a per-request spacing: a sliding one-second window here guarantees NCBI's limit
  (3 requests in any second without an API key, 10 with one).
The API key is a secret: it is never put into an error message.
"""

from __future__ import annotations

import functools
import http.client
import random
import socket
import time
import urllib.request
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from types import TracebackType
from typing import Any, TypeVar
from urllib.error import HTTPError, URLError

from Bio import Entrez as _Entrez

from litwatch.config import NetworkSettings
from litwatch.errors import ConfigError, NetworkError, SearchFailedError
from litwatch.models import Article, SearchResult
from litwatch.pubmed.parse import (
    ESearchAnswer,
    MalformedXMLError,
    parse_articles,
    parse_esearch,
)

# Bio.Entrez is untyped where litwatch touches it (module globals it reassigns at run time).
Entrez: Any = _Entrez
T = TypeVar("T")
NCBI_BASE = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
ESEARCH_MAX = 9999  # PubMed's esearch refuses retstart beyond this: larger searches are split
UID_MAX = 999_999_999
FETCH_BATCH = 500
_WINDOW = 1.0
_WINDOW_MARGIN = 0.05  # slack so server-side clocks never see one request too many
_BACKOFF_CAP = 60.0


class RateLimiter:
    """At most `per_second` requests in any window of one second."""

    def __init__(
        self,
        per_second: int,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.per_second = per_second
        self.clock, self.sleep = clock, sleep
        self.sent: deque[float] = deque()

    def wait(self) -> None:
        while len(self.sent) >= self.per_second:
            gap = self.sent[0] + _WINDOW + _WINDOW_MARGIN - self.clock()
            if gap <= 0:
                self.sent.popleft()
            else:
                self.sleep(gap)
        self.sent.append(self.clock())


def _unresolvable(exc: BaseException) -> bool:
    """A host name that does not resolve: offline, or a wrong URL; waiting rarely helps."""
    return isinstance(getattr(exc, "reason", None), socket.gaierror) or isinstance(
        exc, socket.gaierror
    )


def _retry_after(exc: HTTPError) -> float | None:
    value = exc.headers.get("Retry-After") if exc.headers else None
    if value and value.strip().isdigit():
        return float(value.strip())
    return None


class EntrezClient:
    """E-utilities for PubMed. Use as a context manager: it installs and removes the hooks."""

    def __init__(
        self,
        settings: NetworkSettings,
        sleep: Callable[[float], None] = time.sleep,
        on_retry: Callable[[str], None] | None = None,
    ):
        if not settings.email:
            raise ConfigError(
                "NCBI asks every E-utilities user for an email address: set NCBI_EMAIL "
                "(or `email` in ~/.config/litwatch/config.toml) and run again"
            )
        self.settings = settings
        self.sleep = sleep
        self.on_retry = on_retry  # told of each retry as it happens (the CLI shows it)
        self.requests = 0
        self.limiter = RateLimiter(settings.max_requests_per_second, sleep=sleep)
        self._saved: dict[str, Any] = {}

    # -- hooks into Bio.Entrez -------------------------------------------------------------
    def _urlopen(self, request: urllib.request.Request, *args: Any, **kwargs: Any) -> Any:
        url = request.full_url
        if url.startswith(NCBI_BASE):
            request.full_url = self.settings.eutils_url + url[len(NCBI_BASE) :]
        return urllib.request.urlopen(request, timeout=self.settings.timeout)

    def __enter__(self) -> EntrezClient:
        names = ("urlopen", "email", "api_key", "tool", "max_tries", "sleep_between_tries")
        self._saved = {name: getattr(Entrez, name) for name in names}
        Entrez.urlopen = self._urlopen
        Entrez.email = self.settings.email
        key = self.settings.api_key
        Entrez.api_key = key.get_secret_value() if key else None
        Entrez.tool = "litwatch"
        Entrez.max_tries = 1  # litwatch retries, with backoff (see module docstring)
        Entrez.sleep_between_tries = 0
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for name, value in self._saved.items():
            setattr(Entrez, name, value)

    def _redact(self, text: str) -> str:
        key = self.settings.api_key
        return text.replace(key.get_secret_value(), "***") if key else text

    # -- one request, retried ---------------------------------------------------------------
    def _call(self, what: str, send: Callable[[], Any], decode: Callable[[bytes], T]) -> T:
        deadline = time.monotonic() + self.settings.retry_deadline
        attempt = 0
        while True:
            self.limiter.wait()
            self.requests += 1
            wait: float | None = None
            try:
                handle = send()
                try:
                    body = handle.read()
                finally:
                    handle.close()
                return decode(body.encode("utf-8") if isinstance(body, str) else body)
            except HTTPError as exc:
                if exc.code != 429 and exc.code < 500:
                    raise NetworkError(
                        f"{what}: E-utilities answered HTTP {exc.code} {exc.reason}"
                    ) from None
                problem, wait = f"HTTP {exc.code} {exc.reason}", _retry_after(exc)
            except (URLError, OSError, http.client.HTTPException) as exc:
                problem = f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}"
                if _unresolvable(exc) and attempt >= 1:  # one retry for a passing DNS glitch
                    raise NetworkError(
                        self._redact(
                            f"{what}: cannot resolve E-utilities' host ({problem}); no network? "
                            "Offline, use --sample or --from FILE"
                        )
                    ) from None
            except MalformedXMLError as exc:
                problem = str(exc)
            attempt += 1
            delay = wait if wait is not None else self._backoff(attempt)
            if time.monotonic() + delay > deadline:
                raise NetworkError(
                    self._redact(
                        f"{what}: gave up after {attempt} attempts in "
                        f"{self.settings.retry_deadline:.0f} s; last error: {problem}"
                    )
                )
            if self.on_retry is not None:
                self.on_retry(self._redact(f"{what}: {problem}; retry {attempt} in {delay:.1f} s"))
            self.sleep(delay)

    def _backoff(self, attempt: int) -> float:
        ceiling = min(_BACKOFF_CAP, self.settings.backoff_base * 2 ** (attempt - 1))
        return random.uniform(ceiling / 2, ceiling)  # jitter: retries of many clients spread out

    # -- E-utilities --------------------------------------------------------------------------
    def esearch(self, term: str, retmax: int = ESEARCH_MAX, **params: Any) -> ESearchAnswer:
        answer = self._call(
            "esearch",
            lambda: Entrez.esearch(db="pubmed", term=term, retmax=retmax, **params),
            parse_esearch,
        )
        problems = answer.errors + answer.warnings
        if problems:
            raise SearchFailedError(
                "PubMed did not run the search as written: " + "; ".join(problems)
            )
        return answer

    def search_all(self, term: str) -> SearchResult:
        """Every PMID a term finds, splitting by PMID range past esearch's 9,999 limit."""
        first = self.esearch(term, usehistory="y")
        result = SearchResult(
            count=first.count,
            pmids=first.pmids,
            translation=first.translation,
            webenv=first.webenv,
            query_key=first.query_key,
        )
        if first.count <= len(first.pmids):
            return result
        found: set[int] = set()
        self._split(term, 1, UID_MAX, sorted(first.pmids), found)
        return SearchResult(
            count=first.count,
            pmids=tuple(sorted(found, reverse=True)),
            translation=first.translation,
        )

    def _split(self, term: str, lo: int, hi: int, seen: list[int], found: set[int]) -> None:
        # As NCBI's EDirect does, cut the PMID space until each part is under the limit; cut at
        # the median of the PMIDs already seen there so the parts come out even.
        inside = [p for p in seen if lo <= p <= hi]
        mid = inside[len(inside) // 2] if inside else (lo + hi) // 2
        mid = min(max(mid, lo), hi - 1)
        for a, b in ((lo, mid), (mid + 1, hi)):
            part = self.esearch(f"({term}) AND {a}:{b}[uid]")
            if part.count <= len(part.pmids):
                found.update(part.pmids)
            else:
                self._split(term, a, b, sorted(set(inside) | set(part.pmids)), found)

    def fetch_batches(self, result: SearchResult, pmids: Sequence[int]) -> Iterator[list[Article]]:
        """Records in batches: from the history server when all are wanted, else by id (POST)."""
        if result.webenv and result.query_key and set(pmids) == set(result.pmids):
            for start in range(0, len(result.pmids), FETCH_BATCH):
                send = functools.partial(
                    Entrez.efetch,
                    db="pubmed",
                    webenv=result.webenv,
                    query_key=result.query_key,
                    retstart=start,
                    retmax=FETCH_BATCH,
                    retmode="xml",
                )
                yield self._call("efetch", send, parse_articles)
            return
        ids = list(pmids)
        for start in range(0, len(ids), FETCH_BATCH):
            chunk = ",".join(str(p) for p in ids[start : start + FETCH_BATCH])
            # Biopython switches to POST from 200 ids, as NCBI asks for long lists.
            send = functools.partial(Entrez.efetch, db="pubmed", id=chunk, retmode="xml")
            yield self._call("efetch", send, parse_articles)
