"""Checkpoints of the write-ahead log, made in a background thread during bulk writes.

In WAL mode every committed page is written twice: to the log, then (at a checkpoint) into
the database file, followed by an fsync. SQLite's automatic checkpoint runs inside the
writer's commit, so a bulk import waited on that fsync (about a third of its write time).
Here a thread with its own connection copies the log while the writer goes on: SQLite lets
a PASSIVE checkpoint run alongside a writer, and Python's sqlite3 releases the GIL while it
does. The automatic checkpoint stays on as the safety net if the thread falls behind.
"""

from __future__ import annotations

import threading

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError


class BackgroundCheckpointer:
    """Started on the first bulk write; `request` after each commit; `close` before the
    engine is disposed."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._wake = threading.Event()
        self._closing = False
        self._thread: threading.Thread | None = None

    def request(self) -> None:
        """Copy what the log holds now into the database, without waiting for it."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._run, name="litwatch-checkpoint", daemon=True
            )
            self._thread.start()
        self._wake.set()

    def _run(self) -> None:
        try:
            with self._engine.connect() as conn:
                while True:
                    self._wake.wait()
                    self._wake.clear()
                    if self._closing:
                        return
                    conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")
        except DBAPIError:
            # A failed checkpoint loses nothing (the log still holds every page); the
            # writer's own automatic checkpoint takes over.
            return

    def close(self) -> None:
        if self._thread is not None:
            self._closing = True
            self._wake.set()
            self._thread.join()
            self._thread = None
