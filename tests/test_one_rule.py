"""The rules the docs state, asserted on the source so they cannot be dodged.

- **One matching rule** (docs/architecture.md): which line is which is decided in
  ``establishment/engine/matching.py`` alone. No other module computes occurrences, selects a
  line by an occurrence, or looks a line up by its reference or title in a list.
- **One definition of each closed vocabulary**: the words of every vocabulary (round_to,
  ni_basis, costing points, statuses, assignment kinds, change kinds, ...) are written out once,
  in ``pay_scales/vocabulary.py`` or ``establishment/model/vocabulary.py``; everything else
  imports the tuple.
- **One definition of each record's field list**: derived from the record (``attrs.fields``) in
  ``establishment/model/post.py``; no other module spells out most of a post's fields.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pay_scales.vocabulary as pay_words
from establishment.model import vocabulary as words
from establishment.model.post import PAYMENT_FIELDS, POST_FIELDS

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted(p for package in ("establishment", "pay_scales", "scenarios")
                 for p in (ROOT / package).rglob("*.py"))
MATCHING = ROOT / "establishment" / "engine" / "matching.py"
VOCABULARY_HOMES = {ROOT / "pay_scales" / "vocabulary.py",
                    ROOT / "establishment" / "model" / "vocabulary.py"}
LINE_NAMES = {"reference", "title"}


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _mentions(node: ast.AST, names: set[str]) -> bool:
    for n in ast.walk(node):
        if isinstance(n, ast.Attribute) and n.attr in names:
            return True
        if isinstance(n, ast.Subscript) and isinstance(n.slice, ast.Constant) \
                and n.slice.value in names:
            return True
        if isinstance(n, ast.Name) and n.id in names:
            return True
    return False


def matching_violations(path: Path) -> list[str]:
    """Places in ``path`` that decide which line is which outside the matching module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        where = f"{_rel(path)}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Attribute) and node.attr == "cumcount":
            found.append(f"{where} counts occurrences (cumcount)")
        if isinstance(node, ast.Subscript) and _mentions(node.slice, {"occurrence"}):
            found.append(f"{where} selects a line by its occurrence")
        if isinstance(node, ast.Compare) and _mentions(node, {"occurrence"}) and not all(
                isinstance(op, (ast.Is, ast.IsNot)) for op in node.ops):
            found.append(f"{where} compares an occurrence")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in {"index", "count"} \
                and _mentions(node.func.value, LINE_NAMES | {"refs", "titles", "references"}):
            found.append(f"{where} looks a line up by reference or title")
    return found


# Being moved onto engine/matching.py by the register work; the test below fails once the
# file no longer needs the exemption, so the entry cannot outlive its reason.
PENDING = {"establishment/register/state.py"}


def test_one_matching_implementation():
    problems = [v for path in SOURCES if path != MATCHING and _rel(path) not in PENDING
                for v in matching_violations(path)]
    assert problems == []
    stale = sorted(p for p in PENDING if not matching_violations(ROOT / p))
    assert stale == [], f"remove {stale} from PENDING: it matches lines through matching.py now"


def test_the_matching_check_sees_each_kind_of_private_lookup(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text(
        "def a(costing, line):\n"
        "    refs = list(costing.lines['reference'])\n"
        "    return refs.index(line)\n"
        "def b(found, target):\n"
        "    if 0 <= target.occurrence < len(found):\n"
        "        return found[target.occurrence]\n"
        "def c(frame):\n"
        "    return frame.groupby(['team', 'title']).cumcount()\n"
        "def d(target):\n"
        "    return target.occurrence is None\n", encoding="utf-8")
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        found = matching_violations(probe)
    finally:
        ROOT = saved
    kinds = sorted({f.split(" ", 1)[1] for f in found})
    assert kinds == ["compares an occurrence", "counts occurrences (cumcount)",
                     "looks a line up by reference or title",
                     "selects a line by its occurrence"]


def vocabularies() -> dict[str, frozenset[str]]:
    """Every closed vocabulary (a tuple of words made from a Literal), by name."""
    found = {}
    for module in (pay_words, words):
        for name in dir(module):
            value = getattr(module, name)
            if name.isupper() and isinstance(value, tuple) and len(value) >= 2 \
                    and all(isinstance(v, str) for v in value):
                found[name] = frozenset(value)
    return found


def _literal_word_sets(tree: ast.AST) -> list[tuple[int, frozenset[str]]]:
    sets = []
    for node in ast.walk(tree):
        items = None
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            items = node.elts
        elif isinstance(node, ast.Subscript) and getattr(node.value, "id", None) == "Literal":
            items = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if items and all(isinstance(e, ast.Constant) and isinstance(e.value, str)
                         for e in items):
            sets.append((node.lineno, frozenset(e.value for e in items)))
    return sorted(set(sets), key=lambda s: (s[0], sorted(s[1])))  # Literal[...] holds a tuple


def test_each_vocabulary_is_written_out_once():
    vocab = vocabularies()
    assert {"ROUND_TO", "NI_BASES", "POINTS", "STATUSES", "ASSIGNMENT_KINDS", "CHANGE_KINDS",
            "RANGE_POINTS", "THRESHOLD_FORMS"} <= set(vocab)
    problems = []
    for path in SOURCES:
        if path in VOCABULARY_HOMES:
            continue
        for line, literal in _literal_word_sets(ast.parse(path.read_text(encoding="utf-8"))):
            for name, words_ in vocab.items():
                if literal == words_:
                    problems.append(f"{_rel(path)}:{line} spells out {name}")
    assert problems == []


def test_each_vocabulary_is_defined_once_in_its_home():
    counts: dict[frozenset[str], list[str]] = {}
    for path in VOCABULARY_HOMES:
        for line, literal in _literal_word_sets(ast.parse(path.read_text(encoding="utf-8"))):
            counts.setdefault(literal, []).append(f"{_rel(path)}:{line}")
    twice = {" ".join(sorted(k)): v for k, v in counts.items()
             if k in set(vocabularies().values()) and len(v) > 1}
    assert twice == {}


def test_no_module_spells_out_a_records_field_list():
    """A literal holding most of a post's (or payment's) fields is a second field list."""
    home = ROOT / "establishment" / "model" / "post.py"
    problems = []
    for path in SOURCES:
        if path == home:
            continue
        for line, literal in _literal_word_sets(ast.parse(path.read_text(encoding="utf-8"))):
            for name, fields in (("Post", set(POST_FIELDS)), ("Payment", set(PAYMENT_FIELDS))):
                frame_layout = any(w.endswith("_pence") or w.startswith("fte_") for w in literal)
                if len(literal & fields) >= 0.75 * len(fields) and len(literal) >= 6 \
                        and not frame_layout:
                    problems.append(f"{_rel(path)}:{line} lists {name}'s fields")
    assert problems == []
