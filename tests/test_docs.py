"""Docs come from the code: the README's CLI reference and the documented example files."""

from __future__ import annotations

import re
import shlex

from litwatch.searches import load_saved_search
from tests.cli_reference import README, readme_section, render_reference
from tests.conftest import REPO


def test_readme_cli_reference_matches_help() -> None:
    assert readme_section(README.read_text()) == render_reference() + "\n", (
        "README's CLI reference drifted: run `python -m tests.cli_reference`"
    )


def test_documented_saved_search_example_loads() -> None:
    search = load_saved_search(REPO / "docs" / "examples" / "saved-search.toml")
    assert search.name == "kratom-withdrawal" and search.mindate == "2000/01/01"
    assert search.term in (REPO / "docs" / "queries.md").read_text()


def test_readme_opens_with_the_two_commands_and_ci_runs_the_second() -> None:
    blocks = re.findall(r"```sh\n(.*?)\n```", README.read_text(), re.S)
    main_job, tests = blocks[0].strip(), blocks[1].strip()
    assert "litwatch run --sample" in main_job and "pip install" in main_job
    assert "pytest" in tests
    ci = (REPO / ".ci" / "run").read_text()
    assert tests in ci, "`.ci/run` must run exactly the README's test command"
    assert shlex.split(tests)  # one runnable shell line


def test_docs_tables_of_rules_and_cues_match_the_tagger() -> None:
    from tests.claims_reference import DOC, SECTIONS, section

    text = DOC.read_text()
    for name, make in SECTIONS.items():
        assert section(text, name) == make(), (
            f"docs/claims.md's {name} table drifted: run `python -m tests.claims_reference`"
        )
