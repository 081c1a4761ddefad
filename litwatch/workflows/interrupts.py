"""Ctrl-C and SIGTERM in the middle of a run or an import: what was stored stays (each batch
commits whole or not at all, and the signal waits for a write in progress: signals.py), the
runs are marked `interrupted`, and the user is told so and that running the command again
finishes the job."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from litwatch.errors import RunInterrupted, Terminated

if TYPE_CHECKING:
    from litwatch.store import Store

SIGINT_EXIT, SIGTERM_EXIT = 130, 143  # 128 + the signal's number, as shells report them


@contextmanager
def interruptible(store: Store, invocation: int, again: str) -> Iterator[None]:
    try:
        yield
    except (KeyboardInterrupt, Terminated) as exc:
        ctrl_c = isinstance(exc, KeyboardInterrupt)
        kept = store.interrupt_invocation(invocation)
        raise RunInterrupted(
            f"interrupted by {'Ctrl-C' if ctrl_c else 'SIGTERM'}: the {kept} new record(s) "
            f"stored before it are kept, nothing is half-stored; {again} to finish",
            SIGINT_EXIT if ctrl_c else SIGTERM_EXIT,
        ) from None
