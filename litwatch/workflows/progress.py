"""What a long workflow reports while it works; the CLI draws it (the core never prints)."""

from __future__ import annotations

from typing import Protocol

from litwatch.models import RunSummary


class RunProgress(Protocol):
    """What the CLI shows while a run works (the core itself never prints)."""

    def start(self, query: str, total: int | None) -> None:
        """A new bar; `total` None when unknown (an import does not count its file first)."""

    def advance(self, count: int) -> None: ...

    def finish(self, summary: RunSummary) -> None: ...

    def note(self, message: str) -> None:
        """Something the user should see as it happens (a retry, a slow server)."""


class NoProgress:
    def start(self, query: str, total: int | None) -> None:
        pass

    def advance(self, count: int) -> None:
        pass

    def finish(self, summary: RunSummary) -> None:
        pass

    def note(self, message: str) -> None:
        pass
