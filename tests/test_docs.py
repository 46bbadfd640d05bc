"""Every Python example in docs/*.md runs, and prints what the page says it prints.

A ``# text`` comment line in a block is text the block must print; an ``Output:`` paragraph
followed by a ``text`` block after the example is printed output too. A block preceded by an
``<!-- not run: reason -->`` comment is shown but not run (a sketch, or a call on the reader's
own file). Each block runs in its own process, in a temporary folder holding a link to
``tests/`` (for fixtures)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BLOCK = re.compile(r"(<!-- not run:[^>]*-->\n)?```python\n(.*?)```(\n\nOutput:\n\n```text\n"
                   r"(.*?)```)?", re.S)


def examples() -> list[tuple[str, int, str, str]]:
    found = []
    for page in sorted((ROOT / "docs").glob("*.md")):
        text = page.read_text(encoding="utf-8")
        for number, match in enumerate(BLOCK.finditer(text), start=1):
            if match.group(1) is None:
                found.append((page.name, number, match.group(2), match.group(4) or ""))
    return found


def run(code: str, where: str, folder: Path) -> str:
    """Run an example in its own process (an example may change global state, such as the
    registered table markers), in ``folder``; what it printed."""
    (folder / "tests").symlink_to(ROOT / "tests", target_is_directory=True)
    script = folder / "example.py"
    script.write_text(code, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, str(script)], cwd=folder, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"{where} failed:\n{done.stderr}"
    return done.stdout


@pytest.mark.parametrize(("page", "number", "code", "shown"), examples(),
                         ids=[f"{p}#{n}" for p, n, _, _ in examples()])
def test_doc_example_runs_and_prints_what_it_says(page, number, code, shown, tmp_path):
    printed = run(code, f"docs/{page} example {number}", tmp_path)
    for comment in re.findall(r"^# (.+)$", code, re.M):
        assert comment in printed, f"docs/{page} example {number} did not print {comment!r}"
    lines = [line.rstrip() for line in printed.splitlines()]
    for line in shown.strip().splitlines():
        assert line.rstrip() in lines, f"docs/{page} example {number}: {line!r} not printed"


def test_the_pages_a_newcomer_needs_exist_and_are_linked_from_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for page in ("user-guide", "formats", "cli", "api", "architecture"):
        assert (ROOT / "docs" / f"{page}.md").exists()
        assert f"(docs/{page}.md)" in readme
    assert len(readme.splitlines()) <= 150


def test_every_rule_key_is_documented():
    import inspect

    from pay_scales import rules

    source = inspect.getsource(rules.parse_rule)
    keys = re.search(r"known = \{(.*?)\}", source, re.S).group(1)
    rules_page = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    for key in re.findall(r'"(\w+)"', keys):
        assert f"`{key}`" in rules_page, f"rule key {key!r} is not in docs/rules.md"


def test_relative_links_between_pages_resolve():
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for target in re.findall(r"\]\(([^)#:]+\.(?:md|png))(?:#[^)]*)?\)",
                                 page.read_text(encoding="utf-8")):
            assert (page.parent / target).exists(), f"{page.name} links to missing {target}"
