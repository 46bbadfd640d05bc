"""The register file: an append-only, hash-chained ledger of decisions in SQLite.

Tables: ``meta`` (employer, opening date and establishment, reference counter), ``basis`` (the
pay basis of each pay year), ``entry`` (the ledger: decisions, revocations, bases and limits
stored, migrations, each with the hash of the one before and the digest of the other tables
after it: :mod:`~establishment.register.integrity`), ``post_ref`` (every post reference ever
used, and the entry that established it), ``team_limit`` (position control) and ``snapshot``
(derived: the state after every ``SNAPSHOT_EVERY``-th decision in replay order, rebuilt
whenever an earlier position changes, in the same transaction, each with its digest).

Every read refuses a damaged file or one changed outside this library before answering
(:meth:`Register.check_sound`); ``verify`` says where.

Every write runs in one ``BEGIN IMMEDIATE`` transaction: all of it is written or none (a
process killed part-way leaves the file as it was: SQLite's journal rolls it back on the next
open). A second writer waits up to :data:`BUSY_TIMEOUT` seconds, then fails with a clear
:class:`RegisterBusy`.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import json
import sqlite3
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from attrs import frozen

import pay_scales
from establishment.engine.costing import cost as cost_of
from establishment.engine.matching import DoesNotFit
from establishment.errors import CostingError
from establishment.io.changes_file import changes_to_toml, parse_changes_text
from establishment.io.toml_file import parse_structure_text, structure_to_toml
from establishment.model.pay_basis import PayBasis, basis_from_values, basis_values
from establishment.model.post import Post
from establishment.model.structure import Structure
from establishment.operations.changes import POST_CHANGES, Change, ChangeError, Target
from establishment.register.errors import (
    ConflictError,
    LimitError,
    RegisterBusy,
    RegisterError,
)
from establishment.register.integrity import (
    DIGEST_QUERIES,
    ENTRY_FIELDS,
    canonical,
    chain_problems,
    changed_tables,
    entry_hash,
    opening_hash,
    quick_check,
    settings_problems,
    sha256,
    snapshot_problems,
    state_text,
)
from establishment.register.limits import Breach, Limit, breaches
from establishment.register.state import (
    Names,
    ReferenceMaker,
    decode,
    encode,
    established,
    exact_ftes,
    normalise,
    prune,
    step,
    view,
    with_references,
)

SCHEMA_VERSION = 3
BUSY_TIMEOUT = 30.0
SNAPSHOT_EVERY = 8
# a register always has an entry (its first pay basis, or the migration that opened it)
EMPTY_LEDGER = "the ledger has no entries (a register always has one)"

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE basis (pay_year INTEGER PRIMARY KEY, fields TEXT NOT NULL);
CREATE TABLE entry (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('decision', 'revocation', 'basis', 'limit',
                                       'migration')),
    effective TEXT, approved TEXT, approved_by TEXT NOT NULL, reference TEXT NOT NULL,
    note TEXT NOT NULL, content TEXT NOT NULL, revokes INTEGER REFERENCES entry(id),
    override TEXT, recorded_at TEXT NOT NULL, prev_hash TEXT NOT NULL, state TEXT,
    hash TEXT NOT NULL UNIQUE);
CREATE TABLE post_ref (reference TEXT PRIMARY KEY, entry INTEGER NOT NULL);
CREATE TABLE team_limit (team TEXT NOT NULL, pay_year INTEGER NOT NULL, fte TEXT,
    headcount INTEGER, budget TEXT, temporary TEXT NOT NULL, PRIMARY KEY (team, pay_year));
CREATE TABLE snapshot (seq INTEGER PRIMARY KEY, state BLOB NOT NULL, digest TEXT NOT NULL);
"""
# the tables of every schema (schema 1 had them all)
TABLES = frozenset({"meta", "basis", "entry", "post_ref", "team_limit", "snapshot"})
INDEX = "CREATE INDEX entry_effective ON entry (effective, id)"

# the ledger is append-only in the file itself, not only by this library's habit
TRIGGERS = [f"""CREATE TRIGGER entry_no_{action.lower()} BEFORE {action} ON entry
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: record a revocation instead'); END"""
            for action in ("UPDATE", "DELETE")]

# the columns of an entry, in order, as Entry holds them
COLUMNS = (*ENTRY_FIELDS, "state", "hash")

#: Fault injection for tests: called with the name of each point of a write (``before-entry``,
#: ``after-entry``, ``after-snapshots``, ``before-commit``). None, and so nothing, unless a test
#: sets it: tests/test_register.py sets it in a writer process it starts, to kill that process
#: by SIGKILL at a point as a power cut would. The library reads no test setting of its own.
fault_hook: Callable[[str], None] | None = None


def _fault_point(name: str) -> None:
    if fault_hook is not None:
        fault_hook(name)


