"""What changes between two structures, post by post, and what each change costs.

``diff(before, after)`` matches the lines of the two structures by the rule of
:mod:`establishment.changes` (reference where a post has one, else team + title, the n-th
unreferenced row of a team and title matching the n-th), then classifies every difference:

- a line only in ``before`` is disestablished, a line only in ``after`` is established;
- a matched pair gives one change per aspect that differs, in this order: regrade (grade, scp,
  explicit cost/salary/range), change fte, end date (make permanent / extend / shorten /
  make temporary), amend (start, status, reports_to, increment date, notes), move team and/or
  retitle (a post with the same reference under a new team or title is the same post), change
  funding. Payments are matched the same way: add, remove or change payment.

Each change carries its cost effect: full year and, given a period, in-period. For a pair with
several changes the effects are taken step by step in that order (the regrade costed at the old
fte, then the fte change at the new grade, ...), so they add up, with the established and
disestablished lines, to exactly cost(after) - cost(before): the diff's net total.

The work is vectorised: both structures are frames (:mod:`establishment.frame`), matched with
one pandas merge on the match keys, compared column by column and costed by the engine; the
:class:`Change` objects are built only when asked for (``Diff.changes``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from establishment.changes import (
    AddPayment,
    Amend,
    Change,
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
from establishment.costing import cost_frame
from establishment.errors import ValidationError
from establishment.frame import FTE_SCALE, exact_fte, posts_from_frame
from establishment.funding import add_lines_by_source
from establishment.grades import canonical_grades, canonical_names
from establishment.pay_basis import PayBasis, resolve_basis

if TYPE_CHECKING:
    from establishment.structure import Structure

# the aspects of a matched post, in the order their cost effects are taken
STEPS: list[tuple[str, list[str]]] = [
    ("regrade", ["grade", "scp", "cost_per_fte_pence", "salary_pence", "salary_min_pence",
                 "salary_max_pence", "unpriced"]),
    ("change fte", ["fte_e4", "fte_num", "fte_den", "hours_e6", "headcount"]),
    ("end", ["end"]),
    ("amend", ["start", "status", "reports_to", "increment_date", "notes"]),
    ("move", ["team", "title"]),
    ("change funding", ["funding"]),
]
PAYMENT_COLUMNS = ["title", "team", "cost_per_fte_pence", "per", "funding", "start", "end",
                   "notes"]
END_KINDS = ("make permanent", "make temporary", "extend temporary", "shorten temporary")
RANK = {"disestablish": 0, "remove payment": 0, **{name: i + 1 for i, (name, _) in
                                                   enumerate(STEPS)},
        **dict.fromkeys(END_KINDS, 3), "change payment": 1, "establish": 9, "add payment": 9}
KEY = ["kind", "ref", "team_key", "title_key", "occ"]


def regrade_kind(old_grade: str, new_grade: str, old_scp: object = None,
                 new_scp: object = None, basis: PayBasis | None = None) -> str:
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


def match_keys(frame: pd.DataFrame) -> pd.DataFrame:
    """The match key of every line: (kind, reference) for referenced lines, else
    (kind, team, title, occurrence among unreferenced lines with that team and title)."""
    ref = frame["reference"]
    has_ref = ref.notna().to_numpy() & (ref.fillna("").to_numpy(dtype=object) != "")
    keys = pd.DataFrame({
        "kind": frame["kind"].to_numpy(),
        "ref": np.where(has_ref, ref.to_numpy(), ""),
        "team_key": np.where(has_ref, "", frame["team"].to_numpy()),
        "title_key": np.where(has_ref, "", frame["title"].to_numpy()),
    })
    keys["occ"] = keys.groupby(["kind", "ref", "team_key", "title_key"], sort=False).cumcount()
    return keys


def joint_keys(before: pd.DataFrame, after: pd.DataFrame) -> tuple[pd.DataFrame,
                                                                 pd.DataFrame]:
    """Integer match keys for both frames at once (fast to merge on): ``kind`` (0 post,
    1 payment), ``ref`` (a code per reference, -1 none), ``group`` (a code per team + title of
    an unreferenced line, -1 for referenced lines) and ``occ`` (its occurrence within its
    frame, kind and group)."""
    n = len(before)
    both = pd.concat([before[["kind", "reference", "team", "title"]],
                      after[["kind", "reference", "team", "title"]]], ignore_index=True)
    ref = both["reference"].to_numpy(dtype=object)
    has_ref = pd.notna(ref)
    has_ref[has_ref] = ref[has_ref] != ""
    kind = (both["kind"].to_numpy() == "payment").astype(np.int64)
    ref_code = np.full(len(both), -1, dtype=np.int64)
    ref_code[has_ref] = pd.factorize(ref[has_ref])[0]
    group = np.full(len(both), -1, dtype=np.int64)
    plain = ~has_ref
    if plain.any():
        team = pd.factorize(both["team"].to_numpy()[plain])[0].astype(np.int64)
        title, titles = pd.factorize(both["title"].to_numpy()[plain])
        group[plain] = team * max(len(titles), 1) + title
    side = np.zeros(len(both), dtype=np.int64)
    side[n:] = 1
    occ = np.zeros(len(both), dtype=np.int64)
    if plain.any():
        cells = pd.DataFrame({"s": side[plain], "k": kind[plain], "g": group[plain]})
        occ[plain] = cells.groupby(["s", "k", "g"], sort=False).cumcount().to_numpy()
    keys = pd.DataFrame({"kind": kind, "ref": ref_code, "group": group, "occ": occ})
    _refuse_shared_references(keys, side, ref, both["kind"].to_numpy())
    return keys.iloc[:n].reset_index(drop=True), keys.iloc[n:].reset_index(drop=True)


def _refuse_shared_references(keys: pd.DataFrame, side: np.ndarray, ref: np.ndarray,
                              kind: np.ndarray) -> None:
    """A reference names one line: two lines of one kind sharing it on one side would each
    match both lines of the other side (a cross product: a structure's diff with itself not
    empty, a net effect that is not cost(after) - cost(before)). Posts are checked by
    Structure; payments, and frames given directly, are checked here."""
    referenced = keys["ref"].to_numpy() >= 0
    if not referenced.any():
        return
    cells = pd.DataFrame({"s": side[referenced], "k": keys["kind"].to_numpy()[referenced],
                          "r": keys["ref"].to_numpy()[referenced]})
    shared = cells.duplicated(keep="first").to_numpy()
    if shared.any():
        first = int(np.flatnonzero(referenced)[np.argmax(shared)])
        which = "before" if side[first] == 0 else "after"
        raise ValidationError("reference", f"unique among the {kind[first]} lines of each "
                              f"structure, to match lines by it", ref[first],
                              record=f"diff: {which}")


def _compared(frame: pd.DataFrame, column: str, rows: np.ndarray, basis: PayBasis
              ) -> np.ndarray:
    """The values of ``column`` at ``rows`` as the diff compares them: grades by canonical
    name, so "Band D" to "Hay Band D" (a spelling) is no change."""
    values = frame[column].to_numpy()[rows]
    return canonical_grades(values, basis) if column == "grade" else values


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
    ``full_year`` and optionally ``period`` effects in whole pounds); ``changes`` gives the
    :class:`~establishment.changes.Change` objects (built on first use).
    """

    def __init__(self, frame: pd.DataFrame, before: pd.DataFrame, after: pd.DataFrame,
                 before_structure: Any, after_structure: Any, basis: PayBasis,
                 period: tuple[dt.date, dt.date] | None, before_occ: np.ndarray) -> None:
        self.frame = frame
        self.before_lines = before
        self.after_lines = after
        self.before_structure = before_structure
        self.after_structure = after_structure
        self.basis = basis
        self.period = period
        self._before_occ = before_occ

    def __len__(self) -> int:
        return len(self.frame)

    def __iter__(self) -> Iterator[Change]:
        return iter(self.changes)

    def __bool__(self) -> bool:
        return len(self.frame) > 0

    def __repr__(self) -> str:
        return f"<Diff {len(self)} changes, net full year {self.net_full_year}>"

    @property
    def net_full_year(self) -> Decimal:
        """cost(after) - cost(before), full year, whole pounds."""
        return Decimal(int(self.frame["full_year"].sum()))

    @property
    def net_period(self) -> Decimal:
        """cost(after) - cost(before) over the period, whole pounds. Asking without a period is
        an error, not 0, so an in-period figure is never shown for a diff costed without one."""
        if self.period is None:
            raise ValidationError("period", "given to diff() (diff(before, after, basis, "
                                  "period=(start, end)))", None)
        return Decimal(int(self.frame["period"].sum()))

    @property
    def before_full_year(self) -> Decimal:
        return Decimal(int(self.before_lines["full_year"].sum()))

    @property
    def after_full_year(self) -> Decimal:
        return Decimal(int(self.after_lines["full_year"].sum()))

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
        across its shares in whole pounds by largest remainder, so sources add up to the net
        total."""
        totals: dict[str, int] = {}
        for sign, lines in ((-1, self.before_lines), (1, self.after_lines)):
            add_lines_by_source(totals, lines["funding"], lines["full_year"], sign)
        return pd.DataFrame({"full_year": {k: Decimal(v) / 100 for k, v in totals.items()}})

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

    @cached_property
    def _fetched(self) -> dict[str, dict[int, Any]]:
        """The records the changes name, made at once from the lines of a side held only as a
        frame (a frame-backed structure's Posts are not all made for a diff of a few)."""
        out: dict[str, dict[int, Any]] = {}
        for side in ("before", "after"):
            structure = self.before_structure if side == "before" else self.after_structure
            out[side] = {}
            if structure is not None and not getattr(structure, "frame_backed", False):
                continue
            wanted = np.unique(self.frame[side].to_numpy())
            wanted = wanted[wanted >= 0].tolist()
            lines = (self.before_lines if side == "before" else self.after_lines).iloc[wanted]
            posts, payments = posts_from_frame(lines)
            records = iter(posts), iter(payments)
            kinds = lines["kind"].to_numpy(dtype=object)
            out[side] = {i: next(records[kind == "payment"]) for i, kind in zip(wanted, kinds)}
        return out

    def _record(self, side: str, index: int) -> Any:
        found = self._fetched[side].get(index)
        if found is not None:
            return found
        structure = self.before_structure if side == "before" else self.after_structure
        if structure is not None:
            position = int(self._payment_offset[side][index])
            if self._kinds[side][index] == "post":
                return structure.posts[position]
            return structure.payments[position]
        lines = self.before_lines if side == "before" else self.after_lines
        posts, payments = posts_from_frame(lines.iloc[[index]])
        return (posts or payments)[0]

    @cached_property
    def changes(self) -> tuple[Change, ...]:
        """The Change objects, in order, each with its cost effect."""
        out = []
        has_period = "period" in self.frame
        occ = self._before_occ
        for row in self.frame.itertuples(index=False):
            effect = Decimal(int(row.full_year))
            in_period = Decimal(int(row.period)) if has_period else None
            out.append(self._change(row.kind, int(row.before), int(row.after),
                                    occ[int(row.before)] if row.before >= 0 else None)
                       .with_effect(effect, in_period))
        return tuple(out)

    def _change(self, kind: str, b: int, a: int, occ: int | None) -> Change:
        old = self._record("before", b) if b >= 0 else None
        new = self._record("after", a) if a >= 0 else None
        target = Target.of(old, occ) if old is not None else None
        if kind in END_KINDS:
            if new.end is None:
                return MakePermanent(target)
            return ChangeEnd(target, new.end, kind=end_kind(old.end, new.end))
        if kind == "regrade":
            return _regrade(target, old, new, self.basis)
        build = CHANGE_BUILDERS.get(kind)
        if build is None:
            raise ValueError(f"unknown change kind {kind!r}")
        return build(target, old, new)

    def kinds(self) -> list[str]:
        """The kind of each change as a table shows it, the same as each Change's ``kind``
        (end dates and moves named precisely: "move team", "retitle" or both), worked out from
        the frames so a summary of a large diff need not build every Change object."""
        kinds = self.frame["kind"].to_numpy(dtype=object).copy()
        regrades = np.flatnonzero(kinds == "regrade")
        if len(regrades):
            b = self.frame["before"].to_numpy()[regrades]
            a = self.frame["after"].to_numpy()[regrades]
            before, after = self.before_lines, self.after_lines
            kinds[regrades] = [
                regrade_kind(og, ng, os, ns, self.basis) for og, ng, os, ns in zip(
                    before["grade"].to_numpy(dtype=object)[b],
                    after["grade"].to_numpy(dtype=object)[a],
                    before["scp"].to_numpy()[b], after["scp"].to_numpy()[a])]
        moves = np.flatnonzero(kinds == "move")
        if len(moves):
            b = self.frame["before"].to_numpy()[moves]
            a = self.frame["after"].to_numpy()[moves]
            team = _differs(self.before_lines["team"].to_numpy()[b],
                            self.after_lines["team"].to_numpy()[a])
            title = _differs(self.before_lines["title"].to_numpy()[b],
                             self.after_lines["title"].to_numpy()[a])
            kinds[moves] = np.where(team & title, "move team and retitle",
                                    np.where(title, "retitle", "move team"))
        return list(kinds)

    def apply_to(self, structure: Any) -> Any:
        """``structure`` with these changes, lines in the order of ``after``, and after's name
        and description (see ``Structure.apply``)."""
        result = apply_changes(structure, self.changes)
        return self._reorder(result)

    def _reorder(self, result: Any) -> Any:
        keys = match_keys(self.after_lines)
        position = {tuple(k): i for i, k in enumerate(keys[KEY].itertuples(index=False))}
        frame = result.to_frame()
        got = match_keys(frame)
        order = [position.get(tuple(k), len(position) + i)
                 for i, k in enumerate(got[KEY].itertuples(index=False))]
        n_posts = len(result.posts)
        post_order = sorted(range(n_posts), key=lambda i: order[i])
        pay_order = sorted(range(len(result.payments)), key=lambda i: order[n_posts + i])
        changes: dict[str, Any] = {"posts": [result.posts[i] for i in post_order],
                                   "payments": [result.payments[i] for i in pay_order]}
        if self.after_structure is not None:
            changes["name"] = self.after_structure.name
            changes["description"] = self.after_structure.description
        return result.evolve(**changes)


def _amend(target: Target, old: Any, new: Any) -> Amend:
    fields = {f: getattr(new, f) for f in ("start", "status", "reports_to", "increment_date",
                                           "notes")
              if getattr(new, f) != getattr(old, f)}
    return Amend(target, fields)


def _regrade(target: Target, old: Any, new: Any, basis: PayBasis | None = None) -> Change:
    """A regrade, named by the one classifier (grades by canonical name given the basis)."""
    return Regrade(target, new.grade, new.scp, new.cost_per_fte, new.salary, new.salary_min,
                   new.salary_max, unpriced=new.unpriced,
                   kind=regrade_kind(old.grade, new.grade, old.scp, new.scp, basis))


# how each kind of change is made from its target and the old and new lines
CHANGE_BUILDERS: dict[str, Callable[[Target, Any, Any], Change]] = {
    "establish": lambda target, old, new: Establish(new),
    "add payment": lambda target, old, new: AddPayment(new),
    "disestablish": lambda target, old, new: Disestablish(target),
    "remove payment": lambda target, old, new: RemovePayment(target),
    "change payment": lambda target, old, new: ChangePayment(target, new),
    "regrade": lambda target, old, new: _regrade(target, old, new),
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

    def one_sided(self, b_idx: np.ndarray, a_idx: np.ndarray, is_payment: np.ndarray) -> None:
        """Lines only in before (disestablished, removed) or only in after (established,
        added): their whole cost."""
        gone, new = a_idx < 0, b_idx < 0
        for mask, kind in ((gone & ~is_payment, "disestablish"),
                           (gone & is_payment, "remove payment")):
            rows = b_idx[mask]
            self.add(kind, rows, np.full(len(rows), -1),
                     {c: -self.b_lines[c].to_numpy()[rows] for c in self.values})
        self.new_rows = [(a_idx[new & ~is_payment], "establish"),
                         (a_idx[new & is_payment], "add payment")]

    def added(self) -> None:
        for rows, kind in self.new_rows:
            self.add(kind, np.full(len(rows), -1), rows,
                     {c: self.a_lines[c].to_numpy()[rows] for c in self.values})

    def payments(self, pb: np.ndarray, pa: np.ndarray) -> None:
        """Matched payments: one "change payment" when anything differs."""
        if not len(pb):
            return
        changed = np.zeros(len(pb), dtype=bool)
        for column in PAYMENT_COLUMNS:
            changed |= _differs(self.before[column].to_numpy()[pb],
                                self.after[column].to_numpy()[pa])
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
                flag |= _differs(_compared(self.before, column, mb, self.basis),
                                 _compared(self.after, column, ma, self.basis))
            if name == "change fte":
                flag |= _fte_differs(self.b_lines, self.a_lines, mb, ma)
            flags[name] = flag
        any_change = np.logical_or.reduce(list(flags.values()))
        mb, ma = mb[any_change], ma[any_change]
        flags = {k: v[any_change] for k, v in flags.items()}
        previous = {c: self.b_lines[c].to_numpy()[mb] for c in self.values}
        state = self.before.iloc[mb].reset_index(drop=True)
        for column in state.columns:  # a categorical column cannot take a new category's value
            if isinstance(state[column].dtype, pd.CategoricalDtype):
                state[column] = state[column].astype(object)
        after_rows = self.after.iloc[ma].reset_index(drop=True)
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
    b_lines = _cost(before_frame, basis, period)
    a_lines = _cost(after_frame, basis, period)
    b_keys, a_keys = joint_keys(before_frame, after_frame)
    merged = pd.merge(b_keys.assign(_b=np.arange(len(b_keys))),
                      a_keys.assign(_a=np.arange(len(a_keys))),
                      on=["kind", "ref", "group", "occ"], how="outer", sort=False)
    b_idx = merged["_b"].fillna(-1).to_numpy(dtype=np.int64)
    a_idx = merged["_a"].fillna(-1).to_numpy(dtype=np.int64)
    is_payment = merged["kind"].to_numpy() == 1
    both = (a_idx >= 0) & (b_idx >= 0)
    pieces = _Pieces(before_frame, after_frame, b_lines, a_lines, basis, period)
    pieces.one_sided(b_idx, a_idx, is_payment)
    pieces.payments(b_idx[both & is_payment], a_idx[both & is_payment])
    pieces.posts(b_idx[both & ~is_payment], a_idx[both & ~is_payment])
    pieces.added()
    return Diff(pieces.frame(), b_lines, a_lines, before_structure, after_structure, basis,
                period, b_keys["occ"].to_numpy())
