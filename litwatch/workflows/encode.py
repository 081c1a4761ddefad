"""The worker-process step of an import: parse a chunk of records and encode them for SQLite.

Its own small module, importing neither SQLAlchemy nor the CLI, so workers start at once.
"""

from __future__ import annotations

import gc

from litwatch.pubmed.parse import parse_record_chunk
from litwatch.store.rows import EncodedArticles, encode_articles


def encode_chunk(chunk: bytes) -> EncodedArticles:
    # A chunk makes ~100,000 short-lived objects and no reference cycles: the cyclic
    # collector would only scan them again and again.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return encode_articles(parse_record_chunk(chunk))
    finally:
        if enabled:
            gc.enable()
