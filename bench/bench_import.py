"""Benchmark: `litwatch import` (parse + store + FTS index) against `Bio.Entrez.read` alone.

Each measurement runs in its own process, and its peak memory (PSS, summed over the process
and its workers) is sampled while it runs. Entrez.read is timed on a slice it can hold in
memory (20,000 records by default), in turn with litwatch import on the same slice, for a
few rounds, each keeping its best time; litwatch import is also timed on the full file
(100,000 by default) to show that its memory stays flat as the file grows.

    python bench/bench_import.py                # 100k and 20k records, 3 rounds on the 20k
    python bench/bench_import.py 20000 5000 1   # a quicker run
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_corpus import make_corpus

OUT = Path(__file__).resolve().parent / "out"
ENTREZ_READ = "import sys; from Bio import Entrez; Entrez.read(open(sys.argv[1], 'rb'))"


def _tree_rss_kb(pid: int) -> int:
    """Proportional resident memory (PSS) of a process and all its descendants: pages that
    forked worker processes share with their parent are counted once, not once each."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            rollup = Path(f"/proc/{p}/smaps_rollup").read_text()
            total += int(next(x for x in rollup.splitlines() if x.startswith("Pss:")).split()[1])
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration, ValueError):
            continue
    return total


def measure(argv: list[str]) -> tuple[float, float]:
    """(seconds, peak PSS in MB summed over the process tree) of one command."""
    # The previous run's database may still be in the page cache, being written back: flush
    # it first, so that no run pays for the one before.
    os.sync()
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss_kb(proc.pid))
        time.sleep(0.05)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(
            f"{' '.join(argv)} failed: {proc.stderr.read().decode() if proc.stderr else ''}"
        )
    return seconds, peak / 1024


def litwatch_import(path: Path, tag: bool) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        argv = [sys.executable, "-m", "litwatch", "import", str(path), "--db", f"{tmp}/b.db"]
        return measure(argv + ([] if tag else ["--no-tag"]))


def _row(label: str, n: int, seconds: list[float], peaks: list[float]) -> dict[str, Any]:
    best = min(seconds)
    return {
        "tool": label, "records": n, "seconds": round(best, 2),
        "all_seconds": [round(x, 2) for x in seconds], "records_per_s": round(n / best),
        "peak_mb": round(max(peaks)),
    }  # fmt: skip


def main() -> None:
    big_n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    small_n = int(sys.argv[2]) if len(sys.argv) > 2 else 20_000
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    big = OUT / f"corpus-{big_n}.xml"
    small = OUT / f"corpus-{small_n}.xml"
    for n, path in ((big_n, big), (small_n, small)):
        if not path.exists():
            make_corpus(n, path)
    # The machine's speed drifts by ±30% within minutes: the three tools on the slice run in
    # turn, round after round, and each keeps its best time (as timeit does).
    slice_runs: list[tuple[str, Callable[[], tuple[float, float]]]] = [
        ("Bio.Entrez.read", lambda: measure([sys.executable, "-c", ENTREZ_READ, str(small)])),
        ("import --no-tag", lambda: litwatch_import(small, False)),
        ("import (tagged)", lambda: litwatch_import(small, True)),
    ]
    times: dict[str, tuple[list[float], list[float]]] = {label: ([], []) for label, _ in slice_runs}
    for round_ in range(rounds):
        for label, run in slice_runs:
            seconds, peak = run()
            times[label][0].append(seconds)
            times[label][1].append(peak)
            print(
                f"round {round_ + 1}: {label} {small_n} records {seconds:.2f} s, {peak:.0f} MB",
                flush=True,
            )
    rows = [_row(label, small_n, *times[label]) for label, _ in slice_runs]
    for label, tag in (("import --no-tag", False), ("import (tagged)", True)):
        seconds, peak = litwatch_import(big, tag)
        rows.append(_row(label, big_n, [seconds], [peak]))
        print(f"{label} {big_n} records {seconds:.2f} s, {peak:.0f} MB", flush=True)
    print(f"{'tool':<18}{'records':>10}{'seconds':>10}{'records/s':>12}{'peak MB (PSS)':>15}")
    for r in rows:
        print(
            f"{r['tool']:<18}{r['records']:>10}{r['seconds']:>10}{r['records_per_s']:>12}{r['peak_mb']:>15}"
        )
    base = rows[0]["records_per_s"]
    ratios = {
        f"{r['tool']} {r['records']}{' (file)' if i > 2 else ''}": round(r["records_per_s"] / base, 2)
        for i, r in enumerate(rows) if i
    }  # fmt: skip
    # Each round's ratio compares runs minutes apart, under the same machine weather.
    entrez = times["Bio.Entrez.read"][0]
    paired = {
        label: sorted(round(e / t, 2) for e, t in zip(entrez, times[label][0], strict=True))
        for label in ("import --no-tag", "import (tagged)")
    }
    for name, ratio in ratios.items():
        print(f"{name}: {ratio:.1f}x Bio.Entrez.read's records/s (best times)")
    for label, values in paired.items():
        print(f"{label} {small_n}: {statistics.median(values):.1f}x in the median round {values}")
    (OUT / "results.json").write_text(
        json.dumps(
            {"rows": rows, "vs_entrez_read": ratios, "per_round": paired, "rounds": rounds},
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
