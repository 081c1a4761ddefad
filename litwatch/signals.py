"""Ctrl-C and SIGTERM never land inside a database write.

The CLI routes both signals here. Outside a write they raise at once (KeyboardInterrupt,
`Terminated`), so a long network wait or parse stops when asked. Inside one (`deferred`, used
by every write transaction of the store) they are held until the transaction has committed
or rolled back: a signal caught inside SQLAlchemy's commit left a connection holding the
write lock, and the next write (marking the run `interrupted`) waited on it for ever.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from litwatch.errors import Terminated

_held: list[int] = []
_depth = 0


def on_signal(signum: int, _frame: FrameType | None) -> None:
    if _depth:
        _held.append(signum)
        return
    _raise_for(signum)


def _raise_for(signum: int) -> None:
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    raise Terminated


def install() -> None:
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)


@contextmanager
def deferred() -> Iterator[None]:
    global _depth
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if not _depth and _held:
            signum = _held[0]
            _held.clear()
            _raise_for(signum)
