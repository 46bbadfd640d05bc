"""Records carry their source: the TOML header scanner finds every table's place, whatever its
strings, arrays and comments hold; a problem is reported at its own table's line; a CSV or
XLSX row's record carries its row, also when the column-wise loader builds it on request."""

from __future__ import annotations

import tomllib

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from establishment import Post, Structure
from establishment.errors import LoadError, Location
from establishment.io import parse_structure_text, read_structure, write_structure
from establishment.io.toml_layout import scan

# text that reads like TOML structure: headers, quotes and delimiters of every kind
PIECES = st.sampled_from(["[[post]]", "[post]", "[basis]", '"""', "'''", '"', "'", "\\",
                          "#", "[", "]", "{", "}", "\n", "\n[[post]]\n", " ", "x", "= 1"])
NOTES = st.lists(PIECES, max_size=12).map("".join)


def _literal(notes: str) -> str | None:
    """``notes`` as a multi-line literal string, when TOML can hold it as one."""
    if "'''" in notes or notes.endswith("'") or "\r" in notes:
        return None
    return f"notes = '''\n{notes}'''\n"


def _table(index: int, notes: str, literal: bool, nested: bool) -> str:
    """One [[post]] table (TOML text ending in a newline) holding ``notes``."""
    table = {"title": f"Officer {index}", "fte": 1, "grade": "Grade 4"}
    if nested:  # an array of arrays, perhaps spread over lines starting with "["
        table["rows"] = [[1, 2], ["[[post]]", "]"], [{"a": "[x]"}]]
    written = _literal(notes) if literal else None
    if written is None:
        table["notes"] = notes
    return "[[post]]\n" + (written or "") + tomli_w.dumps(table, multiline_strings=True)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(NOTES, st.booleans(), st.booleans()), min_size=1, max_size=6))
def test_every_post_header_is_found_at_its_line_and_no_other(tables):
    text, expected = 'name = "s"\n', []
    for index, (notes, literal, nested) in enumerate(tables):
        expected.append(text.count("\n") + 1)
        text += _table(index, notes, literal, nested)
    assert len(tomllib.loads(text)["post"]) == len(tables)  # the generator writes real TOML
    assert scan(text).lines("post") == expected


def test_headers_keys_and_quoted_names():
    text = (
        'name = "x"\n'
        'primary_basis = "a"  # [[post]]\n'
        'notes = """\n[[post]]\nstill \\""" inside\n"""\n'
        "arr = [\n  [1, 2],\n  \"[[post]]\",\n]\n"
        "lit = '''\n[[post]] '\n'''\n"
        '[bases."2019/20"]\n'
        'employer = "a" # [[post]]\n'
        "  [[post]]  # first\n"
        'title = "a [b] {c} \\" [[post]]"\n'
        "[[ post ]]\n"
        "[[option]]\n"
        "[[option.change]]\n"
    )
    tomllib.loads(text)
    layout = scan(text)
    assert layout.places("post") == [(16, 3), (18, 1)]
    assert layout.line("bases", "2019/20") == 14
    assert layout.line("option", "change") == 20
    assert layout.line("primary_basis") == 2
    assert layout.line("arr") == 7
    assert layout.line("post", index=2) is None
    assert layout.line("missing") is None


# the example: a note holding "[[post]]" moved the second post's problem to line 8
NOTED = '''name = "Two posts"

[[post]]
title = "Officer"
fte = 1
grade = "Grade 4"
notes = """
[[post]]
a line of the note that reads like a table
"""

[[post]]
title = "Officer"
fte = -1
grade = "Grade 4"
'''


def test_a_note_holding_a_header_does_not_move_a_problem():
    with pytest.raises(LoadError) as caught:
        parse_structure_text(NOTED, "two.toml")
    assert [(p.line, p.field) for p in caught.value.problems] == [(12, "fte")]
    assert str(caught.value.problems[0]).startswith("two.toml:12: [fte] post 2:")


def test_records_carry_their_source_outside_equality():
    text = NOTED.replace("fte = -1", "fte = 2")
    posts = parse_structure_text(text, "two.toml").structure.posts
    assert [p.source for p in posts] == [Location("two.toml", 3, 1), Location("two.toml", 12, 1)]
    moved = parse_structure_text("\n\n" + text, "other.toml").structure.posts
    assert moved == posts and hash(moved) == hash(posts)  # where it was read is not data
    assert [p.source.line for p in moved] == [5, 14]
    assert "source" not in repr(posts[0])


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_a_table_row_record_carries_its_row(tmp_path, suffix):
    path = tmp_path / f"posts.{suffix}"
    posts = [Post(f"Officer {n}", 1, "Grade 4", reference=f"P{n}") for n in range(3)]
    write_structure(Structure("s", posts), path)
    loaded = read_structure(path)
    assert loaded.structure.frame_backed  # nothing built while loading (the 1M path)
    assert [p.source for p in loaded.structure.posts] == [
        Location(str(path), line) for line in (2, 3, 4)]
    assert loaded.structure.posts == tuple(posts)


def test_a_row_the_row_reader_makes_carries_its_line_too(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text("kind,title,fte,grade,amount\npost,A,1,Grade 4,\n\n"
                    "payment,Honorarium,,,300\npost,B,0.5,Grade 4,\n")
    structure = read_structure(path).structure
    assert [(p.title, p.source.line) for p in structure.posts] == [("A", 2), ("B", 5)]
    assert [(p.title, p.source.line) for p in structure.payments] == [("Honorarium", 4)]
