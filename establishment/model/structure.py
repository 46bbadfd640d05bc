"""A structure: a named set of posts and payments. A record: only data.

``Structure`` is an immutable value: changing it gives a new one. What is done *with* a
structure is a function elsewhere, which the record never imports: :func:`establishment.cost`
(a :class:`~establishment.engine.costing.Costing`), :func:`establishment.apply_changes`,
:func:`establishment.diff`, and :func:`establishment.structure_from_frame` to read a DataFrame.
(Until 0.1 these were also methods, ``structure.cost(basis)``; the methods reached into the
engine from the record, an import cycle, so they were removed.)

Two ways to hold the lines (decided in issue 16):

- **post-backed** (``Structure(name, posts, payments)``): :class:`Post` and :class:`Payment`
  records, each validated when made; the frame (``to_frame()``) is built on first use and kept.
- **frame-backed** (:meth:`Structure.from_lines`): a frame in the layout of
  :mod:`establishment.model.frame`, from a column-wise loader that has validated the columns
  itself. The engine costs the frame directly; the ``Post`` objects are built only when
  ``posts`` or ``payments`` is first read (and validated then). The two kinds are equal when
  their lines are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from establishment.errors import Location, ValidationError
from establishment.model.assignment import Assignment
from establishment.model.frame import (
    FTE_SCALE,
    POST_COLUMNS,
    fte_e4,
    lines_frame,
    posts_from_frame,
)
from establishment.model.post import Payment, Post


def _posts(value: Iterable[Post]) -> tuple[Post, ...]:
    posts = tuple(value)
    for item in posts:
        if not isinstance(item, Post):
            raise ValidationError("posts", "Post records", type(item).__name__)
    return posts


def _payments(value: Iterable[Payment]) -> tuple[Payment, ...]:
    payments = tuple(value)
    for item in payments:
        if not isinstance(item, Payment):
            raise ValidationError("payments", "Payment records", type(item).__name__)
    return payments


def _assignments(value: Iterable[Assignment]) -> tuple[Assignment, ...]:
    assignments = tuple(value)
    for item in assignments:
        if not isinstance(item, Assignment):
            raise ValidationError("assignments", "Assignment records", type(item).__name__)
    return assignments


def _unique_references(kind: str, references: Iterable[str | None], name: str) -> None:
    """A reference names one line, so a change or diff can find it: unique per kind."""
    if getattr(references, "dtype", None) is not None and len(references) > 1000:  # type: ignore[arg-type]
        # a million references checked at once (one hash each); else find the first
        codes, uniques = pd.factorize(np.asarray(references, dtype=object))
        counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
        if not ((counts > 1) & (uniques != "")).any():
            return
    seen: set[str] = set()
    for reference in references:
        if reference:
            if reference in seen:
                raise ValidationError("reference", f"unique among the {kind}s of a structure",
                                      reference, record=name or "structure")
            seen.add(reference)


_UNSET: Any = object()


class Structure:
    """A named establishment: posts (grouped in teams by their ``team``) and payments, and
    optionally the staff in post (``assignments``: people in posts, by post reference; see
    :mod:`establishment.operations.staffing`).

    Immutable; equal when name, description, posts and payments are equal. ``source`` (where it
    was read from, when it was) takes no part in equality.
    """

    __slots__ = ("name", "description", "assignments", "source", "_posts", "_payments",
                 "_frame", "_lines")

    name: str
    description: str
    assignments: tuple[Assignment, ...]
    source: Any

    def __init__(self, name: str = "", posts: Iterable[Post] = (),
                 payments: Iterable[Payment] = (), description: str = "",
                 assignments: Iterable[Assignment] = (), *, source: Any = None) -> None:
        setter = object.__setattr__
        setter(self, "name", name)
        setter(self, "description", description)
        setter(self, "source", source)
        setter(self, "_posts", _posts(posts))
        setter(self, "_payments", _payments(payments))
        setter(self, "assignments", _assignments(assignments))
        setter(self, "_frame", None)
        setter(self, "_lines", None)
        _unique_references("post", (p.reference for p in self._posts), name)
        _unique_references("payment", (p.reference for p in self._payments), name)
        self._check_assignments()

    def _check_assignments(self) -> None:
        if not self.assignments:
            return
        references = {p.reference for p in self.posts if p.reference}
        for assignment in self.assignments:
            if assignment.post not in references:
                raise ValidationError("post", "the reference of a post of the structure",
                                      assignment.post, record=f"assignment {assignment.label}")

    @classmethod
    def from_lines(cls, frame: pd.DataFrame, name: str = "", description: str = "",
                   assignments: Iterable[Assignment] = (), *, source: Any = None,
                   lines: Sequence[int] | None = None) -> Structure:
        """A frame-backed structure: ``frame`` (the layout of :mod:`establishment.model.frame`,
        every value already valid) is costed as it is; Post objects are built when asked
        for. References must be unique per kind, as for any structure. ``lines``: the line
        (or sheet row) each row of ``frame`` was read from in the file ``source`` names, so
        each record, when built, carries its own ``source`` (nothing is made before)."""
        missing = [column for column in POST_COLUMNS if column not in frame.columns]
        if missing:
            raise ValidationError("frame", f"the columns of establishment.model.frame "
                                  f"({', '.join(POST_COLUMNS)})", missing, record=name)
        self = cls.__new__(cls)
        setter = object.__setattr__
        setter(self, "name", name)
        setter(self, "description", description)
        setter(self, "source", source)
        setter(self, "_posts", None)
        setter(self, "_payments", None)
        setter(self, "assignments", _assignments(assignments))
        lines_read, lines = lines, frame.reset_index(drop=True)
        setter(self, "_frame", lines)
        if lines_read is not None and len(lines_read) != len(lines):
            raise ValidationError("lines", f"one line per row of the frame ({len(lines)})",
                                  len(lines_read), record=name)
        setter(self, "_lines", lines_read)
        kinds = lines["kind"].to_numpy(dtype=object)
        references = lines["reference"].to_numpy(dtype=object)
        posts = kinds == "post"
        everything = bool(posts.all())  # the usual case: no copy of the references
        _unique_references("post", references if everything else references[posts], name)
        _unique_references("payment", references[:0] if everything else references[~posts],
                           name)
        if self.assignments:
            known = set(references[kinds == "post"])
            for assignment in self.assignments:
                if assignment.post not in known:
                    raise ValidationError("post", "the reference of a post of the structure",
                                          assignment.post,
                                          record=f"assignment {assignment.label}")
        return self

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"Structure is immutable (use evolve(); tried to set {name!r})")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"Structure is immutable (tried to delete {name!r})")

    def _build(self) -> None:
        sources = None
        if self._lines is not None:  # where each row was read: now, when records are made
            file = str(getattr(self.source, "file", self.source or ""))
            sources = [Location(file, int(line)) for line in self._lines]
        posts, payments = posts_from_frame(self._frame, sources)
        object.__setattr__(self, "_posts", tuple(posts))
        object.__setattr__(self, "_payments", tuple(payments))

    @property
    def posts(self) -> tuple[Post, ...]:
        if self._posts is None:
            self._build()
        return self._posts

    @property
    def payments(self) -> tuple[Payment, ...]:
        if self._payments is None:
            self._build()
        return self._payments

    @property
    def frame_backed(self) -> bool:
        """True while the lines are held only as a frame (no Post objects built yet)."""
        return self._posts is None

    def _key(self) -> tuple:
        return (self.name, self.description, self.posts, self.payments, self.assignments)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() == other._key()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        if self.frame_backed:
            lines = f"{len(self._frame)} lines (frame)"
        else:
            lines = f"{len(self._posts)} posts, {len(self._payments)} payments"
        return f"Structure(name={self.name!r}, {lines})"

    def __getstate__(self) -> dict[str, Any]:
        return {"name": self.name, "description": self.description, "source": self.source,
                "posts": self.posts, "payments": self.payments, "assignments": self.assignments}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for key in ("name", "description", "source", "assignments"):
            object.__setattr__(self, key, state[key])
        object.__setattr__(self, "_posts", state["posts"])
        object.__setattr__(self, "_payments", state["payments"])
        object.__setattr__(self, "_frame", None)
        object.__setattr__(self, "_lines", None)

    @property
    def fte(self) -> Decimal:
        """The posts' fte (each line's to 4 places, as tables show it). A post given in hours
        alone has no fte until costed (its employer's full-time hours): an error names it
        (``Costing.fte`` has them all)."""
        hours_only = [p for p in self.posts if p.fte is None] if not self.frame_backed else []
        if hours_only:
            raise ValidationError("fte", "known: give it, or cost the structure (its fte "
                                  "comes from the employer's full-time hours)", None,
                                  record=hours_only[0].label)
        if self.frame_backed:
            posts = self._frame["kind"].to_numpy(dtype=object) == "post"
            return Decimal(int(self._frame["fte_e4"].to_numpy()[posts].sum())) / FTE_SCALE
        return sum((Decimal(fte_e4(p.fte)) / FTE_SCALE for p in self.posts), Decimal(0))

    @property
    def teams(self) -> list[str]:
        return list(dict.fromkeys(p.team for p in self.posts))

    def as_of(self, day: dt.date) -> Structure:
        """The posts and payments in force on ``day`` (temporary posts drop out after their
        end, posts not yet started are left out)."""
        posts = [p for p in self.posts if p.active_on(day)]
        payments = [p for p in self.payments
                    if (p.start is None or p.start <= day) and (p.end is None or day <= p.end)]
        references = {p.reference for p in posts}
        assignments = [a for a in self.assignments if a.active_on(day) and a.post in references]
        return self.evolve(posts=posts, payments=payments, assignments=assignments)

    def with_posts(self, posts: Iterable[Post]) -> Structure:
        return self.evolve(posts=tuple(posts))

    def evolve(self, *, name: str = _UNSET, posts: Iterable[Post] = _UNSET,
               payments: Iterable[Payment] = _UNSET, description: str = _UNSET,
               assignments: Iterable[Assignment] = _UNSET, source: Any = _UNSET) -> Structure:
        """A copy with some fields changed (validated again). New ``posts`` keep the
        assignments of the posts that remain (a disestablished post's people leave with it).
        A frame-backed structure stays frame-backed when its lines do not change."""
        keep = lambda value, current: current if value is _UNSET else value  # noqa: E731
        if posts is not _UNSET and assignments is _UNSET and self.assignments:
            posts = tuple(posts)
            references = {p.reference for p in posts if p.reference}
            assignments = tuple(a for a in self.assignments if a.post in references)
        if self.frame_backed and posts is _UNSET and payments is _UNSET:
            return Structure.from_lines(self._frame, keep(name, self.name),
                                        keep(description, self.description),
                                        keep(assignments, self.assignments),
                                        source=keep(source, self.source), lines=self._lines)
        return Structure(keep(name, self.name), keep(posts, self.posts),
                         keep(payments, self.payments), keep(description, self.description),
                         keep(assignments, self.assignments), source=keep(source, self.source))

    def to_frame(self) -> pd.DataFrame:
        """One row per post and payment, in exact integer units (see
        ``establishment.model.frame``).
        Built once and kept (the structure is immutable); each call returns a new frame object
        (pandas copy-on-write: changing it never changes the structure)."""
        if self._frame is None:
            object.__setattr__(self, "_frame", lines_frame(self._posts, self._payments))
        return self._frame.copy(deep=False)
