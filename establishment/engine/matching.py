"""Which line is which: the one matching rule, used by changes and by diffs.

A line (post or payment) is named

1. by its ``reference`` when it has one (a non-empty text);
2. otherwise by its ``team`` + ``title`` and its **occurrence**: 0 for the first unreferenced
   line of that kind, team and title in the structure's order, 1 for the second, ...

:func:`line_keys` computes every line's key at once (integer codes, vectorised: a million
lines in a fraction of a second) for one or several frames in one code space, so two
structures' lines match by equal keys (:func:`establishment.operations.diff.diff`).
:class:`LineIndex` finds the line a :class:`~establishment.operations.changes.Target` names in
a list of records, with its keys from the same :func:`line_keys`
(:func:`establishment.operations.changes.apply_changes`
and :func:`~establishment.operations.changes.cost_changes`). :func:`find_line` finds one costed
line by what a person types (its index, its reference, or a title only one line has), for
explanations and for a scenario's published figures. The register replays decisions through
the same :class:`LineIndex`. ``tests/test_one_rule.py`` fails on a lookup of lines by
reference, title or occurrence anywhere else.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from establishment.errors import EstablishmentError


class DoesNotFit(EstablishmentError):
    """One change that does not fit the structure part way through a list: its target names
    no line, or an ambiguous one, or one already removed (collected into a
    :class:`~establishment.operations.changes.ChangeError`)."""


def find_line(frame: pd.DataFrame, line: int | str, *, titles: bool = True,
              what: str = "line") -> int:
    """The row of ``frame`` (a costing's lines) that ``line`` names: an index as it is; a
    text by the line's ``reference``, else (``titles``) by a ``title`` only one line has.
    Anything else is an error naming the references there are."""
    if isinstance(line, (int, np.integer)) and not isinstance(line, bool):
        if not 0 <= int(line) < len(frame):
            raise EstablishmentError(f"no {what} {int(line)}: there are {len(frame)} lines "
                                     f"(0 to {len(frame) - 1})")
        return int(line)
    refs = frame["reference"].to_numpy()  # text columns come out as object arrays
    hits = np.flatnonzero(refs == line)
    if len(hits) == 0 and titles:
        hits = np.flatnonzero(frame["title"].to_numpy() == line)
    if len(hits) == 1:
        return int(hits[0])
    named = ", ".join(str(r) for r in refs if isinstance(r, str) and r) or "(none)"
    kind = "reference or title" if titles else "reference"
    raise EstablishmentError(f"no single {what} with {kind} {line!r}; references: {named}")


def _codes_and_values(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """One column's codes (-1 missing) and its distinct values: a categorical's own, else
    one factorize (a string column's is done by arrow)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy().astype(np.int64), np.asarray(column.cat.categories)
    codes, values = pd.factorize(column)
    return codes.astype(np.int64), np.asarray(values)


def shared_codes(columns: Sequence[pd.Series], transform: Callable[[np.ndarray], np.ndarray]
                 | None = None) -> tuple[list[np.ndarray], pd.Index]:
    """The values of several columns as integer codes in one space (equal values, equal codes;
    a missing value -1) and the distinct values. ``transform`` maps the distinct values first
    (two values it makes equal get one code). Each column is coded on its own (a categorical
    through its categories, so no per-row text is made) and the small sets of distinct
    values are then put in one space; columns of one text dtype are factorized together."""
    same = len({str(c.dtype) for c in columns}) == 1
    if same and not isinstance(columns[0].dtype, pd.CategoricalDtype):
        joined = pd.concat([c.reset_index(drop=True) for c in columns], ignore_index=True)
        codes, values = pd.factorize(joined)  # distinct values kept in their own dtype
        parts = [(part, None) for part in
                 np.split(codes.astype(np.int64), np.cumsum([len(c) for c in columns])[:-1])]
        index = pd.Index(values)
    else:
        found = [_codes_and_values(c) for c in columns]
        index = pd.Index(pd.unique(np.concatenate([v for _, v in found])), dtype=object)
        parts = [(codes, index.get_indexer(values)) for codes, values in found]
    recode = np.arange(len(index), dtype=np.int64)
    if transform is not None:
        recode, index = pd.factorize(pd.Series(transform(np.asarray(index))))
    out = []
    for codes, mapping in parts:
        step = recode if mapping is None else recode[mapping]
        out.append(np.append(step, -1).astype(np.int64)[codes])  # -1 (missing) stays -1
    return out, index


def _code_of(values: pd.Index, text: str) -> int:
    """The code of ``text`` among the distinct ``values``, or -1 (a vectorised comparison:
    no hash table of a million references is built to find one)."""
    found = np.flatnonzero(values == text)
    return int(found[0]) if len(found) else -1


def occurrences(groups: np.ndarray) -> np.ndarray:
    """For each position, how many earlier positions hold the same group (0 for the first):
    a stable sort, so linear-log time with no Python loop."""
    if not len(groups):
        return np.zeros(0, dtype=np.int64)
    order = np.argsort(groups, kind="stable")
    ordered = groups[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    first = np.repeat(starts, np.diff(np.r_[starts, len(ordered)]))
    out = np.empty(len(groups), dtype=np.int64)
    out[order] = np.arange(len(groups)) - first
    return out


class Keys:
    """Every line's match key for one or several frames, as integers:

    ``kind`` (0 post, 1 payment), ``has_ref`` (the line has a reference), ``occ`` (an
    unreferenced line's occurrence in its frame, kind, team and title; 0 for a referenced
    one), ``side`` (which frame) and ``key``: one integer per line from 0 to ``size`` - 1,
    equal for two lines exactly when they match (a reference and kind; or a kind, team,
    title and occurrence)."""

    def __init__(self, frames: Sequence[pd.DataFrame]) -> None:
        self.sizes = [len(f) for f in frames]
        self.side = np.repeat(np.arange(len(frames), dtype=np.int64), self.sizes)
        kinds, kind_values = shared_codes([f["kind"] for f in frames])
        self.kind = (np.concatenate(kinds) == _code_of(kind_values, "payment")).astype(np.int64)
        refs, ref_values = shared_codes([f["reference"] for f in frames])
        ref = np.concatenate(refs)
        self.has_ref = (ref >= 0) & (ref != _code_of(ref_values, ""))
        self.key = ref * 2 + self.kind
        self.size = 2 * len(ref_values)
        self.occ = np.zeros(len(ref), dtype=np.int64)
        plain = ~self.has_ref
        if plain.any():
            self._plain(frames, plain)

    def _plain(self, frames: Sequence[pd.DataFrame], plain: np.ndarray) -> None:
        """Keys of the unreferenced lines: kind, team + title, and occurrence."""
        teams, _ = shared_codes([f["team"] for f in frames])
        titles, title_values = shared_codes([f["title"] for f in frames])
        pair = (np.concatenate(teams)[plain] + 1) * (len(title_values) + 1) \
            + np.concatenate(titles)[plain] + 1
        group = pd.factorize(pair * 2 + self.kind[plain])[0].astype(np.int64)
        n_groups = int(group.max()) + 1
        occ = occurrences(self.side[plain] * n_groups + group)
        self.occ[plain] = occ
        dense, distinct = pd.factorize(group * (int(occ.max()) + 1) + occ)
        self.key[plain] = self.size + dense
        self.size += len(distinct)

    def part(self, values: np.ndarray, index: int) -> np.ndarray:
        """The slice of ``values`` (one per line of every frame) for frame ``index``."""
        start = sum(self.sizes[:index])
        return values[start:start + self.sizes[index]]

    def shared_reference(self) -> int | None:
        """The first line whose reference an earlier line of its frame and kind also holds
        (a reference names one line), or None. Counted, not hashed: linear time."""
        rows = np.flatnonzero(self.has_ref)
        value = self.key[rows] * len(self.sizes) + self.side[rows]
        counts = np.bincount(value)
        shared = rows[counts[value] > 1]
        if not len(shared):
            return None
        again = pd.Series(self.key[shared] * len(self.sizes) + self.side[shared]).duplicated()
        return int(shared[np.argmax(again.to_numpy())])

    def match(self, index: int, other: int) -> np.ndarray:
        """For each line of frame ``index``, the position of the line of frame ``other``
        with the same key (-1 when none); keys are unique within a frame (references are
        checked by :meth:`shared_reference`, occurrences are unique by construction)."""
        position = np.full(self.size, -1, dtype=np.int64)
        position[self.part(self.key, other)] = np.arange(self.sizes[other])
        return position[self.part(self.key, index)]


def line_keys(*frames: pd.DataFrame) -> Keys:
    """The match keys of the lines of ``frames`` (each with ``kind``, ``reference``, ``team``
    and ``title`` columns) in one code space."""
    return Keys(frames)


def records_frame(records: Sequence[Any]) -> pd.DataFrame:
    """The columns :func:`line_keys` reads, of records of one kind."""
    return pd.DataFrame({"kind": ["post"] * len(records),
                         "reference": [r.reference for r in records],
                         "team": [r.team for r in records],
                         "title": [r.title for r in records]})


class LineIndex:
    """Live records of one kind (posts, or payments), each findable by the target that names
    it: the keys of :func:`line_keys`, kept as dictionaries so a record established or removed
    part way through a list of changes is found (or not) by the same rule."""

    def __init__(self, records: Sequence[Any]) -> None:
        self.rows: list[Any] = list(records)
        self.refs: dict[str, int] = {}
        self.names: dict[tuple[str, str], list[int]] = {}
        if self.rows:
            keys = line_keys(records_frame(self.rows))
            for i in np.flatnonzero(keys.has_ref).tolist():
                self.refs.setdefault(self.rows[i].reference, i)
            # in the records' order, which is each team and title's occurrence order
            for i in np.flatnonzero(~keys.has_ref).tolist():
                self.names.setdefault((self.rows[i].team, self.rows[i].title), []).append(i)

    def add(self, record: Any) -> int:
        """A new record, at the end: a reference names it (also one whose first holder was
        removed); else it is the next occurrence of its team and title."""
        self.rows.append(record)
        i = len(self.rows) - 1
        if record.reference:
            known = self.refs.get(record.reference)
            if known is None or self.rows[known] is None:
                self.refs[record.reference] = i
        else:
            self.names.setdefault((record.team, record.title), []).append(i)
        return i

    def live_reference(self, reference: str | None) -> bool:
        i = self.refs.get(reference)  # only a reference (never "" or None) is a key
        return i is not None and self.rows[i] is not None

    def find(self, target: Any, what: str) -> int:
        """The row ``target`` names (reference, else team + title + occurrence), or
        :class:`DoesNotFit` saying why."""
        if target.reference:
            i = self.refs.get(target.reference)
            if i is None:
                raise DoesNotFit(f"no {what} with reference {target.reference!r}")
        else:
            i = self._by_name(target, what)
        if self.rows[i] is None:
            raise DoesNotFit(f"{what} {target} was already removed by an earlier change")
        return i

    def _by_name(self, target: Any, what: str) -> int:
        found = self.names.get((target.team, target.title))
        if not found:
            raise DoesNotFit(f"no {what} titled {target.title!r} in team {target.team!r} "
                           f"(without a reference)")
        if target.occurrence is None:
            if len(found) > 1:
                raise DoesNotFit(f"{len(found)} {what}s are titled {target.title!r} in team "
                               f"{target.team!r}; give occurrence (0 = first) or a reference")
            return found[0]
        if target.occurrence >= len(found) or target.occurrence < 0:
            raise DoesNotFit(f"{what} {target} not found: only {len(found)} such rows")
        return found[target.occurrence]

    def live(self) -> list[Any]:
        return [r for r in self.rows if r is not None]