def _day(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


@frozen
class Entry:
    """One ledger record: a decision, or a revocation of one (``revokes``)."""

    id: int
    kind: str
    effective: dt.date | None
    approved: dt.date | None
    approved_by: str
    reference: str
    note: str
    content: str
    revokes: int | None
    override: str | None
    recorded_at: str
    prev_hash: str
    state: str | None
    hash: str

    @property
    def changes(self) -> tuple[Change, ...]:
        return parse_changes_text(self.content, f"decision {self.id}").changes

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> Entry:
        values = list(row)
        values[2], values[3] = _day(values[2]), _day(values[3])
        return cls(*values)

    def fields(self) -> dict[str, Any]:
        """The entry as its hash is of (dates as ISO text)."""
        values = {k: getattr(self, k) for k in COLUMNS}
        for key in ("effective", "approved"):
            values[key] = values[key].isoformat() if values[key] else None
        return values

    @property
    def sound(self) -> bool:
        """Its own hash matches its fields."""
        return entry_hash(self.fields()) == self.hash


def basis_text(basis: PayBasis) -> str:
    """A pay basis as the register stores it: every field that changes a figure
    (:data:`~establishment.model.pay_basis.BASIS_FIELDS`), as canonical JSON."""
    return canonical(basis_values(basis))


@contextmanager
def sqlite_errors(path: str | Path) -> Iterator[None]:
    """SQLite's own errors as register errors: a lock held past the busy timeout is
    :class:`RegisterBusy`, anything else a :class:`RegisterError` naming the file."""
    try:
        yield
    except sqlite3.OperationalError as err:
        if "locked" in str(err) or "busy" in str(err):
            raise RegisterBusy(f"{path}: the register is busy: another process has held it for "
                               f"more than {BUSY_TIMEOUT:g} s; try again") from None
        raise RegisterError(f"{path}: {err}") from None
    except sqlite3.DatabaseError as err:
        raise RegisterError(f"{path}: not a register, or damaged ({err})") from None


class Register:
    """An open register file. Make one with :meth:`create`, open one with :meth:`open`."""

    def __init__(self, path: str | Path, connection: sqlite3.Connection) -> None:
        self.path = str(path)
        self.db = connection
        self._states: dict[tuple[str, int], Structure] = {}

    # --- opening -------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, check: bool = True) -> Register:
        """Open an existing register; a missing file, another kind of file or a register
        from a newer version of this library is a clear :class:`RegisterError`, and a
        register from an earlier version is migrated. ``check`` (every command but
        ``verify``, which reports each problem itself) refuses a damaged file before
        anything is read from it (:meth:`check_sound`)."""
        if not Path(path).is_file():
            raise RegisterError(f"{path}: no such register (make one with `establishment "
                                "register init`)")
        register = cls(path, _connect(path))
        opened = False
        try:
            with sqlite_errors(path):
                register._check_schema()
                if check:
                    register.check_sound()
            opened = True
        finally:  # whatever stopped it: the connection is not left open
            if not opened:
                register.close()
        return register

    @classmethod
    def create(cls, path: str | Path, basis: PayBasis, *, opening: Structure | None = None,
               opened_on: dt.date) -> Register:
        """A new register: its employer and first pay basis (stated, never assumed; the first
        entry of the ledger), and the establishment on its opening date (posts without a
        reference are given one)."""
        if Path(path).exists():
            raise RegisterError(f"{path}: already exists; a register is never overwritten")
        exact_ftes((opening or Structure()).posts, lambda: basis)  # hours: full-time hours known
        register = cls(path, _connect(path))
        made = False
        try:
            with register.transaction():
                for statement in [*SCHEMA.split(";"), INDEX, *TRIGGERS]:
                    if statement.strip():
                        register.db.execute(statement)
                register.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                register._open_with(basis, opening or Structure(), opened_on)
            made = True
        finally:  # whatever stopped it (an error, Ctrl-C): no half-made register is left
            if not made:
                register.close()
                Path(path).unlink(missing_ok=True)
        return register

    def _open_with(self, basis: PayBasis, opening: Structure, opened_on: dt.date) -> None:
        # the references the opening gives are taken: one it leaves out is never given them
        maker = ReferenceMaker({p.reference for p in opening.posts if p.reference}, 0)
        opening = opening.evolve(posts=with_references(opening.posts, maker))
        text = structure_to_toml(opening)
        meta = {"employer": basis.employer, "opened_on": opened_on.isoformat(),
                "opening": text, "reference_counter": str(maker.counter),
                "created": _now()}
        meta["opening_hash"] = opening_hash(meta["employer"], meta["opened_on"], text)
        self.db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        self.db.executemany("INSERT INTO post_ref VALUES (?, 0)",
                            [(p.reference,) for p in opening.posts])
        self._store_snapshots(0, [(0, opening)])
        self._put_basis(basis)
        self._append(self._basis_fields(basis))

    def _check_schema(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in self.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        if version > SCHEMA_VERSION:
            raise RegisterError(f"{self.path}: made by a newer version of establishment "
                                f"(register schema {version}; this version reads schema "
                                f"{SCHEMA_VERSION}): upgrade establishment to read it")
        if version < 1 or not TABLES <= tables:
            raise RegisterError(f"{self.path}: not an establishment register")
        if version < SCHEMA_VERSION:
            self._migrate(version)

    def _migrate(self, version: int) -> None:
        """Bring a register written by an earlier version up to :data:`SCHEMA_VERSION`, one
        step at a time, in one transaction (all of it or none), recorded in the ledger as a
        ``migration`` entry holding the bases and limits it found (which no entry of the
        earlier schemas recorded)."""
        self.db.execute("PRAGMA foreign_keys = OFF")  # the ledger's table is rebuilt
        try:
            with self.transaction():
                for step_from in range(version, SCHEMA_VERSION):
                    MIGRATIONS[step_from](self.db)
                self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                found = {"from_schema": version,
                         "bases": {str(y): t for y, t in self.db.execute(
                             "SELECT pay_year, fields FROM basis")},
                         "limits": [list(r) for r in self.db.execute(
                             DIGEST_QUERIES["limit"])]}
                self._append(self._fields(
                    "migration", note=f"register schema {version} migrated to "
                    f"{SCHEMA_VERSION}", content=canonical(found)))
        finally:
            self.db.execute("PRAGMA foreign_keys = ON")

    def check_sound(self) -> None:
        """Refuse (a :class:`RegisterError` naming the file) a register whose file is
        damaged (SQLite's ``quick_check``) or whose tables were changed outside this library:
        the last entry's own hash, and the digests it recorded of every other table
        (:mod:`~establishment.register.integrity`). Each snapshot and entry a query replays
        from is checked as it is read. ``register verify`` says where the damage is."""
        with self.reading():
            self._check_sound()

    @contextmanager
    def reading(self) -> Iterator[None]:
        """One read transaction: every statement in it sees the file as one writer's commit
        left it (a writer in another process waits for it to end)."""
        self.db.execute("BEGIN")
        try:
            yield
        finally:
            self.db.execute("ROLLBACK")  # nothing was written

    def _check_sound(self) -> None:
        problems = quick_check(self.db)
        if problems:
            raise RegisterError(f"{self.path}: the file is damaged; nothing was read from it "
                                "(restore it from a copy):", problems[:10], where=self.path)
        last = self._last()
        if last is None:  # every register has one (its first basis, or its migration)
            raise RegisterError(f"{self.path}: {EMPTY_LEDGER}: it was changed outside "
                                "establishment; nothing was read from it (`register verify` "
                                "says more)")
        if not last.sound:
            raise RegisterError(f"{self.path}: entry {last.id}, the last, does not match its "
                                "hash: the register was changed outside establishment; "
                                "nothing was read from it (`register verify` says more)")
        changed = changed_tables(self.db, last.state)
        if changed:
            raise RegisterError(f"{self.path}: the {', '.join(changed)} table(s) were changed "
                                "outside establishment (they differ from what the last entry "
                                f"recorded, entry {last.id}); nothing was read from it "
                                "(`register verify` says more)")

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One ``BEGIN IMMEDIATE`` transaction: committed whole, or rolled back whole."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as err:
            if "locked" in str(err) or "busy" in str(err):
                raise RegisterBusy(f"{self.path}: the register is busy: another process has "
                                   f"been writing to it for more than {BUSY_TIMEOUT:g} s; try "
                                   "again") from None
            raise RegisterError(f"{self.path}: cannot write: {err}") from None
        done = False
        try:
            yield
            done = True
        finally:  # whatever stopped the body (an error, Ctrl-C, the generator closed)
            if not done:
                self.db.execute("ROLLBACK")
        _fault_point("before-commit")
        self.db.execute("COMMIT")

    # --- meta, bases, limits ---------------------------------------------------------------

    def meta(self, key: str) -> str:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return "" if row is None else row[0]

    @property
    def employer(self) -> str:
        return self.meta("employer")

    @property
    def opened_on(self) -> dt.date:
        return dt.date.fromisoformat(self.meta("opened_on"))

    def opening(self) -> Structure:
        return parse_structure_text(self.meta("opening"), f"{self.path} (opening)").structure

    def _put_basis(self, basis: PayBasis) -> None:
        self.db.execute("INSERT OR REPLACE INTO basis VALUES (?, ?)",
                        (basis.pay_year, basis_text(basis)))

    def _basis_fields(self, basis: PayBasis) -> dict[str, Any]:
        label = pay_scales.pay_year_label(basis.pay_year)
        return self._fields("basis", note=f"pay basis for {label}", content=basis_text(basis))

    def set_basis(self, basis: PayBasis) -> None:
        """Store (or replace) the pay basis of ``basis.pay_year``: an entry of the ledger."""
        basis.load_employer()  # an unknown employer or rule fails now, not when costing
        with self.transaction():
            self._put_basis(basis)
            self._append(self._basis_fields(basis))

    def bases(self) -> dict[int, PayBasis]:
        rows = self.db.execute("SELECT pay_year, fields FROM basis ORDER BY pay_year")
        return {year: basis_from_values(json.loads(text)) for year, text in rows}

    def basis_for(self, pay_year: int) -> PayBasis:
        """The stored basis of a pay year; a year without one is an error, never a guess.
        Only that year's row is read and parsed (costing asks for it once per segment or
        limit, and a register stores many years)."""
        row = self.db.execute("SELECT fields FROM basis WHERE pay_year = ?",
                              (pay_year,)).fetchone()
        if row is None:
            label = pay_scales.pay_year_label(pay_year)
            raise RegisterError(f"{self.path}: no pay basis stored for {label}: add one with "
                                f"`establishment register basis {self.path} --pay-year "
                                f"{label} --employer {self.employer} --rule ...`")
        return basis_from_values(json.loads(row[0]))

    def ftes(self, posts: Sequence[Post], day: dt.date) -> list[Fraction]:
        """Each post's exact fte on ``day`` (a post given in hours: hours / the full-time hours
        of the basis of ``day``'s pay year, asked for only then)."""
        return exact_ftes(posts, lambda: self.basis_for(pay_scales.pay_year_of(day)))

    def set_limit(self, limit: Limit) -> None:
        """Store (or replace) a team's limits for a pay year."""
        row = [limit.team, limit.pay_year, _text(limit.fte), limit.headcount,
               _text(limit.budget), str(limit.temporary)]
        with self.transaction():
            self.db.execute("INSERT OR REPLACE INTO team_limit VALUES (?, ?, ?, ?, ?, ?)", row)
            self._append(self._fields(
                "limit", note=f"limits of team {limit.team!r} in "
                f"{pay_scales.pay_year_label(limit.pay_year)}", content=canonical(row)))

    def limits(self, pay_year: int | None = None) -> list[Limit]:
        query = "SELECT * FROM team_limit"
        rows = self.db.execute(query + " ORDER BY pay_year, team").fetchall()
        return [Limit(*r) for r in rows if pay_year is None or r[1] == pay_year]

    # --- the ledger ---------------------------------------------------------------------

    def entries(self) -> list[Entry]:
        return [Entry.from_row(r) for r in self.db.execute(
            f"SELECT {', '.join(COLUMNS)} FROM entry ORDER BY id")]

    def entry(self, entry_id: int) -> Entry:
        row = self.db.execute(f"SELECT {', '.join(COLUMNS)} FROM entry WHERE id = ?",
                              (entry_id,)).fetchone()
        if row is None:
            raise RegisterError(f"{self.path}: no decision {entry_id}")
        return Entry.from_row(row)

    def _last(self) -> Entry | None:
        row = self.db.execute(f"SELECT {', '.join(COLUMNS)} FROM entry ORDER BY id DESC "
                              "LIMIT 1").fetchone()
        return None if row is None else Entry.from_row(row)

    def head(self) -> str:
        """The hash of the last entry (the opening record's while there is none): record it
        elsewhere (a committee minute) and ``verify --head`` detects any change since."""
        row = self.db.execute("SELECT hash FROM entry ORDER BY id DESC LIMIT 1").fetchone()
        return self.meta("opening_hash") if row is None else row[0]

    def order(self) -> list[tuple[dt.date, int]]:
        """The decisions in force, in replay order: (effective date, id)."""
        rows = self.db.execute(
            "SELECT effective, id FROM entry WHERE kind = 'decision' AND id NOT IN "
            "(SELECT revokes FROM entry WHERE kind = 'revocation') ORDER BY effective, id")
        return [(dt.date.fromisoformat(e), i) for e, i in rows]

    def _changes(self, entry_id: int) -> tuple[Change, ...]:
        """A decision's changes, read for replay: an entry that does not match its own hash
        is refused, not replayed."""
        entry = self.entry(entry_id)
        if not entry.sound:
            raise RegisterError(f"{self.path}: entry {entry_id} does not match its hash: the "
                                "register was changed outside establishment; nothing was read "
                                "from it (`register verify` says more)")
        return entry.changes

    # --- replay -------------------------------------------------------------------------

    def state_at(self, position: int, order: list[tuple[dt.date, int]] | None = None
                 ) -> Structure:
        """The state after the first ``position`` decisions of the replay order, from the
        nearest stored snapshot at or before it."""
        order = self.order() if order is None else order
        key = (self.head(), position)
        if key in self._states:
            return self._states[key]
        seq, blob, digest = self.db.execute(
            "SELECT seq, state, digest FROM snapshot WHERE seq <= ? ORDER BY seq DESC LIMIT 1",
            (position,)).fetchone()
        cached = max((p for h, p in self._states if h == key[0] and seq < p <= position),
                     default=None)
        if cached is not None:
            seq, state = cached, self._states[(key[0], cached)]
        else:
            if sha256(blob) != digest:
                raise RegisterError(f"{self.path}: damaged: snapshot {seq} cannot be read (it "
                                    "does not match its digest: the register was changed "
                                    "outside establishment); `register verify` says more")
            try:  # a snapshot damaged on disk is the file's problem, said with its name
                state = decode(blob)
            except UNREADABLE as err:
                raise RegisterError(f"{self.path}: damaged: snapshot {seq} cannot be read "
                                    f"({_said(err)}); `register verify` checks the "
                                    "file") from None
        for effective, entry_id in order[seq:position]:
            state = step(state, effective, self._changes(entry_id))
        self._remember(key, state)
        return state

    def _remember(self, key: tuple[str, int], state: Structure) -> None:
        self._states = {k: v for k, v in self._states.items() if k[0] == key[0]}
        if len(self._states) >= 4:
            self._states.pop(next(iter(self._states)))
        self._states[key] = state

    def state_on(self, day: dt.date) -> Structure:
        """The full state after every decision effective on or before ``day``, with posts
        ended before ``day`` gone (posts starting later are still there: see :meth:`as_of`)."""
        return prune(self.state_until(day), day)

    def state_until(self, day: dt.date) -> Structure:
        """The state after every decision effective on or before ``day``, ended posts not yet
        taken out (see :func:`~establishment.register.state.step`): for queries that filter
        the posts themselves."""
        order = self.order()
        return self.state_at(bisect.bisect_right([e for e, _ in order], day), order)

    def as_of(self, day: dt.date) -> Structure:
        """The establishment in force on ``day``."""
        structure = view(self.state_until(day), day)
        return structure.evolve(name=f"{Path(self.path).stem} as of {day.isoformat()}")

    def _replay_from(self, state: Structure, order: list[tuple[dt.date, int]], start: int
                     ) -> tuple[list[tuple[int, Structure]], list[str]]:
        """Replay ``order[start:]`` from ``state``: the states after each position and every
        decision that no longer applies (skipped, so one run lists them all)."""
        states, conflicts = [], []
        for position, (effective, entry_id) in enumerate(order[start:], start=start + 1):
            try:
                state = step(state, effective, self._changes(entry_id))
            except ChangeError as err:
                conflicts += [f"decision {entry_id} (effective {effective.isoformat()}), "
                              f"change {n}: {message}" for n, message in err.numbered]
            states.append((position, state))
        return states, conflicts

    def _store_snapshots(self, first: int, states: list[tuple[int, Structure]]) -> None:
        self.db.execute("DELETE FROM snapshot WHERE seq >= ?", (first,))
        blobs = [(seq, encode(state)) for seq, state in states if seq % SNAPSHOT_EVERY == 0]
        self.db.executemany("INSERT INTO snapshot VALUES (?, ?, ?)",
                            [(seq, blob, sha256(blob)) for seq, blob in blobs])

    # --- recording ----------------------------------------------------------------------

    def record(self, content: Sequence[Change] | Structure, *, effective: dt.date,
               approved: dt.date, approved_by: str, reference: str, note: str = "",
               override: str | None = None) -> Entry:
        """Record a decision, all or nothing (see the module's docstring): its changes (or a
        target structure, stored as the changes from the state on ``effective``) must apply
        on its effective date and leave every later decision applicable (else
        :class:`ConflictError`, every conflict listed) and keep within the team limits of
        its pay year (else :class:`LimitError`, unless ``override`` gives a reason)."""
        _check_text(approved_by=approved_by, reference=reference)
        with self.transaction():
            order = self.order()
            if effective < self.opened_on:
                raise ConflictError(f"{self.path}: effective date {effective.isoformat()} is "
                                    f"before the register opens ({self.opened_on.isoformat()})")
            position = bisect.bisect_right([e for e, _ in order], effective)
            state = self.state_at(position, order)
            before = prune(state, effective)
            changes = self._normalised(before, content, effective)
            after = self._apply_new(state, effective, changes)
            self._check_costable(after, effective, changes)
            if override is None:
                self._check_limits(before, after, effective)
            fields = self._fields("decision", effective=effective, approved=approved,
                                  approved_by=approved_by, reference=reference, note=note,
                                  content=changes_to_toml(changes), override=override)
            order.insert(position, (effective, fields["id"]))
            self._commit_entry(fields, after, order, position, established(changes))
        return self.entry(fields["id"])

    def _normalised(self, before: Structure, content: Sequence[Change] | Structure,
                    effective: dt.date) -> list[Change]:
        maker = ReferenceMaker(_Used(self.db), int(self.meta("reference_counter")))
        if isinstance(content, Structure):
            content = self._as_changes(before, content, effective, maker)
        changes, problems = normalise(before, list(content), maker)
        if problems:
            raise ConflictError(f"{self.path}: the decision does not fit the establishment "
                                f"on {effective.isoformat()}; nothing was written:", problems,
                                where=str(self.path))
        references = established(changes)
        for number, reference in enumerate(references):
            row = self.db.execute("SELECT entry FROM post_ref WHERE reference = ?",
                                  (reference,)).fetchone()
            used = _by(row[0]) if row is not None else (
                "by this decision" if reference in references[:number] else None)
            if used is not None:
                raise ConflictError(f"{self.path}: post reference {reference!r} is already "
                                    f"used ({used}); references are never reused")
        self.db.execute("UPDATE meta SET value = ? WHERE key = 'reference_counter'",
                        (str(maker.counter),))
        return changes

    def _as_changes(self, before: Structure, target: Structure, effective: dt.date,
                    maker: ReferenceMaker) -> list[Change]:
        """A target structure as the changes from ``before``: unreferenced target posts take
        the reference of the one post of ``before`` their team and title name (by the one
        matching rule, :class:`~establishment.register.state.Names`), each at most once."""
        from establishment.operations.diff import diff

        taken = {p.reference for p in target.posts if p.reference}
        names = Names([p for p in before.posts if p.reference not in taken])
        posts = []
        for post in target.posts:
            if not post.reference:
                try:
                    found = names.find(Target(team=post.team, title=post.title))
                except DoesNotFit:  # none, or several: a new post
                    found = None
                if found is not None and found not in taken:
                    post = post.evolve(reference=found)
                    taken.add(found)
            posts.append(post)
        target = target.evolve(posts=with_references(posts, maker))
        basis = self.basis_for(pay_scales.pay_year_of(effective))
        return list(diff(before.evolve(name=target.name), target, basis).changes)

    def _apply_new(self, before: Structure, effective: dt.date, changes: list[Change]
                   ) -> Structure:
        try:
            return step(before, effective, changes)
        except ChangeError as err:
            raise ConflictError(f"{self.path}: the decision does not fit the establishment "
                                f"on {effective.isoformat()}; nothing was written:",
                                [f"change {n}: {m}" for n, m in err.numbered],
                                where=str(self.path)) from None

    def _check_limits(self, before: Structure, after: Structure, effective: dt.date) -> None:
        """Refuse a decision that takes a team over a limit of the effective date's pay year
        (or further over it)."""
        pay_year = pay_scales.pay_year_of(effective)
        found: list[Breach] = []
        old, new = view(before, effective), view(after, effective)
        basis = functools.cache(functools.partial(self.basis_for, pay_year))  # once, if at all
        for limit in self.limits(pay_year):
            was = {(b.what): b.figure for b in breaches(old, limit, basis)}
            found += [b for b in breaches(new, limit, basis)
                      if b.what not in was or b.figure > was[b.what]]
        if found:
            raise LimitError([str(b) for b in found], str(self.path))

    def _check_costable(self, after: Structure, effective: dt.date,
                        changes: Sequence[Change]) -> None:
        """Refuse a decision whose posts cannot be costed on the basis of its effective
        date's pay year (an unknown grade, an scp outside its grade, hours without full-time
        hours), naming each post and why: recorded, it would leave every cost over the
        period failing, and the ledger cannot be mended."""
        touched = set(established(changes)) | {
            c.target.reference for c in changes if isinstance(c, POST_CHANGES)}
        posts = [p for p in after.posts if p.reference in touched]
        if not posts:
            return
        basis = self.basis_for(pay_scales.pay_year_of(effective))
        try:
            cost_of(Structure("decision", posts), basis)
        except CostingError as err:  # its problems name the posts (a message alone: none)
            raise ConflictError(
                f"{self.path}: the decision cannot be costed on the basis of "
                f"{pay_scales.pay_year_label(basis.pay_year)} (effective "
                f"{effective.isoformat()}); nothing was written:",
                [f"{p.file}: {p.message}" if p.file else p.message for p in err.problems],
                where=str(self.path)) from None

    def _fields(self, kind: str, *, effective: dt.date | None = None,
                approved: dt.date | None = None, approved_by: str = "", reference: str = "",
                note: str, content: str = "", revokes: int | None = None,
                override: str | None = None) -> dict[str, Any]:
        """A new entry's fields (its ``state`` and hash are added by :meth:`_append`, once
        every table is written)."""
        last = self.db.execute("SELECT max(id) FROM entry").fetchone()[0] or 0
        return {"id": last + 1, "kind": kind,
                "effective": effective.isoformat() if effective else None,
                "approved": approved.isoformat() if approved else None,
                "approved_by": approved_by, "reference": reference, "note": note,
                "content": content, "revokes": revokes, "override": override,
                "recorded_at": _now(), "prev_hash": self.head()}

    def _append(self, fields: dict[str, Any]) -> None:
        """Append an entry to the ledger, last in its transaction: its ``state`` is the
        digest of every other table as the transaction leaves them, and its hash covers
        that (:mod:`~establishment.register.integrity`)."""
        fields["state"] = state_text(self.db)
        fields["hash"] = entry_hash(fields)
        _fault_point("before-entry")
        self.db.execute(f"INSERT INTO entry ({', '.join(COLUMNS)}) VALUES "
                        f"({', '.join('?' * len(COLUMNS))})", [fields[k] for k in COLUMNS])
        _fault_point("after-entry")

    def _commit_entry(self, fields: dict[str, Any], new_state: Structure,
                      order: list[tuple[dt.date, int]], position: int,
                      references: list[str]) -> None:
        """Check every later decision still applies, then write the references, the rebuilt
        snapshots and the entry (the caller's transaction commits them together)."""
        later, conflicts = self._replay_from(new_state, order, position + 1)
        if conflicts:
            raise ConflictError(f"{self.path}: later decisions would no longer apply; nothing "
                                "was written:", conflicts, where=str(self.path))
        self.db.executemany("INSERT INTO post_ref VALUES (?, ?)",
                            [(r, fields["id"]) for r in references])
        self._store_snapshots(position + 1, [(position + 1, new_state), *later])
        _fault_point("after-snapshots")
        self._append(fields)
        self._states.clear()
        last = later[-1] if later else (position + 1, new_state)
        self._remember((fields["hash"], last[0]), last[1])

    def revoke(self, entry_id: int, *, reason: str, approved_by: str = "",
               reference: str = "") -> Entry:
        """Record that decision ``entry_id`` is removed from replay; refused (listing them)
        when later decisions would then fail."""
        _check_text(reason=reason)
        with self.transaction():
            order = self.order()
            ids = [i for _, i in order]
            if entry_id not in ids:
                target = self.db.execute("SELECT kind FROM entry WHERE id = ?",
                                         (entry_id,)).fetchone()
                what = "no such decision" if target is None else (
                    f"a {target[0]} entry, not a decision" if target[0] != "decision"
                    else "already revoked")
                raise RegisterError(f"{self.path}: cannot revoke {entry_id}: {what}")
            position = ids.index(entry_id)
            before = self.state_at(position, order)
            later, conflicts = self._replay_from(before, order, position + 1)
            if conflicts:
                raise ConflictError(f"{self.path}: revoking decision {entry_id} would leave "
                                    "later decisions unable to apply; nothing was written:",
                                    conflicts, where=str(self.path))
            fields = self._fields("revocation", approved_by=approved_by, reference=reference,
                                  note=reason, revokes=entry_id)
            self.db.execute("DELETE FROM post_ref WHERE entry = ?", (entry_id,))
            renumbered = [(seq - 1, state) for seq, state in later]
            self._store_snapshots(position + 1, renumbered)
            self._append(fields)
            self._states.clear()
        return self.entry(fields["id"])

    def verify(self, *, deep: bool = False, head: str | None = None) -> str:
        """Check the register; return the head hash (record it elsewhere: a committee
        minute). Every problem is a :class:`RegisterError` listing them, first to last:

        - the file (SQLite's ``quick_check``);
        - the chain: the opening record's hash, then each entry's own hash and its link to
          the entry before it (the first bad entry is named first);
        - the tables the chain covers: each stored basis and limit against the ledger's
          entries, each snapshot against its digest, every table against the digests the
          last entry recorded;
        - ``head``: a head recorded elsewhere must be in the chain (the opening record's or
          an entry's hash), the only defence against a deleted last entry or a chain
          rewritten whole;
        - ``deep``: the whole ledger replayed from the opening establishment, and every
          stored snapshot compared with it.
        """
        with self.reading():
            return self._verify(deep, head)

    def _verify(self, deep: bool, head: str | None) -> str:
        problems = quick_check(self.db)
        if problems:
            raise RegisterError(f"{self.path}: the file is damaged:", problems[:10],
                                where=self.path)
        entries = self.entries()
        problems = self._chain_problems(entries, head)
        problems += settings_problems(self.db, [(e.id, e.kind, e.content) for e in entries])
        problems += snapshot_problems(self.db)
        last = entries[-1] if entries else None
        if last is None:
            problems.append(EMPTY_LEDGER)
        problems += [f"the {name} table differs from what the last entry (entry {last.id}) "
                     "recorded" for name in changed_tables(self.db, last.state if last else None)]
        if problems:
            raise RegisterError(f"{self.path}: the register fails verification:", problems,
                                where=str(self.path))
        if deep:
            self._verify_snapshots()
        return self.head()

    def _chain_problems(self, entries: list[Entry], head: str | None) -> list[str]:
        meta = {k: self.meta(k) for k in ("employer", "opened_on", "opening", "opening_hash")}
        expected = opening_hash(meta["employer"], meta["opened_on"], meta["opening"])
        problems = []
        if expected != meta["opening_hash"]:
            problems.append("the opening record does not match its hash")
        problems += chain_problems(expected, [e.fields() for e in entries])
        if head is not None and head != expected and head not in {e.hash for e in entries}:
            problems.append(f"the head recorded elsewhere ({head}) is not in this register's "
                            "chain: entries after it were deleted, or the chain was rewritten")
        return problems

    def _verify_snapshots(self) -> None:
        order = self.order()
        state = self.opening()
        stored = dict(self.db.execute("SELECT seq, state FROM snapshot"))
        problems = []
        for seq in range(len(order) + 1):
            if seq:
                effective, entry_id = order[seq - 1]
                state = step(state, effective, self._changes(entry_id))
            if seq in stored:
                problems += _snapshot_problems(seq, stored.pop(seq), state)
        problems += [f"snapshot {seq}: beyond the last decision" for seq in stored]
        if problems:
            raise RegisterError(f"{self.path}: stored snapshots fail verification:", problems,
                                where=str(self.path))


#: what decoding a damaged snapshot raises (a post's validating constructor: ValueError)
UNREADABLE = (TypeError, ValueError, KeyError, zlib.error)


def _said(err: Exception) -> str:
    """An error's message on one line, cut to 80 characters (it may quote damaged data)."""
    return " ".join(str(err).split())[:80]


def _snapshot_problems(seq: int, blob: bytes, state: Structure) -> list[str]:
    """What ``verify --deep`` finds wrong with a stored snapshot, against the state the ledger
    replays to: it cannot be read (every record rebuilt through its validating constructor),
    or its posts or payments differ."""
    try:
        found = decode(blob, check=True)
    except UNREADABLE as err:
        return [f"snapshot {seq}: cannot be read ({_said(err)})"]
    if (found.posts, found.payments) != (state.posts, state.payments):
        return [f"snapshot {seq}: differs from the ledger replayed"]
    return []


def _basis_columns_to_fields(db: sqlite3.Connection) -> None:
    """Schema 1 -> 2: the basis table's columns (employer, point, rule, costed_rates,
    range_point, rates_on) become every figure-changing field as JSON. Schema 1 stored no
    ``round_to``, ``ni_basis`` or ``whole_pay_bill``: its registers were costed with the rule's
    rounding and NI convention and without the levy allowance, which is what their defaults
    (None, None, False) say, so every figure stays as it was."""
    rows = db.execute("SELECT pay_year, employer, point, rule, costed_rates, range_point, "
                      "rates_on FROM basis").fetchall()
    db.execute("DROP TABLE basis")
    db.execute("CREATE TABLE basis (pay_year INTEGER PRIMARY KEY, fields TEXT NOT NULL)")
    db.executemany("INSERT INTO basis VALUES (?, ?)", [
        (year, basis_text(PayBasis(employer=employer, pay_year=year, point=point, rule=rule,
                                   costed_rates=bool(costed), range_point=range_point,
                                   rates_on=_day(rates_on))))
        for year, employer, point, rule, costed, range_point, rates_on in rows])


def _chain_the_tables(db: sqlite3.Connection) -> None:
    """Schema 2 -> 3: the ledger takes the entries that store a basis, a limit or a
    migration, and the digest of the other tables after each entry (``state``); each
    snapshot its own digest. The ledger's table is rebuilt (SQLite cannot widen its
    ``kind`` check in place); every entry is copied as it was, so every hash still holds."""
    for action in ("update", "delete"):
        db.execute(f"DROP TRIGGER entry_no_{action}")
    db.execute("ALTER TABLE entry RENAME TO entry_schema_2")
    db.execute(SCHEMA[SCHEMA.index("CREATE TABLE entry"):SCHEMA.index("CREATE TABLE post_ref")])
    columns = ", ".join(ENTRY_FIELDS) + ", hash"
    db.execute(f"INSERT INTO entry ({columns}) SELECT {columns} FROM entry_schema_2")
    db.execute("DROP TABLE entry_schema_2")
    for statement in (INDEX, *TRIGGERS):
        db.execute(statement)
    db.execute("ALTER TABLE snapshot ADD COLUMN digest TEXT")
    for seq, blob in db.execute("SELECT seq, state FROM snapshot").fetchall():
        db.execute("UPDATE snapshot SET digest = ? WHERE seq = ?", (sha256(blob), seq))


# each step brings a register from schema N (the key) to N + 1
MIGRATIONS = {1: _basis_columns_to_fields, 2: _chain_the_tables}


class _Used:
    """Post references ever used in the register (read from ``post_ref`` on demand)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __contains__(self, reference: object) -> bool:
        return self.db.execute("SELECT 1 FROM post_ref WHERE reference = ?",
                               (reference,)).fetchone() is not None


def _by(entry_id: int) -> str:
    return "in the opening establishment" if entry_id == 0 else f"by decision {entry_id}"


def _check_text(**values: str) -> None:
    for name, value in values.items():
        if not isinstance(value, str) or not value.strip():
            raise RegisterError(f"{name.replace('_', ' ')} must be given (non-empty text)")


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _connect(path: str | Path) -> sqlite3.Connection:
    try:
        db = sqlite3.connect(str(path), isolation_level=None)  # the busy timeout: next
        db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
        db.execute("PRAGMA foreign_keys = ON")
    except sqlite3.Error as err:
        raise RegisterError(f"{path}: cannot open: {err}") from None
    return db


def open_register(path: str | Path) -> Register:
    """Open an existing register (see :meth:`Register.open`)."""
    return Register.open(path)
