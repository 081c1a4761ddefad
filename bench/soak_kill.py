"""Soak: kill `litwatch import` with SIGKILL (or SIGINT/SIGTERM) at random moments, many
times, checking after each that the database is whole and no worker is left; then finish the
import and check the counts. The CI-sized version is tests/workflows/test_interrupts.py.

    python bench/soak_kill.py                 # 30 kills of a 30,000-record import
    python bench/soak_kill.py 100 SIGTERM 50000
"""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_corpus import make_corpus


def _check(db: Path) -> int:
    with sqlite3.connect(db, timeout=30) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        records = conn.execute("SELECT count(*) FROM article").fetchone()[0]
        assert conn.execute("SELECT count(*) FROM article_fts").fetchone()[0] == records
        orphans = "SELECT count(*) FROM claim_tag WHERE pmid NOT IN (SELECT pmid FROM article)"
        assert conn.execute(orphans).fetchone()[0] == 0
        return int(records)


def _left_behind(marker: str) -> int:
    return sum(
        marker in (p / "cmdline").read_bytes().decode(errors="replace")
        for p in Path("/proc").iterdir()
        if p.name.isdigit() and (p / "cmdline").exists()
    )


def main(kills: int = 30, sig_name: str = "SIGKILL", size: int = 30_000) -> None:
    sig = getattr(signal, sig_name)
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = make_corpus(size, Path(tmp) / "corpus.xml")
        db = Path(tmp) / "soak.db"
        command = [sys.executable, "-m", "litwatch", "import", str(corpus), "--db", str(db)]
        for n in range(kills):
            proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            time.sleep(rng.uniform(0.2, 6.0))
            proc.send_signal(sig)
            proc.communicate(timeout=120)
            time.sleep(0.5)
            stored = _check(db) if db.exists() else 0
            left = _left_behind(str(db))
            print(f"kill {n + 1}: exit {proc.returncode}, {stored} records, {left} left behind")
            assert left == 0
        subprocess.run(command, check=True, capture_output=True)
        assert _check(db) == size
        print(f"finished: {size} records, database whole")


if __name__ == "__main__":
    args = sys.argv[1:]
    main(int(args[0]) if args else 30, args[1] if len(args) > 1 else "SIGKILL",
         int(args[2]) if len(args) > 2 else 30_000)  # fmt: skip
