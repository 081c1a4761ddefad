"""The worker-process step of an import: parse a chunk of records, tag and grade them, and
encode them for SQLite.

Its own small module, importing neither SQLAlchemy nor the CLI, so workers start at once.
"""

from __future__ import annotations

import gc
from dataclasses import replace
from functools import partial

from litwatch.claims.catalogue import Catalogue
from litwatch.claims.tagger import Tagger
from litwatch.models import Article
from litwatch.pubmed.parse import parse_record_chunk
from litwatch.store.rows import EncodedArticles, encode_articles
from litwatch.workflows.tagging import tag_article

_TAGGERS: dict[str, Tagger] = {}  # per catalogue version: compiling the patterns takes a while


def _tagger(catalogue: Catalogue) -> Tagger:
    if catalogue.version not in _TAGGERS:
        _TAGGERS[catalogue.version] = Tagger(catalogue)
    return _TAGGERS[catalogue.version]


def encode_chunk(chunk: bytes, catalogue: Catalogue | None = None) -> EncodedArticles:
    # A chunk makes ~100,000 short-lived objects and no reference cycles: the cyclic
    # collector would only scan them again and again.
    enabled = gc.isenabled()
    gc.disable()
    try:
        rejects: list[str] = []
        articles = parse_record_chunk(chunk, rejects)
        encoded = encode_parsed(articles, catalogue)
        repeated = _repeated(articles)
        if rejects or repeated:
            return replace(encoded, rejected=tuple(rejects), repeated=repeated)
        return encoded
    finally:
        if enabled:
            gc.enable()


def _repeated(articles: list[Article]) -> tuple[int, ...]:
    """PMIDs the chunk holds more than once, once per extra copy (the later copy is kept)."""
    seen: set[int] = set()
    extra = []
    for a in articles:
        if a.pmid in seen:
            extra.append(a.pmid)
        seen.add(a.pmid)
    return tuple(extra)


def encode_parsed(articles: list[Article], catalogue: Catalogue | None) -> EncodedArticles:
    """Parsed records, tagged and graded unless no catalogue is given, encoded for SQLite."""
    if catalogue is None:
        return encode_articles(articles)
    tag = partial(tag_article, _tagger(catalogue))
    return encode_articles(articles, tag, catalogue.version)
