"""The README's CLI reference, generated from `--help`. `python -m tests.cli_reference`
rewrites the section between the markers; `tests/test_docs.py` fails when it drifts."""

from __future__ import annotations

import os
import re
from pathlib import Path

from typer.testing import CliRunner

from litwatch.cli import app

README = Path(__file__).resolve().parents[1] / "README.md"
START, END = "<!-- cli-reference:start -->", "<!-- cli-reference:end -->"
COMMANDS = [
    [], ["run"], ["import"], ["reparse"], ["status"], ["search"], ["report"], ["check"],
    ["eval"], ["explain"], ["digest"], ["review"], ["export", "records"], ["export", "tags"],
    ["export", "citations"],
]  # fmt: skip


def render_reference() -> str:
    os.environ["COLUMNS"] = "100"
    parts = []
    for command in COMMANDS:
        result = CliRunner().invoke(app, [*command, "--help"], prog_name="litwatch")
        title = " ".join(["litwatch", *command])
        parts.append(f"### `{title}`\n\n```text\n{result.output.rstrip()}\n```\n")
    return "\n".join(parts)


def readme_section(text: str) -> str:
    match = re.search(re.escape(START) + r"\n(.*?)" + re.escape(END), text, re.S)
    assert match, "README has no CLI reference markers"
    return match.group(1)


def with_reference(text: str) -> str:
    head, _, rest = text.partition(START + "\n")
    _, _, tail = rest.partition(END)
    return f"{head}{START}\n{render_reference()}\n{END}{tail}"


if __name__ == "__main__":
    README.write_text(with_reference(README.read_text()))
