"""Compile a parsed PubMed term (`litwatch.pubmed.query`) into SQL over the store.

Text fields go to the FTS5 index (`article_fts`: title, abstract, extra = MeSH, keywords,
substances); `[mh]`, `[pt]`, `[la]` match the JSON lists exactly (case-insensitive; MeSH is
not exploded down its tree, which would need the MeSH hierarchy); `[dp]` and `[uid]` are ranges.
"""

from __future__ import annotations

import re
from typing import Any

from litwatch.errors import QuerySyntaxError
from litwatch.pubmed.query import BoolOp, Node, Range, Term

_FTS_COLUMNS = {
    "all": "{title abstract extra}",
    "tiab": "{title abstract}",
    "ti": "{title}",
    "ab": "{abstract}",
}
LANGUAGE_NAMES = {
    "english": "eng", "french": "fre", "german": "ger", "spanish": "spa", "chinese": "chi",
    "japanese": "jpn", "thai": "tha", "malay": "may", "indonesian": "ind", "italian": "ita",
    "portuguese": "por", "russian": "rus", "korean": "kor", "vietnamese": "vie",
}  # fmt: skip
_DATE = re.compile(r"^(\d{4})(?:[/-](\d{1,2}))?(?:[/-](\d{1,2}))?$")


def fts_phrase(text: str, prefix: bool = False) -> str:
    """An FTS5 phrase: quoted, so hyphens and punctuation cannot become FTS operators."""
    return '"' + text.replace('"', '""') + '"' + (" *" if prefix else "")


def _date_bound(raw: str, high: bool) -> str:
    m = _DATE.match(raw.strip())
    if not m:
        raise QuerySyntaxError(f"cannot read the date {raw!r}: use YYYY, YYYY/MM or YYYY/MM/DD")
    year, month, day = m.group(1), m.group(2), m.group(3)
    if high:
        return f"{year}-{int(month or 12):02d}-{int(day or 31):02d}"
    return f"{year}-{int(month or 1):02d}-{int(day or 1):02d}"


class _Compiler:
    def __init__(self) -> None:
        self.params: dict[str, Any] = {}

    def bind(self, value: Any) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f":{name}"

    def node(self, node: Node) -> str:
        if isinstance(node, BoolOp):
            left, right = self.node(node.left), self.node(node.right)
            if node.op == "NOT":
                return f"({left} AND NOT {right})"
            return f"({left} {node.op} {right})"
        if isinstance(node, Range):
            return self.range(node)
        return self.term(node)

    def range(self, node: Range) -> str:
        if node.field == "uid":
            if not (node.low.isdigit() and node.high.isdigit()):
                raise QuerySyntaxError(f"a PMID range needs numbers: {node.low}:{node.high}")
            return (
                f"(article.pmid BETWEEN {self.bind(int(node.low))} AND {self.bind(int(node.high))})"
            )
        low, high = _date_bound(node.low, False), _date_bound(node.high, True)
        return f"(article.pub_date_sort BETWEEN {self.bind(low)} AND {self.bind(high)})"

    def _json_list(self, column: str, value: str, path: str = "") -> str:
        item = f"json_extract(j.value, '{path}')" if path else "j.value"
        return (
            f"EXISTS (SELECT 1 FROM json_each(article.{column}) AS j "
            f"WHERE lower({item}) = {self.bind(value.lower())})"
        )

    def term(self, node: Term) -> str:
        if node.field in _FTS_COLUMNS:
            match = f"{_FTS_COLUMNS[node.field]} : {fts_phrase(node.text, node.prefix)}"
            return (
                "article.pmid IN (SELECT rowid FROM article_fts "
                f"WHERE article_fts MATCH {self.bind(match)})"
            )
        if node.prefix:
            raise QuerySyntaxError(f"truncation '*' is not supported with [{node.field}]")
        if node.field == "mh":
            return self._json_list("mesh", node.text, "$.descriptor")
        if node.field == "majr":
            return (
                "EXISTS (SELECT 1 FROM json_each(article.mesh) AS j WHERE "
                f"lower(json_extract(j.value, '$.descriptor')) = {self.bind(node.text.lower())} "
                "AND json_extract(j.value, '$.major'))"
            )
        if node.field == "pt":
            return self._json_list("publication_types", node.text)
        if node.field == "la":
            code = LANGUAGE_NAMES.get(node.text.lower(), node.text.lower())
            return self._json_list("languages", code)
        if node.field == "dp":
            return self.range(Range("dp", node.text, node.text))
        if node.field == "uid":
            return self.range(Range("uid", node.text, node.text))
        raise QuerySyntaxError(f"field [{node.field}] cannot be searched locally")


DATE_COLUMNS = {"pdat": "pub_date_sort", "mdat": "revised_date", "edat": "entrez_date"}


def compile_search(
    node: Node, datetype: str | None = None, mindate: str | None = None, maxdate: str | None = None
) -> tuple[str, dict[str, Any]]:
    """SQL selecting matching PMIDs, newest first, as PubMed lists them."""
    comp = _Compiler()
    where = comp.node(node)
    if datetype and (mindate or maxdate):
        column = DATE_COLUMNS[datetype]
        low = _date_bound(mindate or "1000", False)
        high = _date_bound(maxdate or "3000", True)
        where += f" AND article.{column} BETWEEN {comp.bind(low)} AND {comp.bind(high)}"
    return f"SELECT article.pmid FROM article WHERE {where} ORDER BY article.pmid DESC", comp.params
