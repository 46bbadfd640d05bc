"""Every example in docs/*.md runs: each Python block prints what the page says it prints,
and each shell block (``sh``) runs with exit status 0 on the bundled data (the scenarios, the
employers' pay data and tests/fixtures/), ``establishment`` being the command line of this
checkout.

A ``# text`` comment line in a block is text the block must print; an ``Output:`` paragraph
followed by a ``text`` block after the example is printed output too. A block preceded by an
``<!-- not run: reason -->`` comment is shown but not run (a sketch, or a call on the reader's
own file, a long benchmark, an install). Each block runs in its own process, in a temporary
folder holding a link to ``tests/`` (for fixtures)."""

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


SHELL = re.compile(r"(<!-- not run:[^>]*-->\n)?```(?:sh|bash|shell)\n(.*?)```", re.S)


def shell_examples() -> list[tuple[str, int, str]]:
    found = []
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for number, match in enumerate(SHELL.finditer(page.read_text(encoding="utf-8")), 1):
            if match.group(1) is None:
                found.append((page.name, number, match.group(2)))
    return found


def commands(block: str) -> list[str]:
    """The block's commands: continuation lines joined, comments and blanks dropped."""
    joined = re.sub(r"\s*\\\n\s*", " ", block)
    return [line for line in (re.sub(r"\s+#.*$", "", raw).strip() for raw in joined.splitlines())
            if line and not line.startswith("#")]


@pytest.mark.parametrize(("page", "number", "block"), shell_examples(),
                         ids=[f"{p}#sh{n}" for p, n, _ in shell_examples()])
def test_doc_shell_example_runs(page, number, block, tmp_path):
    (tmp_path / "tests").symlink_to(ROOT / "tests", target_is_directory=True)
    script = "set -e\nestablishment() { \"$PYTHON\" -m establishment \"$@\"; }\n"
    script += "\n".join(commands(block)) + "\n"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHON": sys.executable}
    done = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, f"{page} shell example {number} failed:\n{done.stderr}"


def test_the_shell_runner_joins_lines_and_drops_comments():
    block = "F=x   # a folder\nestablishment cost \\\n    $F/a.csv --by team  # note\n\n# c\n"
    assert commands(block) == ["F=x", "establishment cost $F/a.csv --by team"]


def test_the_pages_a_newcomer_needs_exist_and_are_linked_from_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for page in ("user-guide", "formats", "cli", "api", "architecture"):
        assert (ROOT / "docs" / f"{page}.md").exists()
        assert f"(docs/{page}.md)" in readme
    assert len(readme.splitlines()) < 80  # one screen: the rest lives in docs/


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


def test_every_exit_status_the_command_line_returns_is_documented():
    """docs/cli.md and docs/exit-codes-and-limits.md list every status cli/main.py can return
    (its EX_ constants), and no other."""
    import ast

    source = (ROOT / "establishment" / "cli" / "main.py").read_text(encoding="utf-8")
    statuses = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Tuple) and all(
                isinstance(t, ast.Name) and t.id.startswith("EX_") for t in node.targets[0].elts):
            statuses |= {e.value for e in node.value.elts}
    assert {0, 1, 2, 70, 74, 130} <= statuses
    for page in ("cli.md", "exit-codes-and-limits.md"):
        text = (ROOT / "docs" / page).read_text(encoding="utf-8")
        documented = {int(s) for s in re.findall(r"^\| (\d+) \|", text, re.M)}
        assert documented == statuses, f"docs/{page}: {sorted(documented ^ statuses)}"
