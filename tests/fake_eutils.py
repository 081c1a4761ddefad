"""A fake NCBI E-utilities server on 127.0.0.1 for tests: esearch (XML and JSON, history
server, retstart/retmax, date filters), efetch (by id and by history), epost; a request log;
and fault injection (HTTP 429 with Retry-After, 5xx, connection reset, truncated body, slow
answer, <ERROR>). Its esearch evaluates terms with litwatch's own local evaluator.
"""

from __future__ import annotations

import json
import socket
import struct
import tempfile
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse
from xml.sax.saxutils import escape

from litwatch.errors import LitwatchError
from litwatch.pubmed.parse import parse_articles
from litwatch.pubmed.query import BoolOp, Node, Term, parse_term, render_term
from litwatch.store import open_store
from tests.synthetic import article_set

ESEARCH_LIMIT = 9999


@dataclass
class Fault:
    """What to do with one request: status, reset, truncate, garble, slow, error, or pass."""

    kind: str
    status: int = 500
    retry_after: int | None = None
    seconds: float = 0.0


@dataclass
class LoggedRequest:
    at: float
    endpoint: str
    params: dict[str, str]
    method: str


@dataclass
class FakeEutils:
    records: dict[int, bytes] = field(default_factory=dict)
    log: list[LoggedRequest] = field(default_factory=list)
    faults: dict[str, deque[Fault]] = field(default_factory=dict)
    translation_suffix: str = ""
    url: str = ""

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._tmp = tempfile.TemporaryDirectory(prefix="fake-eutils-")
        self._db = Path(self._tmp.name) / "pubmed.db"
        self._history: dict[str, dict[str, list[int]]] = {}

    # -- the test's controls ---------------------------------------------------------------
    def add(self, raw_records: list[bytes]) -> None:
        """Add or revise records (PubMed's own database)."""
        articles = parse_articles(article_set(raw_records))
        with open_store(self._db) as store:
            for start in range(0, len(articles), 2000):
                store.upsert_articles(articles[start : start + 2000], None)
        for a in articles:
            self.records[a.pmid] = a.raw_xml

    def inject(self, endpoint: str, *faults: Fault) -> None:
        self.faults.setdefault(endpoint, deque()).extend(faults)

    def requests(self, endpoint: str | None = None) -> list[LoggedRequest]:
        return [r for r in self.log if endpoint is None or r.endpoint == endpoint]

    def max_in_any_second(self) -> int:
        times = sorted(r.at for r in self.log)
        best, lo = 0, 0
        for hi, t in enumerate(times):
            while t - times[lo] >= 1.0:
                lo += 1
            best = max(best, hi - lo + 1)
        return best

    # -- E-utilities -------------------------------------------------------------------------
    def _search(self, params: dict[str, str]) -> tuple[list[int], str]:
        node = parse_term(params.get("term", ""))
        datetype = params.get("datetype")
        mindate, maxdate = params.get("mindate"), params.get("maxdate")
        with open_store(self._db) as store:
            pmids = store.search_pmids(node, datetype if mindate else None, mindate, maxdate)
            missing = [
                t for t in _leaves(node) if isinstance(t, Term) and not store.search_pmids(t)
            ]
        if missing and not pmids:
            raise _PhraseNotFound([t.text for t in missing])
        return pmids, render_term(node) + self.translation_suffix

    def esearch(self, params: dict[str, str]) -> tuple[int, bytes, str]:
        retstart, retmax = int(params.get("retstart", 0)), int(params.get("retmax", 20))
        if retstart > ESEARCH_LIMIT - 1:
            return _error(
                "Search Backend failed: Exception:\n'retstart' cannot be larger than 9998. For "
                "PubMed, ESearch can only retrieve the first 9,999 records matching the query."
            )
        try:
            pmids, translation = self._search(params)
        except LitwatchError as exc:
            return _error(f"Invalid query: {exc}")
        except _PhraseNotFound as exc:
            return _phrase_not_found(exc.phrases)
        ids = pmids[retstart : retstart + min(retmax, ESEARCH_LIMIT)]
        webenv = key = None
        if params.get("usehistory") == "y":
            webenv, key = self._remember(params.get("webenv"), pmids)
        if params.get("retmode") == "json":
            body = {
                "header": {"type": "esearch", "version": "0.3"},
                "esearchresult": {
                    "count": str(len(pmids)),
                    "retmax": str(len(ids)),
                    "retstart": str(retstart),
                    "idlist": [str(i) for i in ids],
                    "querytranslation": translation,
                    **({"webenv": webenv, "querykey": key} if webenv else {}),
                },
            }
            return 200, json.dumps(body).encode(), "application/json"
        history = f"<QueryKey>{key}</QueryKey><WebEnv>{webenv}</WebEnv>" if webenv else ""
        id_xml = "".join(f"<Id>{i}</Id>" for i in ids)
        xml = (
            '<?xml version="1.0" encoding="UTF-8" ?>\n<!DOCTYPE eSearchResult PUBLIC "-//NLM//DTD '
            'esearch 20060628//EN" "https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd">\n'
            f"<eSearchResult><Count>{len(pmids)}</Count><RetMax>{len(ids)}</RetMax>"
            f"<RetStart>{retstart}</RetStart>{history}<IdList>{id_xml}</IdList>"
            f"<TranslationSet/><QueryTranslation>{escape(translation)}</QueryTranslation>"
            "</eSearchResult>"
        )
        return 200, xml.encode(), "text/xml; charset=UTF-8"

    def _remember(self, webenv: str | None, pmids: list[int]) -> tuple[str, str]:
        with self._lock:
            webenv = webenv if webenv in self._history else f"MCID_{uuid.uuid4().hex}"
            keys = self._history.setdefault(webenv, {})
            key = str(len(keys) + 1)
            keys[key] = list(pmids)
        return webenv, key

    def efetch(self, params: dict[str, str]) -> tuple[int, bytes, str]:
        if "id" in params:
            ids = [int(i) for i in params["id"].split(",") if i.strip()]
        else:
            stored = self._history.get(params.get("webenv", ""), {}).get(
                params.get("query_key", "")
            )
            if stored is None:
                return _error("Unable to obtain query #" + params.get("query_key", "?"))
            start, count = int(params.get("retstart", 0)), int(params.get("retmax", 20))
            ids = stored[start : start + count]
        body = article_set([self.records[i] for i in ids if i in self.records])
        return 200, body, "text/xml; charset=UTF-8"

    def epost(self, params: dict[str, str]) -> tuple[int, bytes, str]:
        ids = [int(i) for i in params.get("id", "").split(",") if i.strip()]
        webenv, key = self._remember(params.get("webenv"), ids)
        xml = f"<ePostResult><QueryKey>{key}</QueryKey><WebEnv>{webenv}</WebEnv></ePostResult>"
        return 200, xml.encode(), "text/xml; charset=UTF-8"

    # -- serving -------------------------------------------------------------------------------
    def next_fault(self, endpoint: str) -> Fault | None:
        with self._lock:
            queue = self.faults.get(endpoint)
            return queue.popleft() if queue else None

    def start(self) -> ThreadingHTTPServer:
        handler = type("Handler", (_Handler,), {"fake": self})
        server = _QuietServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{server.server_address[1]}/entrez/eutils/"
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server

    def close(self) -> None:
        self._tmp.cleanup()


