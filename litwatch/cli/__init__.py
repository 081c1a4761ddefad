"""The command line: parse options, call one workflow, render its result. Nothing else.

Every `LitwatchError` becomes one line `Error: ...` on stderr and a non-zero exit, in
`litwatch.cli.app.command`; commands have no try/except of their own.
"""

from litwatch.cli import evidence, library, weekly
from litwatch.cli.app import app, main

__all__ = ["app", "evidence", "library", "main", "weekly"]
