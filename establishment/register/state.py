"""The register's state: a structure, how one decision moves it on, and how it is stored.

Replay rule (the one definition every query and check uses): decisions take effect in order of
effective date (then of recording); before a decision takes effect, every temporary post (and
payment) whose end date has passed leaves the establishment by itself; then the decision's
changes are applied, all or nothing (:func:`establishment.operations.changes.apply_changes`). The
establishment on a day is the result after every decision effective on or before it, less the
posts ended or not yet started (:func:`view`).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import zlib
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from establishment.engine.costing import resolved_frame
from establishment.engine.matching import DoesNotFit, LineIndex
from establishment.io.toml_file import payment_table, post_table
from establishment.model.frame import FTE_SCALE, fte_e4, fte_fraction, lines_frame
from establishment.model.funding import HUNDRED, FundingShare
from establishment.model.pay_basis import PayBasis
from establishment.model.post import Payment, Post
from establishment.model.structure import Structure
from establishment.operations.changes import (
    PAYMENT_CHANGES,
    POST_CHANGES,
    Change,
    ChangeError,
    Establish,
    Target,
    apply_changes,
)


def prune(state: Structure, day: dt.date) -> Structure:
    """``state`` without the posts and payments whose end date is before ``day``."""
    posts = [p for p in state.posts if p.end is None or p.end >= day]
    payments = [p for p in state.payments if p.end is None or p.end >= day]
    if len(posts) == len(state.posts) and len(payments) == len(state.payments):
        return state
    return state.evolve(posts=posts, payments=payments)


def step(state: Structure, effective: dt.date, changes: Sequence[Change]) -> Structure:
    """The state after a decision taking effect on ``effective`` (ChangeError if it does not
    fit): the same as applying the changes to ``prune(state, effective)``, but the ended
    posts are left in the state (every answer shows the posts in force on its day, so they
    never show), which saves rebuilding the state before every decision. A change to a post
    that has ended is refused, saying when it ended."""
    ended = _ended(state, effective, changes)
    try:
        result = apply_changes(state, changes)
    except ChangeError as err:
        numbers = {n for n, _ in ended}
        raise ChangeError(sorted(ended + [p for p in err.numbered if p[0] not in numbers],
                                 key=lambda p: p[0])) from None
    if ended:
        raise ChangeError(ended)
    return result


def _ended(state: Structure, effective: dt.date, changes: Sequence[Change]
           ) -> list[tuple[int, str]]:
    """(change number, message) for each change naming a post or payment ended before
    ``effective``."""
    wanted = {getattr(c, "target", None) for c in changes} - {None}
    if not wanted:
        return []
    ended = {(isinstance(r, Payment), r.reference): r.end
             for r in (*state.posts, *state.payments)
             if r.end is not None and r.end < effective and r.reference}
    problems = []
    for number, change in enumerate(changes, start=1):
        target = getattr(change, "target", None)
        key = (isinstance(change, PAYMENT_CHANGES), getattr(target, "reference", None))
        if key in ended:
            what = "payment" if key[0] else "post"
            problems.append((number, f"{what} {key[1]} ended on {ended[key].isoformat()} "
                             f"(temporary), before this decision takes effect on "
                             f"{effective.isoformat()}"))
    return problems


def view(state: Structure, day: dt.date) -> Structure:
    """The establishment in force on ``day``: posts started and not yet ended."""
    return state.as_of(day)


def exact_ftes(posts: Sequence[Post], basis: Callable[[], PayBasis]) -> list[Fraction]:
    """Each post's exact fte: as given, or (a post given in hours) hours / the full-time
    hours of ``basis`` (asked for only when a post gives hours), resolved by the engine
    (:func:`~establishment.engine.costing.resolved_frame`), so the register's fte is the one
    every command costs. Full-time hours the pay data do not state, or a typed fte that
    disagrees with its hours, is a located :class:`~establishment.engine.costing.CostingError`
    naming each post."""
    if all(p.hours is None for p in posts):
        return [Fraction(p.fte) for p in posts]
    frame = resolved_frame(lines_frame(posts), basis())
    return [fte_fraction(frame, row) for row in range(len(posts))]


def shown_fte(ftes: Iterable[Fraction]) -> Decimal:
    """The fte tables show for some lines: each to 4 places (half up), added up, as
    :attr:`Structure.fte <establishment.model.structure.Structure.fte>` adds them."""
    return Decimal(sum(fte_e4(f) for f in ftes)) / FTE_SCALE


def headcount(post: Post, fte: Fraction | None = None) -> int:
    """The number of people a row of posts is for: its own ``headcount`` when the record has
    one, else its fte (``fte``: its exact fte, for a post given in hours) rounded up (2 fte is
    two posts, 1.5 fte two posts)."""
    given = getattr(post, "headcount", None)
    if given is not None:
        return int(given)
    return math.ceil(Fraction(post.fte) if fte is None else fte)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def encode(state: Structure) -> bytes:
    """A state as compressed JSON (its posts and payments as structure-file tables)."""
    data = {"posts": [_jsonable(post_table(p)) for p in state.posts],
            "payments": [_jsonable(payment_table(p)) for p in state.payments]}
    return zlib.compress(json.dumps(data, separators=(",", ":")).encode("utf-8"), 1)


def decode(blob: bytes, name: str = "", *, check: bool = False) -> Structure:
    """The state :func:`encode` stored.

    A snapshot is derived data: every post in it was validated when the decision that made it
    was recorded, so posts are rebuilt field by field without validating them again (ten times
    faster: as-of on 10,000 posts stays well inside its half second). ``check=True`` builds
    every record through its validating constructor instead (``register verify --deep``
    rebuilds every snapshot from the ledger and compares)."""
    data = json.loads(zlib.decompress(blob).decode("utf-8"))
    make = (lambda t: Post(**t)) if check else _trusted_post
    return Structure(name, [make(t) for t in data["posts"]],
                     [Payment(**t) for t in data["payments"]])


def _day(value: Any) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _shares(value: Any) -> tuple[FundingShare, ...]:
    if isinstance(value, str):
        return (FundingShare(value, HUNDRED),)
    return tuple(FundingShare(k, Decimal(str(v))) for k, v in value.items())


FAST = {"fte": _decimal, "scp": int, "start": _day, "end": _day, "increment_date": _day,
        "cost_per_fte": _decimal, "salary": _decimal, "salary_min": _decimal,
        "salary_max": _decimal, "funding": _shares}


def _defaults() -> list[tuple[str, Any, Any]]:
    """(name, default, converter) of every Post field, read from the class, so a field added
    to Post is rebuilt by its own converter."""
    out = []
    for a in attrs.fields(Post):
        default = a.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            default = default.factory()
        out.append((a.name, default, FAST.get(a.name, a.converter)))
    return out


_FIELDS = _defaults()


def _trusted_post(table: dict[str, Any]) -> Post:
    post = object.__new__(Post)
    for name, default, convert in _FIELDS:
        value = table.get(name)
        if value is None:
            value = default
        elif convert is not None:
            value = convert(value)
        object.__setattr__(post, name, value)
    return post


class ReferenceMaker:
    """Gives unreferenced posts a reference never used in the register (``P000001``...)."""

    def __init__(self, used: Any, counter: int) -> None:
        self.used = used  # a container of references ever used
        self.counter = counter

    def next(self) -> str:
        while True:
            self.counter += 1
            reference = f"P{self.counter:06d}"
            if reference not in self.used:
                return reference


def with_references(posts: Iterable[Post], maker: ReferenceMaker) -> list[Post]:
    return [p if p.reference else p.evolve(reference=maker.next()) for p in posts]


class Names:
    """The posts of a state found by the target that names them by team + title (+
    occurrence), by the one matching rule (:class:`~establishment.engine.matching.LineIndex`).
    Every post in a register has a reference, so the posts are indexed as if they had none:
    a team + title target then names them as it names unreferenced lines anywhere else."""

    def __init__(self, posts: Sequence[Post]) -> None:
        self.references = [str(p.reference) for p in posts]
        self.index = LineIndex([p.evolve(reference="") for p in posts])

    def add(self, post: Post) -> None:
        """A post established part way through a list of changes: named from then on."""
        self.index.add(post.evolve(reference=""))
        self.references.append(str(post.reference))

    def find(self, target: Target) -> str:
        """The reference of the post ``target`` names, or :class:`DoesNotFit` saying why."""
        return self.references[self.index.find(target, "post")]


def normalise(state: Structure, changes: Sequence[Change], maker: ReferenceMaker
              ) -> tuple[list[Change], list[str]]:
    """The changes as the register stores them: every established post with a reference,
    every post named by reference (a team + title target resolved against ``state``, then
    against posts established earlier in the list, by :class:`Names`). Returns the changes
    and the targets that name no single post."""
    names: Names | None = None  # built when a target first needs it
    established_here: list[Post] = []
    out: list[Change] = []
    problems: list[str] = []
    for number, change in enumerate(changes, start=1):
        if isinstance(change, Establish):
            if not change.post.reference:
                change = attrs.evolve(change, post=change.post.evolve(reference=maker.next()))
            established_here.append(change.post)
            if names is not None:
                names.add(change.post)
        elif isinstance(change, POST_CHANGES) and not change.target.reference:
            if names is None:
                names = Names([*state.posts, *established_here])
            try:
                change = attrs.evolve(change, target=Target(reference=names.find(
                    change.target)))
            except DoesNotFit as err:
                problems.append(f"change {number}: {err}")
        out.append(change)
    return out, problems


def established(changes: Iterable[Change]) -> list[str]:
    """References of the posts a change list establishes."""
    return [str(c.post.reference) for c in changes if isinstance(c, Establish)]
