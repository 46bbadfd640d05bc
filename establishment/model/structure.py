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
from attrs import field, frozen

from establishment.errors import Location, ValidationError, source_field
from establishment.model import checks
from establishment.model.assignment import Assignment
from establishment.model.frame import (
    FTE_SCALE,
    POST_COLUMNS,
    fte_e4,
    lines_frame,
    posts_from_frame,
)
from establishment.model.post import Payment, Post, text_of


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


def _records_or_frame(kind: type, name: str) -> Any:
    """A converter: the records as a tuple, each checked; None (only from
    :meth:`Structure.from_lines`) for lines held as a frame until first read."""
    def convert(value: Any) -> tuple[Any, ...] | None:
        if value is None:
            return None
        if isinstance(value, (str, bytes, dict)) or not isinstance(value, Iterable):
            raise ValidationError(name, f"a list of {kind.__name__} records", value)
        records = tuple(value)
        for item in records:
            if not isinstance(item, kind):
                raise ValidationError(name, f"{kind.__name__} records", type(item).__name__)
        return records
    convert.__name__ = f"records_{name}"
    return convert


def _frame_or_none(instance: Any, attribute: Any, value: Any) -> None:
    if value is not None and not isinstance(value, pd.DataFrame):
        raise ValidationError("frame", "a DataFrame in the layout of establishment.model.frame",
                              type(value).__name__)


def _lines_or_none(instance: Any, attribute: Any, value: Any) -> None:
    if value is not None and (isinstance(value, (str, bytes)) or not hasattr(value, "__len__")):
        raise ValidationError("lines", "a line number per row of the frame", value)


class Cache:
    """What a structure builds from its own fields once and keeps: its frame (post-backed)
    or its Post and Payment records (frame-backed). Derived from the record's data, so it is
    left out of equality, hashing, ``repr`` and pickling; a structure is immutable, so what is
    built once stays right. This is the one mutable thing a record holds, and it holds only
    what its own fields determine."""

    __slots__ = ("frame", "posts", "payments")

    def __init__(self) -> None:
        self.frame: pd.DataFrame | None = None
        self.posts: tuple[Post, ...] | None = None
        self.payments: tuple[Payment, ...] | None = None

    def __reduce__(self) -> tuple[type, tuple[()]]:  # pickled empty: rebuilt when needed
        return (Cache, ())


def _cache(instance: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, Cache):
        raise ValidationError("cache", "the structure's own Cache", value)


