"""What changes between two structures, post by post, and what each change costs.

``diff(before, after)`` matches the lines of the two structures by the rule of
:mod:`establishment.operations.changes` (reference where a post has one, else team + title, the n-th
unreferenced row of a team and title matching the n-th), then classifies every difference:

- a line only in ``before`` is disestablished, a line only in ``after`` is established;
- a matched pair gives one change per aspect that differs, in this order: regrade (grade, scp,
  explicit cost/salary/range), change fte, end date (make permanent / extend / shorten /
  make temporary), amend (start, status, reports_to, increment date, notes), move team and/or
  retitle (a post with the same reference under a new team or title is the same post), change
  funding. Payments are matched the same way: add, remove or change payment.

Each change has its cost effect (``Diff.effects``; the change records themselves hold no
money): full year and, given a period, in-period. For a pair with
several changes the effects are taken step by step in that order (the regrade costed at the old
fte, then the fte change at the new grade, ...), so they add up, with the established and
disestablished lines, to exactly cost(after) - cost(before): the diff's net total.

The work is vectorised: both structures are frames (:mod:`establishment.model.frame`), matched with
one pandas merge on the match keys, compared column by column and costed by the engine; the
:class:`Change` objects are built only when asked for (``Diff.changes``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal
from functools import cached_property
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from establishment.engine.costing import allowance_line, cost_frame
from establishment.engine.levy_allowance import LevyAllowance
from establishment.engine.matching import Keys, line_keys, shared_codes
from establishment.errors import ValidationError
from establishment.model.frame import FTE_SCALE, exact_fte, posts_from_frame
from establishment.model.funding import add_lines_by_source
from establishment.model.grades import canonical_grades, canonical_names
from establishment.model.money import MoneyUnit, pence_to_pounds
from establishment.model.pay_basis import PayBasis, resolve_basis
from establishment.model.vocabulary import END_KINDS, ChangeKind, RegradeKind
from establishment.operations.changes import (
    AddPayment,
    Amend,
    Change,
    ChangeEffect,
    ChangeEnd,
    ChangeFte,
    ChangeFunding,
    ChangePayment,
    Disestablish,
    Establish,
    MakePermanent,
    Move,
    Regrade,
    RemovePayment,
    Target,
    apply_changes,
    end_kind,
)

if TYPE_CHECKING:
    from establishment.model.structure import Structure

# records as views of their fields, for reading only (the change table)
LIGHT = {"post": SimpleNamespace, "payment": SimpleNamespace}
# the aspects of a matched post, in the order their cost effects are taken
STEPS: list[tuple[str, list[str]]] = [
    ("regrade", ["grade", "scp", "cost_per_fte_pence", "salary_pence", "salary_min_pence",
                 "salary_max_pence", "unpriced"]),
    ("change fte", ["fte_e4", "fte_num", "fte_den", "hours_e6", "headcount",
                    "annual_hours_e6"]),
    ("end", ["end"]),
    ("amend", ["start", "status", "reports_to", "increment_date", "notes"]),
    ("move", ["team", "title"]),
    ("change funding", ["funding"]),
]
PAYMENT_COLUMNS = ["title", "team", "cost_per_fte_pence", "per", "funding", "start", "end",
                   "notes"]
RANK = {"disestablish": 0, "remove payment": 0, **{name: i + 1 for i, (name, _) in
                                                   enumerate(STEPS)},
        **dict.fromkeys(END_KINDS, 3), "change payment": 1, "establish": 9, "add payment": 9}


def regrade_kind(old_grade: str, new_grade: str, old_scp: object = None,
                 new_scp: object = None, basis: PayBasis | None = None) -> RegradeKind:
    """What a change of a post's pay is called: ``"regrade"`` when its grade (or point)
    changes, ``"pay range"`` when the grade and point stay and only the pay changes (a new
    published range, salary or cost, or pay becoming disclosed). The one classifier: the
    change table, the totals by kind and the organogram tables all use it. Given the
    ``basis``, grades are compared by canonical name ("Band D" is "Hay Band D"), as the diff
    compares them."""
    if basis is not None and old_grade != new_grade:
        names = canonical_names([old_grade, new_grade], basis)
        old_grade, new_grade = names.get(old_grade, old_grade), names.get(new_grade, new_grade)
    if old_grade == new_grade and old_scp == new_scp:
        return "pay range"
    return "regrade"


def _refuse_shared_references(keys: Keys, before: pd.DataFrame, after: pd.DataFrame) -> None:
    """A reference names one line: two lines of one kind sharing it on one side would each
    match both lines of the other side (a cross product: a structure's diff with itself not
    empty, a net effect that is not cost(after) - cost(before)). Posts are checked by
    Structure; payments, and frames given directly, are checked here."""
    first = keys.shared_reference()
    if first is None:
        return
    side = int(keys.side[first])
    frame = before if side == 0 else after
    row = first - (len(before) if side else 0)
    raise ValidationError("reference", f"unique among the {frame['kind'].iloc[row]} lines of "
                          f"each structure, to match lines by it", frame["reference"].iloc[row],
                          record=f"diff: {'after' if side else 'before'}")


def _is_text(column: pd.Series) -> bool:
    return column.dtype == object or isinstance(column.dtype, (pd.CategoricalDtype,
                                                               pd.StringDtype))


def _column_differs(before: pd.Series, after: pd.Series, b: np.ndarray, a: np.ndarray,
                    basis: PayBasis) -> np.ndarray:
    """True where a column's value at before's rows ``b`` differs from after's at ``a``, as
    the diff compares them: grades by canonical name ("Band D" to "Hay Band D" is a spelling,
    not a change). Categorical columns (and grades) are compared through integer codes, so no
    per-row text is made; others value by value at the rows asked for."""
    grade = before.name == "grade"
    categorical = isinstance(before.dtype, pd.CategoricalDtype) and \
        isinstance(after.dtype, pd.CategoricalDtype)
    if _is_text(before) and _is_text(after) and (grade or categorical):
        transform = (lambda values: canonical_grades(values, basis)) if grade else None
        (x, y), _ = shared_codes([before, after], transform)
        return x[b] != y[a]
    if isinstance(before.dtype, pd.StringDtype) or isinstance(after.dtype, pd.StringDtype):
        x, y = before.iloc[b].array, after.iloc[a].array
        missing_x, missing_y = np.asarray(x.isna()), np.asarray(y.isna())
        different = x != y if x.dtype == y.dtype else x.astype(object) != y.astype(object)
        # values compared only where both sides have one: a missing value is NA in one
        # string dtype and NaN (unequal to itself) in pandas' "str"
        return (np.asarray(pd.Series(different).fillna(False), dtype=bool)
                & ~(missing_x | missing_y)) | (missing_x != missing_y)
    return _differs(before.to_numpy()[b], after.to_numpy()[a])


def _common_categories(before: pd.DataFrame, after: pd.DataFrame
                       ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The two frames with each categorical column on the union of both sides' categories,
    so a value of after's can be set into a row of before's (recoding, no text made); a
    column categorical on one side only becomes object on both."""
    for column in before.columns:
        x, y = before[column], after[column]
        kinds = isinstance(x.dtype, pd.CategoricalDtype), isinstance(y.dtype, pd.CategoricalDtype)
        if all(kinds):
            union = x.cat.categories.union(y.cat.categories, sort=False)
            before[column] = x.cat.set_categories(union)
            after[column] = y.cat.set_categories(union)
        elif any(kinds):
            before[column], after[column] = x.astype(object), y.astype(object)
    return before, after


