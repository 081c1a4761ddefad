"""PubMed query syntax → a small syntax tree that the store evaluates locally (FTS5).

Supported: AND, OR, NOT (upper case, processed left to right as PubMed does), parentheses,
quoted phrases, trailing `*`, ranges `lo:hi`, and the tags listed in `FIELD_TAGS`. Anything
else is refused with a message naming it, rather than silently searched differently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from litwatch.errors import QuerySyntaxError

FIELD_TAGS = {
    "all": "all", "all fields": "all",
    "tiab": "tiab", "title/abstract": "tiab",
    "ti": "ti", "title": "ti",
    "ab": "ab", "abstract": "ab",
    "mh": "mh", "mesh": "mh", "mesh terms": "mh", "mh:noexp": "mh", "mesh:noexp": "mh",
    "majr": "majr", "mesh major topic": "majr",
    "pt": "pt", "publication type": "pt",
    "la": "la", "language": "la",
    "dp": "dp", "pdat": "dp", "publication date": "dp", "date - publication": "dp",
    "uid": "uid", "pmid": "uid",
}  # fmt: skip
RANGE_FIELDS = {"dp", "uid"}
_TOKEN = re.compile(
    r"""\s*(?:
        (?P<lpar>\() | (?P<rpar>\)) |
        "(?P<quoted>[^"]*)"(?P<qstar>\*)? |
        \[(?P<tag>[^\]]*)\] |
        (?P<word>[^\s()"\[\]]+)
    )""",
    re.VERBOSE,
)
OPERATORS = {"AND", "OR", "NOT"}


@dataclass(frozen=True)
class Term:
    """One searchable unit: a word or phrase, in one field."""

    text: str
    field: str = "all"
    phrase: bool = False
    prefix: bool = False


@dataclass(frozen=True)
class Range:
    field: str  # dp or uid
    low: str
    high: str


@dataclass(frozen=True)
class BoolOp:
    op: str  # AND, OR, NOT (NOT means: left AND NOT right)
    left: Node
    right: Node


Node = Term | Range | BoolOp


def _tokens(term: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    term = term.strip()
    while pos < len(term):
        m = _TOKEN.match(term, pos)
        if m is None or m.end() == pos:
            raise QuerySyntaxError(f"cannot read the query at {term[pos : pos + 20]!r}")
        pos = m.end()
        kind = m.lastgroup or ""
        if kind == "qstar":
            out.append(("quoted", m.group("quoted") + "*"))
        elif kind in ("lpar", "rpar"):
            out.append((kind, m.group(kind)))
        else:
            out.append((kind, m.group(kind)))
    return out


def _field(tag: str) -> str:
    key = re.sub(r"\s+", " ", tag.strip().lower())
    if key not in FIELD_TAGS:
        raise QuerySyntaxError(
            f"unsupported field tag [{tag}]; supported: "
            + ", ".join(
                f"[{t}]" for t in ("tiab", "ti", "ab", "mh", "majr", "pt", "la", "dp", "uid")
            )
        )
    return FIELD_TAGS[key]


def _leaf(text: str, field: str, phrase: bool) -> Node:
    prefix = text.endswith("*")
    core = text.rstrip("*").strip()
    if ":" in core and field in RANGE_FIELDS:
        low, _, high = core.partition(":")
        return Range(field, low.strip(), high.strip())
    if not core:
        raise QuerySyntaxError("empty search term")
    if prefix and len(core.replace(" ", "")) < 4:
        raise QuerySyntaxError(f"truncation needs at least 4 letters before '*': {text!r}")
    if "*" in core:
        raise QuerySyntaxError(f"'*' is allowed only at the end of a term: {text!r}")
    return Term(core, field, phrase or " " in core, prefix)


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.i = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def expression(self) -> Node:
        # PubMed has no precedence: operators apply left to right.
        node = self.operand()
        while (tok := self.peek()) is not None and tok[0] != "rpar":
            if tok[0] == "word" and tok[1] in OPERATORS:
                self.take()
                node = BoolOp(tok[1], node, self.operand())
            else:
                node = BoolOp("AND", node, self.operand())  # adjacent terms: implicit AND
        return node

    def operand(self) -> Node:
        tok = self.peek()
        if tok is None:
            raise QuerySyntaxError("the query ends where a term was expected")
        if tok[0] == "lpar":
            self.take()
            node = self.expression()
            if self.peek() is None or self.take()[0] != "rpar":
                raise QuerySyntaxError("unbalanced parentheses: a '(' is never closed")
            return node
        if tok[0] == "rpar":
            raise QuerySyntaxError("unbalanced parentheses: ')' without '('")
        if tok[0] == "tag":
            raise QuerySyntaxError(f"field tag [{tok[1]}] without a term before it")
        if tok[0] == "word" and tok[1] in OPERATORS:
            raise QuerySyntaxError(f"{tok[1]} without a term before it")
        if tok[0] == "quoted":
            self.take()
            return self.tagged(tok[1], phrase=True)
        return self.words()

    def words(self) -> Node:
        """Bare words: with a tag after them they are one phrase (as PubMed reads them)."""
        words: list[str] = []
        while (tok := self.peek()) is not None and tok[0] == "word" and tok[1] not in OPERATORS:
            if tok[1].lower() in {"and", "or", "not"}:
                raise QuerySyntaxError(
                    f"write the operator {tok[1]!r} in capitals: {tok[1].upper()}"
                )
            words.append(self.take()[1])
        if (tok := self.peek()) is not None and tok[0] == "tag":
            return self.tagged(" ".join(words), phrase=len(words) > 1)
        node: Node = _leaf(words[0], "all", False)
        for word in words[1:]:
            node = BoolOp("AND", node, _leaf(word, "all", False))
        return node

    def tagged(self, text: str, phrase: bool) -> Node:
        field = "all"
        if (tok := self.peek()) is not None and tok[0] == "tag":
            field = _field(self.take()[1])
        return _leaf(text, field, phrase)


def parse_term(term: str) -> Node:
    """Parse a PubMed search term; raises `QuerySyntaxError` naming what is not supported."""
    tokens = _tokens(term)
    if not tokens:
        raise QuerySyntaxError("empty query")
    parser = _Parser(tokens)
    node = parser.expression()
    if parser.peek() is not None:
        raise QuerySyntaxError("unbalanced parentheses: ')' without '('")
    return node


def render_term(node: Node) -> str:
    """The normalised form of a parsed term, shown as the local 'query translation'."""
    if isinstance(node, Term):
        return f'"{node.text}{"*" if node.prefix else ""}"[{node.field}]'
    if isinstance(node, Range):
        return f"{node.low}:{node.high}[{node.field}]"
    return f"({render_term(node.left)} {node.op} {render_term(node.right)})"