@frozen(eq=False)
class Structure:
    """A named establishment: posts (grouped in teams by their ``team``) and payments, and
    optionally the staff in post (``assignments``: people in posts, by post reference; see
    :mod:`establishment.operations.staffing`).

    A frozen attrs record: ``Structure(name, posts, payments, description, assignments,
    source=...)``. Equal when name, description, posts, payments and assignments are equal,
    however the lines are held; ``source`` (where it was read from) takes no part in equality.

    A frame-backed structure (:meth:`from_lines`) holds its lines as ``frame`` (and the line
    each row was read from as ``lines``) with ``posts``/``payments`` None until first read;
    what is built from the fields (the frame of a post-backed structure, the records of a
    frame-backed one) is kept in ``cache`` (:class:`Cache`: out of equality, hashing, repr and
    pickling).
    """

    name: str = field(default="", converter=text_of("name"))
    _posts: tuple[Post, ...] | None = field(default=(), converter=_records_or_frame(Post, "posts"))
    _payments: tuple[Payment, ...] | None = field(
        default=(), converter=_records_or_frame(Payment, "payments"))
    description: str = field(default="", converter=text_of("description"))
    assignments: tuple[Assignment, ...] = field(
        default=(), converter=checks.as_tuple,
        validator=checks.tuple_of(Assignment, "Assignment records"))
    source: Location | None = source_field()
    # the frame-backed form (from_lines): the lines as a frame, and each row's line in the file
    frame: pd.DataFrame | None = field(default=None, kw_only=True, eq=False, repr=False,
                                       validator=_frame_or_none)
    lines: Sequence[int] | None = field(default=None, kw_only=True, eq=False, repr=False,
                                        validator=_lines_or_none)
    cache: Cache = field(factory=Cache, init=False, eq=False, repr=False, validator=_cache)

    def __attrs_post_init__(self) -> None:
        if self._posts is None or self._payments is None:
            self._check_frame()
            return
        _unique_references("post", (p.reference for p in self._posts), self.name)
        _unique_references("payment", (p.reference for p in self._payments), self.name)
        if self.assignments:
            self._check_assignments({p.reference for p in self._posts if p.reference})

    def _check_frame(self) -> None:
        """A frame-backed structure's checks, on its columns (no record is made)."""
        frame = self.frame
        if frame is None or self._posts is not None or self._payments is not None:
            raise ValidationError("posts", "Post records (None only with a frame: use "
                                  "Structure.from_lines)", self._posts, record=self.name)
        missing = [column for column in POST_COLUMNS if column not in frame.columns]
        if missing:
            raise ValidationError("frame", f"the columns of establishment.model.frame "
                                  f"({', '.join(POST_COLUMNS)})", missing, record=self.name)
        if self.lines is not None and len(self.lines) != len(frame):
            raise ValidationError("lines", f"one line per row of the frame ({len(frame)})",
                                  len(self.lines), record=self.name)
        kinds = frame["kind"].to_numpy(dtype=object)
        references = frame["reference"].to_numpy(dtype=object)
        posts = kinds == "post"
        everything = bool(posts.all())  # the usual case: no copy of the references
        _unique_references("post", references if everything else references[posts],
                           self.name)
        _unique_references("payment", references[:0] if everything else references[~posts],
                           self.name)
        if self.assignments:
            self._check_assignments(set(references[posts]))

    def _check_assignments(self, references: set[Any]) -> None:
        for assignment in self.assignments:
            if assignment.post not in references:
                raise ValidationError("post", "the reference of a post of the structure",
                                      assignment.post, record=f"assignment {assignment.label}")

    @classmethod
    def from_lines(cls, frame: pd.DataFrame, name: str = "", description: str = "",
                   assignments: Iterable[Assignment] = (), *, source: Location | None = None,
                   lines: Sequence[int] | None = None) -> Structure:
        """A frame-backed structure: ``frame`` (the layout of :mod:`establishment.model.frame`,
        every value already valid) is costed as it is; Post objects are built when asked
        for. References must be unique per kind, as for any structure. ``lines``: the line
        (or sheet row) each row of ``frame`` was read from in the file ``source`` names, so
        each record, when built, carries its own ``source`` (nothing is made before)."""
        if not isinstance(frame, pd.DataFrame):
            raise ValidationError("frame", "a DataFrame in the layout of "
                                  "establishment.model.frame", type(frame).__name__)
        return cls(name, None, None, description, assignments, source=source,
                   frame=frame.reset_index(drop=True), lines=lines)

    def _built(self) -> Cache:
        """The cache, with the records built from the frame if they were not yet."""
        cache = self.cache
        if cache.posts is None:
            sources = None
            if self.lines is not None:  # where each row was read: now, when records are made
                file = self.source.file if self.source is not None else ""
                sources = [Location(file, int(line)) for line in self.lines]
            posts, payments = posts_from_frame(self.frame, sources)
            cache.posts, cache.payments = tuple(posts), tuple(payments)
        return cache

    @property
    def posts(self) -> tuple[Post, ...]:
        return self._posts if self._posts is not None else self._built().posts  # type: ignore[return-value]

    @property
    def payments(self) -> tuple[Payment, ...]:
        if self._payments is not None:
            return self._payments
        return self._built().payments  # type: ignore[return-value]

    @property
    def frame_backed(self) -> bool:
        """True while the lines are held only as a frame (no Post objects built yet)."""
        return self._posts is None and self.cache.posts is None

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
            lines = f"{len(self.frame)} lines (frame)"  # type: ignore[arg-type]
        else:
            lines = f"{len(self.posts)} posts, {len(self.payments)} payments"
        return f"Structure(name={self.name!r}, {lines})"

    @property
    def fte(self) -> Decimal:
        """The posts' fte (each line's to 4 places, as tables show it). A post given in hours
        alone has no fte until costed (its employer's full-time hours): an error names it
        (``Costing.fte`` has them all)."""
        if self.frame_backed:
            frame = self.frame
            posts = frame["kind"].to_numpy(dtype=object) == "post"  # type: ignore[index]
            return Decimal(int(frame["fte_e4"].to_numpy()[posts].sum())) / FTE_SCALE  # type: ignore[index]
        hours_only = [p for p in self.posts if p.fte is None]
        if hours_only:
            raise ValidationError("fte", "known: give it, or cost the structure (its fte "
                                  "comes from the employer's full-time hours)", None,
                                  record=hours_only[0].label)
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
        if self._posts is None and posts is _UNSET and payments is _UNSET:
            return Structure(keep(name, self.name), None, None,
                             keep(description, self.description),
                             keep(assignments, self.assignments),
                             source=keep(source, self.source), frame=self.frame,
                             lines=self.lines)
        return Structure(keep(name, self.name), keep(posts, self.posts),
                         keep(payments, self.payments), keep(description, self.description),
                         keep(assignments, self.assignments), source=keep(source, self.source))

    def to_frame(self) -> pd.DataFrame:
        """One row per post and payment, in exact integer units (see
        ``establishment.model.frame``).
        Built once and kept (the structure is immutable); each call returns a new frame object
        (pandas copy-on-write: changing it never changes the structure)."""
        if self.frame is not None:
            return self.frame.copy(deep=False)
        cache = self.cache
        if cache.frame is None:
            cache.frame = lines_frame(self._posts, self._payments)  # type: ignore[arg-type]
        return cache.frame.copy(deep=False)