EXACT_FTE = ("fte_num", "fte_den")


def _fte_differs(before: pd.DataFrame, after: pd.DataFrame, mb: np.ndarray, ma: np.ndarray
                 ) -> np.ndarray:
    """Matched lines whose exact fte differs (costed frames: posts in hours resolved)."""
    nb, db = exact_fte(before)
    na, da = exact_fte(after)
    x, y = nb[mb], na[ma]
    widest = max(int(np.abs(x).max(initial=0)), int(np.abs(y).max(initial=0)))
    if widest * max(db, da) >= 2 ** 62:
        x, y = x.astype(object), y.astype(object)
    return np.asarray(x * da != y * db, dtype=bool)


def _differs(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    if np.issubdtype(x.dtype, np.datetime64):
        return (x != y) & ~(np.isnat(x) & np.isnat(y))
    return np.asarray(x != y, dtype=bool)


def _as_frame(value: Structure | pd.DataFrame) -> tuple[pd.DataFrame, Structure | None]:
    if isinstance(value, pd.DataFrame):
        return value.reset_index(drop=True), None
    # the class, not the value: reading ``posts`` would make a frame-backed structure's Posts
    if callable(getattr(value, "to_frame", None)) and hasattr(type(value), "posts"):
        return value.to_frame(), value
    raise ValidationError("structure", "a Structure or a frame of its lines (to_frame())",
                          type(value).__name__)


class Diff:
    """Every change between two structures, with cost effects and a net total.

    ``frame`` has one row per change (``kind``, ``before``/``after`` row numbers, -1 when none,
    ``full_year`` and optionally ``period`` effects as the engine's integers in the basis's
    unit, :attr:`unit`); ``changes`` gives the
    :class:`~establishment.operations.changes.Change` records (built on first use) and
    ``effects`` each with its cost (:class:`~establishment.operations.changes.ChangeEffect`).
    Every
    figure in pounds comes through :attr:`unit` (whole pounds, or pence under ``round_to =
    "penny"``). Under a basis that declares the whole pay bill, each side's levy allowance
    line (``allowances``: before, after) is part of its total and its change part of the net.
    """

    def __init__(self, frame: pd.DataFrame, before: pd.DataFrame, after: pd.DataFrame,
                 before_structure: Any, after_structure: Any, basis: PayBasis,
                 period: tuple[dt.date, dt.date] | None, before_occ: np.ndarray,
                 allowances: tuple[LevyAllowance | None, LevyAllowance | None] = (None, None)
                 ) -> None:
        self.frame = frame
        self.before_lines = before
        self.after_lines = after
        self.before_structure = before_structure
        self.after_structure = after_structure
        self.basis = basis
        self.period = period
        self.allowances = allowances
        self._before_occ = before_occ

    @cached_property
    def unit(self) -> MoneyUnit:
        """The unit of the frame's effects (the basis's): the one conversion to pounds."""
        return self.basis.unit

    def __len__(self) -> int:
        return len(self.frame)

    def __iter__(self) -> Iterator[Change]:
        return iter(self.changes)

    def __bool__(self) -> bool:
        return len(self.frame) > 0

    def __repr__(self) -> str:
        return f"<Diff {len(self)} changes, net full year {self.net_full_year}>"

    def allowance_change(self, column: str = "full_year") -> Decimal:
        """The change in the levy allowance line (after minus before; 0 unless the basis
        declares the whole pay bill)."""
        before, after = (Decimal(0) if a is None else getattr(a, column) or Decimal(0)
                         for a in self.allowances)
        return after - before

    @property
    def net_full_year(self) -> Decimal:
        """cost(after) - cost(before), full year, in pounds (at the basis's unit)."""
        return self.unit.total(self.frame["full_year"]) + self.allowance_change()

    @property
    def net_period(self) -> Decimal:
        """cost(after) - cost(before) over the period, in pounds. Asking without a period is
        an error, not 0, so an in-period figure is never shown for a diff costed without one."""
        if self.period is None:
            raise ValidationError("period", "given to diff() (diff(before, after, basis, "
                                  "period=(start, end)))", None)
        return self.unit.total(self.frame["period"]) + self.allowance_change("period")

    @property
    def before_full_year(self) -> Decimal:
        """cost(before), full year, in pounds (the levy allowance line included)."""
        allowance = self.allowances[0]
        return self.unit.total(self.before_lines["full_year"]) + (
            allowance.full_year if allowance else 0)

    @property
    def after_full_year(self) -> Decimal:
        """cost(after), full year, in pounds (the levy allowance line included)."""
        allowance = self.allowances[1]
        return self.unit.total(self.after_lines["full_year"]) + (
            allowance.full_year if allowance else 0)

    @property
    def fte_change(self) -> Decimal:
        posts = [f.loc[(f["kind"] == "post") & f["in_force"], "fte_e4"].sum()
                 for f in (self.before_lines, self.after_lines)]
        return Decimal(int(posts[1] - posts[0])) / FTE_SCALE

    def counts(self) -> dict[str, int]:
        """Number of changes of each kind."""
        return {k: int(v) for k, v in self.frame["kind"].value_counts(sort=False).items()}

    def by_funding(self) -> pd.DataFrame:
        """Change in full-year cost per funding source (after minus before), each line split
        across its shares at the basis's unit by largest remainder, so sources add up to the
        lines' net (the levy allowance, a line of the whole pay bill, is no source's)."""
        totals: dict[str, int] = {}
        for sign, lines in ((-1, self.before_lines), (1, self.after_lines)):
            add_lines_by_source(totals, lines["funding"], lines["full_year"], sign,
                                pence_per_unit=self.unit.pence)
        return pd.DataFrame({"full_year": {k: pence_to_pounds(v) for k, v in totals.items()}})

    @cached_property
    def _kinds(self) -> dict[str, np.ndarray]:
        return {"before": self.before_lines["kind"].to_numpy(dtype=object),
                "after": self.after_lines["kind"].to_numpy(dtype=object)}

    @cached_property
    def _payment_offset(self) -> dict[str, np.ndarray]:
        """For each line, its position among the lines of its own kind."""
        out = {}
        for side, kinds in self._kinds.items():
            is_post = kinds == "post"
            out[side] = np.where(is_post, np.cumsum(is_post) - 1, np.cumsum(~is_post) - 1)
        return out

    def _fetch(self, light: bool) -> dict[str, dict[int, Any]]:
        """The records the changes name, made at once from the lines of a side held only as a
        frame (a frame-backed structure's Posts are not all made for a diff of a few);
        ``light``: views of their fields, not validated records (for the change table)."""
        out: dict[str, dict[int, Any]] = {}
        for side in ("before", "after"):
            structure = self.before_structure if side == "before" else self.after_structure
            out[side] = {}
            if structure is not None and not getattr(structure, "frame_backed", False):
                continue
            wanted = np.unique(self.frame[side].to_numpy())
            wanted = wanted[wanted >= 0].tolist()
            lines = (self.before_lines if side == "before" else self.after_lines).iloc[wanted]
            posts, payments = posts_from_frame(lines, **(LIGHT if light else {}))
            records = iter(posts), iter(payments)
            kinds = lines["kind"].to_numpy(dtype=object)
            out[side] = {i: next(records[kind == "payment"]) for i, kind in zip(wanted, kinds)}
        return out

    @cached_property
    def _fetched(self) -> dict[str, dict[int, Any]]:
        return self._fetch(light=False)

    @cached_property
    def _viewed(self) -> dict[str, dict[int, Any]]:
        return self._fetch(light=True)

    def _record(self, side: str, index: int, light: bool = False) -> Any:
        """The record of line ``index`` of a side: made from the frame (:meth:`_fetch`), or
        the structure's own when it holds its records (every line a change names is in one
        or the other)."""
        found = (self._viewed if light else self._fetched)[side].get(index)
        if found is not None:
            return found
        structure = self.before_structure if side == "before" else self.after_structure
        position = int(self._payment_offset[side][index])
        if self._kinds[side][index] == "post":
            return structure.posts[position]
        return structure.payments[position]

    def _each_change(self, light: bool) -> Iterator[tuple[Any, Change]]:
        """Each row of the frame with its Change (its kind as :meth:`kinds` names it)."""
        occ = self._before_occ
        for row, kind in zip(self.frame.itertuples(index=False), self.kinds()):
            yield row, self._change(row.kind, int(row.before), int(row.after),
                                    occ[int(row.before)] if row.before >= 0 else None, kind,
                                    light)

    @cached_property
    def changes(self) -> tuple[Change, ...]:
        """The Change records, in order (what each does; no money: see :attr:`effects`)."""
        return tuple(change for _, change in self._each_change(light=False))

    @cached_property
    def effects(self) -> tuple[ChangeEffect, ...]:
        """Each change with its cost effect (:class:`ChangeEffect`: full year and, given a
        period, in-period, in pounds at the basis's unit), in the order of :attr:`changes`;
        with the levy allowance's change (whole pay bill) they add up to the net."""
        has_period = "period" in self.frame
        return tuple(ChangeEffect(change, self.unit.pounds(row.full_year),
                                  self.unit.pounds(row.period) if has_period else None)
                     for row, change in zip(self.frame.itertuples(index=False), self.changes))

    def described(self) -> list[tuple[str, str, str]]:
        """Each change's kind, post and what it does, as its Change says them
        (``kind``, ``label``, ``describe()``), for the change table: made from light views of
        the lines, so a frame-backed diff of 100,000 changes validates no record for it."""
        titles = {side: lines["title"].to_numpy(dtype=object) for side, lines in
                  (("before", self.before_lines), ("after", self.after_lines))}
        out = []
        for row, change in self._each_change(light=True):
            side, at = ("after", int(row.after)) if row.after >= 0 else \
                ("before", int(row.before))
            out.append((change.kind, change.label,
                        _named(change.describe(), change.label, titles[side][at])))
        return out

    def _change(self, kind: str, b: int, a: int, occ: int | None, shown: str,
                light: bool = False) -> Change:
        old = self._record("before", b, light) if b >= 0 else None
        new = self._record("after", a, light) if a >= 0 else None
        target = Target.of(old, occ) if old is not None else None
        if kind in END_KINDS:
            if new.end is None:
                return MakePermanent(target)
            return ChangeEnd(target, new.end, kind=end_kind(old.end, new.end))
        if kind == "regrade":
            return _regrade(target, new, shown)
        build = CHANGE_BUILDERS.get(kind)
        if build is None:
            raise ValueError(f"unknown change kind {kind!r}")
        return build(target, old, new)

    def kinds(self) -> list[ChangeKind]:
        """The kind of each change as a table shows it, the same as each Change's ``kind``
        (end dates and moves named precisely: "move team", "retitle" or both), worked out from
        the frames so a summary of a large diff need not build every Change object."""
        kinds = self.frame["kind"].to_numpy(dtype=object).copy()
        regrades = np.flatnonzero(kinds == "regrade")
        if len(regrades):  # grades by canonical name, resolved once per distinct name
            b = self.frame["before"].to_numpy()[regrades]
            a = self.frame["after"].to_numpy()[regrades]
            before, after = self.before_lines, self.after_lines
            same = (canonical_grades(before["grade"].iloc[b], self.basis)
                    == canonical_grades(after["grade"].iloc[a], self.basis)) & \
                (before["scp"].to_numpy()[b] == after["scp"].to_numpy()[a])
            kinds[regrades] = np.where(same, "pay range", "regrade")
        moves = np.flatnonzero(kinds == "move")
        if len(moves):
            b = self.frame["before"].to_numpy()[moves]
            a = self.frame["after"].to_numpy()[moves]
            team = _differs(self.before_lines["team"].iloc[b].to_numpy(dtype=object),
                            self.after_lines["team"].iloc[a].to_numpy(dtype=object))
            title = _differs(self.before_lines["title"].iloc[b].to_numpy(dtype=object),
                             self.after_lines["title"].iloc[a].to_numpy(dtype=object))
            kinds[moves] = np.where(team & title, "move team and retitle",
                                    np.where(title, "retitle", "move team"))
        return list(kinds)

    def apply_to(self, structure: Any) -> Any:
        """``structure`` with these changes, lines in the order of ``after``, and after's name
        and description (see ``Structure.apply``)."""
        result = apply_changes(structure, self.changes)
        return self._reorder(result)

    def _reorder(self, result: Any) -> Any:
        frame = result.to_frame()
        keys = line_keys(self.after_lines, frame)
        position = keys.match(1, 0)
        order = np.where(position >= 0, position, len(self.after_lines)
                         + np.arange(len(frame))).tolist()
        n_posts = len(result.posts)
        post_order = sorted(range(n_posts), key=lambda i: order[i])
        pay_order = sorted(range(len(result.payments)), key=lambda i: order[n_posts + i])
        changes: dict[str, Any] = {"posts": [result.posts[i] for i in post_order],
                                   "payments": [result.payments[i] for i in pay_order]}
        if self.after_structure is not None:
            changes["name"] = self.after_structure.name
            changes["description"] = self.after_structure.description
        return result.evolve(**changes)


def _named(text: str, label: str, title: Any) -> str:
    """A change's description naming its post by title as well as reference
    ("disestablish Commissioning Manager (CCM)"), so a reader need not look the code up."""
    if not label or not isinstance(title, str) or not title or title == label \
            or title in text:
        return text
    return text.replace(label, f"{title} ({label})", 1)


def _amend(target: Target, old: Any, new: Any) -> Amend:
    fields = {f: getattr(new, f) for f in ("start", "status", "reports_to", "increment_date",
                                           "notes")
              if getattr(new, f) != getattr(old, f)}
    return Amend(target, fields)


def _regrade(target: Target, new: Any, kind: str) -> Change:
    """A regrade to the pay of line ``new``, named ``kind`` ("regrade" or "pay range", as
    :meth:`Diff.kinds` names it by the one classifier, grades by canonical name)."""
    return Regrade(target, new.grade, new.scp, new.cost_per_fte, new.salary, new.salary_min,
                   new.salary_max, unpriced=new.unpriced, kind=kind)


# how each kind of change is made from its target and the old and new lines (a regrade and an
# end date by Diff._change, which names their kind)
CHANGE_BUILDERS: dict[str, Callable[[Target, Any, Any], Change]] = {
    "establish": lambda target, old, new: Establish(new),
    "add payment": lambda target, old, new: AddPayment(new),
    "disestablish": lambda target, old, new: Disestablish(target),
    "remove payment": lambda target, old, new: RemovePayment(target),
    "change payment": lambda target, old, new: ChangePayment(target, new),
    "change fte": lambda target, old, new: ChangeFte(target, new.fte, hours=new.hours),
    "amend": _amend,
    "move": lambda target, old, new: Move(target, new.team if new.team != old.team else None,
                                          new.title if new.title != old.title else None),
    "change funding": lambda target, old, new: ChangeFunding(target, new.funding),
}


def _cost(frame: pd.DataFrame, basis: PayBasis,
          period: tuple[dt.date, dt.date] | None) -> pd.DataFrame:
    costed, _ = cost_frame(frame, basis, period=period)
    return costed


def _cost_side(frame: pd.DataFrame, basis: PayBasis, period: tuple[dt.date, dt.date] | None
               ) -> tuple[pd.DataFrame, LevyAllowance | None]:
    """One side of a diff costed, with its levy allowance line (whole pay bill only)."""
    costed, units = cost_frame(frame, basis, period=period)
    return costed, allowance_line(costed, units, basis, period)


class _Pieces:
    """The rows of a diff's frame, gathered kind by kind (see :func:`diff`)."""

    def __init__(self, before: pd.DataFrame, after: pd.DataFrame, b_lines: pd.DataFrame,
                 a_lines: pd.DataFrame, basis: PayBasis,
                 period: tuple[dt.date, dt.date] | None) -> None:
        self.before, self.after = before, after
        self.b_lines, self.a_lines = b_lines, a_lines
        self.basis, self.period = basis, period
        self.values = ["full_year"] + (["period"] if period is not None else [])
        self.pieces: list[pd.DataFrame] = []

    def add(self, kind: str | np.ndarray, b: np.ndarray, a: np.ndarray,
            effects: dict[str, np.ndarray]) -> None:
        if len(b):
            self.pieces.append(pd.DataFrame({"kind": kind, "before": b, "after": a, **effects}))

    def removed(self, rows: np.ndarray, is_payment: np.ndarray) -> None:
        """Lines only in before (disestablished, removed): minus their whole cost."""
        for mask, kind in ((~is_payment, "disestablish"), (is_payment, "remove payment")):
            gone = rows[mask]
            self.add(kind, gone, np.full(len(gone), -1),
                     {c: -self.b_lines[c].to_numpy()[gone] for c in self.values})

    def added(self, rows: np.ndarray, is_payment: np.ndarray) -> None:
        """Lines only in after (established, added): their whole cost."""
        for mask, kind in ((~is_payment, "establish"), (is_payment, "add payment")):
            new = rows[mask]
            self.add(kind, np.full(len(new), -1), new,
                     {c: self.a_lines[c].to_numpy()[new] for c in self.values})

    def payments(self, pb: np.ndarray, pa: np.ndarray) -> None:
        """Matched payments: one "change payment" when anything differs."""
        if not len(pb):
            return
        changed = np.zeros(len(pb), dtype=bool)
        for column in PAYMENT_COLUMNS:
            changed |= _column_differs(self.before[column], self.after[column], pb, pa,
                                       self.basis)
        pb, pa = pb[changed], pa[changed]
        self.add("change payment", pb, pa, {c: self.a_lines[c].to_numpy()[pa]
                                            - self.b_lines[c].to_numpy()[pb]
                                            for c in self.values})

    def posts(self, mb: np.ndarray, ma: np.ndarray) -> None:
        """Matched posts: one change per aspect that differs, costed step by step."""
        flags = {}
        for name, columns in STEPS:
            flag = np.zeros(len(mb), dtype=bool)
            for column in columns:
                if column in EXACT_FTE:  # compared as fractions (frames differ in denominator)
                    continue
                flag |= _column_differs(self.before[column], self.after[column], mb, ma,
                                        self.basis)
            if name == "change fte":
                flag |= _fte_differs(self.b_lines, self.a_lines, mb, ma)
            flags[name] = flag
        any_change = np.logical_or.reduce(list(flags.values()))
        mb, ma = mb[any_change], ma[any_change]
        flags = {k: v[any_change] for k, v in flags.items()}
        previous = {c: self.b_lines[c].to_numpy()[mb] for c in self.values}
        state, after_rows = _common_categories(self.before.iloc[mb].reset_index(drop=True),
                                               self.after.iloc[ma].reset_index(drop=True))
        for name, columns in STEPS:
            flag = flags[name]
            previous, effects = self._step(name, columns, flag, state, after_rows, previous, ma)
            self.add(self._kind(name, mb[flag], ma[flag]), mb[flag], ma[flag], effects)
        if len(mb):  # anything left between the last costed state and after (none by design)
            rest = {c: self.a_lines[c].to_numpy()[ma] - previous[c] for c in self.values}
            if any(r.any() for r in rest.values()):
                raise AssertionError("diff cost effects do not add up")  # pragma: no cover

    def _step(self, name: str, columns: list[str], flag: np.ndarray, state: pd.DataFrame,
              after_rows: pd.DataFrame, previous: dict[str, np.ndarray], ma: np.ndarray
              ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
        """One aspect's cost effects: the lines with this aspect moved to after's, costed,
        minus the state before it. Returns the new state's costs and the effects."""
        if name not in COST_STEPS or not flag.any():
            return previous, {c: np.zeros(int(flag.sum()), dtype=np.int64) for c in self.values}
        state.loc[flag, columns] = after_rows.loc[flag, columns]
        if name == "amend":  # the last step that moves cost: the after line itself
            current = {c: self.a_lines[c].to_numpy()[ma] for c in self.values}
        else:
            sub = _cost(state.loc[flag].reset_index(drop=True), self.basis, self.period)
            current = {c: previous[c].copy() for c in self.values}
            for c in self.values:
                current[c][flag] = sub[c].to_numpy()
        return current, {c: (current[c] - previous[c])[flag] for c in self.values}

    def _kind(self, name: str, b: np.ndarray, a: np.ndarray) -> str | np.ndarray:
        if name != "end":
            return name
        old_end = self.before["end"].to_numpy()[b]
        new_end = self.after["end"].to_numpy()[a]
        return np.where(np.isnat(new_end), "make permanent",
                        np.where(np.isnat(old_end), "make temporary",
                                 np.where(new_end > old_end, "extend temporary",
                                          "shorten temporary"))).astype(object)

    def frame(self) -> pd.DataFrame:
        """Every change, in the order of the before lines (then the added ones), each line's
        changes in ``RANK`` order."""
        if self.pieces:
            frame = pd.concat(self.pieces, ignore_index=True)
        else:
            frame = pd.DataFrame({"kind": pd.Series(dtype=object),
                                  "before": np.zeros(0, np.int64),
                                  "after": np.zeros(0, np.int64),
                                  **{c: np.zeros(0, np.int64) for c in self.values}})
        position = np.where(frame["before"].to_numpy() >= 0, frame["before"].to_numpy(),
                            len(self.before) + frame["after"].to_numpy())
        rank = frame["kind"].map(RANK).to_numpy()
        frame = frame.iloc[np.lexsort((rank, position))].reset_index(drop=True)
        for c in self.values:
            frame[c] = frame[c].astype(np.int64)
        return frame


COST_STEPS = ("regrade", "change fte", "end", "amend")


def diff(before: Any, after: Any, basis: PayBasis | None = None, *,
         period: tuple[dt.date, dt.date] | None = None) -> Diff:
    """Every change from ``before`` to ``after`` (Structures, or frames from
    ``Structure.to_frame()``), costed on ``basis`` (:func:`resolve_basis`), with in-period
    effects when ``period`` is given."""
    basis = resolve_basis(basis)
    before_frame, before_structure = _as_frame(before)
    after_frame, after_structure = _as_frame(after)
    b_lines, b_allowance = _cost_side(before_frame, basis, period)
    a_lines, a_allowance = _cost_side(after_frame, basis, period)
    keys = line_keys(before_frame, after_frame)
    _refuse_shared_references(keys, before_frame, after_frame)
    after_of = keys.match(0, 1)
    matched = np.zeros(len(after_frame), dtype=bool)
    matched[after_of[after_of >= 0]] = True
    b_payment, a_payment = keys.part(keys.kind, 0) == 1, keys.part(keys.kind, 1) == 1
    pieces = _Pieces(before_frame, after_frame, b_lines, a_lines, basis, period)
    gone = np.flatnonzero(after_of < 0)
    pieces.removed(gone, b_payment[gone])
    both = np.flatnonzero(after_of >= 0)
    paid = b_payment[both]
    pieces.payments(both[paid], after_of[both[paid]])
    pieces.posts(both[~paid], after_of[both[~paid]])
    new = np.flatnonzero(~matched)
    pieces.added(new, a_payment[new])
    return Diff(pieces.frame(), b_lines, a_lines, before_structure, after_structure, basis,
                period, keys.part(keys.occ, 0), (b_allowance, a_allowance))
