"""Find many regular-expression phrases in a text at once: the tagger's only speed machinery.

A claim catalogue and the tagger's language hold several hundred phrases; searching a
sentence for each in turn made `re` try every phrase at every word. Here each phrase is
filed under the first letters its matches can start with (read from the pattern by Python's
own regex parser), and tried only where a word of the text starts with them. The result is
exactly what searching for each phrase at every word start would give (a test checks it).
Nothing is cached between texts: a `PhraseIndex` is built once and then only read.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Hashable, Iterable, Sequence
from typing import Any, Generic, NamedTuple, TypeVar

from litwatch.validation import check_patterns

# The parser `re` itself uses (Python 3.11+; typeshed does not list it).
sre_parse: Any = importlib.import_module("re._parser")

K = TypeVar("K", bound=Hashable)

_PREFIX = 4  # phrases are filed under (up to) their first four letters
_MAX_PREFIXES = 3000  # a phrase that may start more ways than this is tried at every word
_WORD_START = re.compile(r"(?<![\w-])\w")


class Match(NamedTuple):
    """Where a phrase matched (a tuple: a record makes hundreds)."""

    key: Any
    start: int
    end: int


def _alternatives(items: list[Any], acc: str, depth: int = 0) -> set[str] | None:
    """The strings (up to `_PREFIX` letters) a match of the parsed pattern `items`, read
    after `acc`, can start with; None when a match may start with any letter."""
    if len(acc) >= _PREFIX or depth > 30:
        return {acc[:_PREFIX]} if acc else None
    if not items:
        return {acc} if acc else None
    op, av = items[0]
    rest = items[1:]
    name = str(op)
    if name == "LITERAL":
        return _alternatives(rest, acc + chr(av).lower(), depth + 1)
    if name == "IN":
        letters = _class_letters(av)
        if letters is None:
            return {acc} if acc else None
        return _union(_alternatives(rest, acc + ch, depth + 1) for ch in letters)
    if name == "BRANCH":
        return _union(_alternatives(list(alt) + rest, acc, depth + 1) for alt in av[1])
    if name == "SUBPATTERN":
        return _alternatives(list(av[-1]) + rest, acc, depth + 1)
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        low, high, body = av
        again = [(op, (0, high - 1 if isinstance(high, int) else high, body))] if high != 1 else []
        once = _alternatives(list(body) + again + rest, acc, depth + 1)
        return once if low > 0 else _union([once, _alternatives(rest, acc, depth + 1)])
    if name in ("AT", "ASSERT", "ASSERT_NOT"):  # zero-width: the match starts after them
        return _alternatives(rest, acc, depth + 1)
    return {acc} if acc else None  # any character, a category (\w, \d), a back-reference


def _class_letters(av: Any) -> list[str] | None:
    """The characters of a character class, lower-cased; None for a negated or large one."""
    out: set[str] = set()
    for op, value in av:
        name = str(op)
        if name == "LITERAL":
            out.add(chr(value).lower())
        elif name == "RANGE" and value[1] - value[0] < 12:
            out.update(chr(c).lower() for c in range(value[0], value[1] + 1))
        else:
            return None
    return sorted(out)


def _union(found: Iterable[set[str] | None]) -> set[str] | None:
    out: set[str] = set()
    for one in found:
        if one is None:
            return None
        out |= one
        if len(out) > _MAX_PREFIXES:
            return None
    return out


def prefixes_of(pattern: str) -> set[str] | None:
    """The (up to four-letter, lower-case) starts of every match of `pattern`; None when
    they cannot be listed (the phrase is then tried at every word)."""
    return _alternatives(list(sre_parse.parse(pattern)), "")


def check_phrases(patterns: list[str]) -> list[str]:
    """A field validator's body for phrase lists: each compiles and can match somewhere (a
    phrase is tried where a word starts, so one that can only start with punctuation, such as
    ">50%", would silently never match)."""
    for pattern in check_patterns(patterns):
        starts = prefixes_of(pattern)
        if (
            starts is not None
            and "" not in starts
            and not any(_WORD_START.match(s) for s in starts)
        ):
            raise ValueError(f"pattern {pattern!r} must start with a letter or digit")
    return patterns


class PhraseIndex(Generic[K]):
    """Phrases (key, regex), found together in lower-cased text, at word starts only."""

    def __init__(self, phrases: Sequence[tuple[K, str]]) -> None:
        # Case-insensitive: the text is lower-cased, but a pattern may spell an acronym ('ISI').
        self._patterns = [(key, re.compile(source, re.I)) for key, source in phrases]
        by_prefix: dict[str, list[int]] = {}
        self._anywhere: list[int] = []
        for i, (_, source) in enumerate(phrases):
            starts = prefixes_of(source)
            if starts is None or "" in starts:
                self._anywhere.append(i)
                continue
            # Keep only the shortest starts ("rem" covers "rem "): at a word start just one of
            # them can then be what the text begins with, so a phrase is tried once there.
            for start in starts:
                if not any(start.startswith(s) for s in starts if s != start):
                    by_prefix.setdefault(start, []).append(i)
        # Each prefix holds the phrases to try where a word starts with it: its own and those
        # filed under its shorter prefixes, so that a word start needs one lookup per length.
        self._by_prefix = {
            p: tuple(self._patterns[i] for i in sorted(ids)) for p, ids in by_prefix.items()
        }
        self._always = tuple(self._patterns[i] for i in self._anywhere)
        self._lengths = sorted({len(p) for p in self._by_prefix}, reverse=True)

    def find(self, text: str) -> list[Match]:
        """Every phrase matching at a word start of `text` (lower-cased), in text order;
        at one position, each phrase gives its own (longest-first as `re` matches)."""
        out: list[Match] = []
        by_prefix, lengths = self._by_prefix, self._lengths
        for word in _WORD_START.finditer(text):
            at = word.start()
            for n in lengths:
                for key, pattern in by_prefix.get(text[at : at + n], ()):
                    found = pattern.match(text, at)
                    if found is not None:
                        out.append(Match(key, at, found.end()))
            for key, pattern in self._always:
                found = pattern.match(text, at)
                if found is not None:
                    out.append(Match(key, at, found.end()))
        return out