class _PhraseNotFound(Exception):
    def __init__(self, phrases: list[str]) -> None:
        self.phrases = phrases


def _leaves(node: Node) -> list[Node]:
    if isinstance(node, BoolOp):
        return _leaves(node.left) + _leaves(node.right)
    return [node]


def _error(message: str) -> tuple[int, bytes, str]:
    xml = f"<eSearchResult><ERROR>{escape(message)}</ERROR></eSearchResult>"
    return 200, xml.encode(), "text/xml; charset=UTF-8"


def _phrase_not_found(phrases: list[str]) -> tuple[int, bytes, str]:
    errors = "".join(f"<PhraseNotFound>{escape(p)}</PhraseNotFound>" for p in phrases)
    xml = (
        "<eSearchResult><Count>0</Count><RetMax>0</RetMax><RetStart>0</RetStart><IdList/>"
        f"<TranslationSet/><QueryTranslation/><ErrorList>{errors}</ErrorList>"
        "<WarningList><OutputMessage>No items found.</OutputMessage></WarningList></eSearchResult>"
    )
    return 200, xml.encode(), "text/xml; charset=UTF-8"


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # injected resets end handlers abruptly; that is the point


class _Handler(BaseHTTPRequestHandler):
    fake: FakeEutils

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._answer(parse_qs(urlparse(self.path).query), "GET")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        self._answer(parse_qs(self.rfile.read(length).decode()), "POST")

    def _answer(self, query: dict[str, list[str]], method: str) -> None:
        params = {k.lower(): v[-1] for k, v in query.items()}  # NCBI ignores the case of names
        endpoint = urlparse(self.path).path.rsplit("/", 1)[-1].removesuffix(".fcgi")
        with self.fake._lock:
            self.fake.log.append(LoggedRequest(time.monotonic(), endpoint, params, method))
        fault = self.fake.next_fault(endpoint)
        if fault and fault.kind in ("slow", "pass"):
            time.sleep(fault.seconds)
            fault = None
        if fault and fault.kind == "reset":
            # SO_LINGER 0 makes close() send RST: the client sees "connection reset by peer".
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            raise ConnectionAbortedError("injected reset")
        if fault and fault.kind == "status":
            self.send_response(fault.status)
            if fault.retry_after is not None:
                self.send_header("Retry-After", str(fault.retry_after))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if fault and fault.kind == "error":
            status, body, ctype = _error("Search Backend failed: injected error")
        else:
            handler = {
                "esearch": self.fake.esearch,
                "efetch": self.fake.efetch,
                "epost": self.fake.epost,
            }.get(endpoint)
            if handler is None:
                self.send_error(404)
                return
            status, body, ctype = handler(params)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if fault and fault.kind == "truncate":
            # Promise the whole body, send half, hang up: a body that breaks while being read.
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if fault and fault.kind == "garble":
            body = body[: len(body) // 2]  # a short body with a matching length: broken XML
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
