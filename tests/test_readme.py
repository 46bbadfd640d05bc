"""The README's Python example runs and prints what the README says it prints."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

README = Path(__file__).parent.parent / "README.md"


def _section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(f"## {title}")
    return text[start:text.index("\n## ", start + 1)]


def test_use_it_from_python_example():
    section = _section("Use it from Python")
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    expected_comments = re.findall(r"^# (.+)$", code, re.M)
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        exec(compile(code, "README.md", "exec"), {})
    printed = output.getvalue()
    assert expected_comments
    for comment in expected_comments:
        assert comment in printed
