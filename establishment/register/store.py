"""The register file: an append-only, hash-chained ledger of decisions in SQLite.

Tables: ``meta`` (employer, opening date and establishment, reference counter), ``basis`` (the
pay basis of each pay year), ``entry`` (the ledger: decisions and revocations, each with the
hash of the one before), ``post_ref`` (every post reference ever used, and the entry that
established it), ``team_limit`` (position control) and ``snapshot`` (derived: the state after
every ``SNAPSHOT_EVERY``-th decision in replay order, rebuilt whenever an earlier position
changes, in the same transaction).

Every write runs in one ``BEGIN IMMEDIATE`` transaction: all of it is written or none (a
process killed part-way leaves the file as it was: SQLite's journal rolls it back on the next
open). A second writer waits up to :data:`BUSY_TIMEOUT` seconds, then fails with a clear
:class:`RegisterBusy`.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import json
import os
import signal
import sqlite3
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from attrs import frozen

import pay_scales
from establishment.io.changes_file import changes_to_toml, parse_changes_text
from establishment.io.toml_file import parse_structure_text, structure_to_toml
from establishment.model.pay_basis import PayBasis
from establishment.model.structure import Structure
from establishment.operations.changes import Change, ChangeError
from establishment.register.errors import (
    ConflictError,
    LimitError,
    RegisterBusy,
    RegisterError,
)
from establishment.register.limits import Breach, Limit, breaches
from establishment.register.state import (
    ReferenceMaker,
    decode,
    encode,
    established,
    normalise,
    prune,
    step,
    view,
    with_references,
)

SCHEMA_VERSION = 1
BUSY_TIMEOUT = 30.0
SNAPSHOT_EVERY = 8
KILL_POINT_VARIABLE = "ESTABLISHMENT_REGISTER_KILL_AT"

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE basis (pay_year INTEGER PRIMARY KEY, employer TEXT NOT NULL, point TEXT NOT NULL,
    rule TEXT, costed_rates INTEGER NOT NULL, range_point TEXT NOT NULL, rates_on TEXT);
CREATE TABLE entry (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('decision', 'revocation')),
    effective TEXT, approved TEXT, approved_by TEXT NOT NULL, reference TEXT NOT NULL,
    note TEXT NOT NULL, content TEXT NOT NULL, revokes INTEGER REFERENCES entry(id),
    override TEXT, recorded_at TEXT NOT NULL, prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE);
CREATE INDEX entry_effective ON entry (effective, id);
CREATE TABLE post_ref (reference TEXT PRIMARY KEY, entry INTEGER NOT NULL);
CREATE TABLE team_limit (team TEXT NOT NULL, pay_year INTEGER NOT NULL, fte TEXT,
    headcount INTEGER, budget TEXT, temporary TEXT NOT NULL, PRIMARY KEY (team, pay_year));
CREATE TABLE snapshot (seq INTEGER PRIMARY KEY, state BLOB NOT NULL);
"""

# the ledger is append-only in the file itself, not only by this library's habit
TRIGGERS = [f"""CREATE TRIGGER entry_no_{action.lower()} BEFORE {action} ON entry
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: record a revocation instead'); END"""
            for action in ("UPDATE", "DELETE")]

ENTRY_FIELDS = ("id", "kind", "effective", "approved", "approved_by", "reference", "note",
                "content", "revokes", "override", "recorded_at", "prev_hash")


_KILL_COUNTS: dict[str, int] = {}


def _kill_point(name: str) -> None:
    """A test hook: die by SIGKILL at a named point of a write (``after-entry``), or at its
    n-th passing (``after-entry@3``), as a power cut would stop the process."""
    wanted = os.environ.get(KILL_POINT_VARIABLE)
    if not wanted or wanted.partition("@")[0] != name:
        return
    _KILL_COUNTS[name] = _KILL_COUNTS.get(name, 0) + 1
    nth = wanted.partition("@")[2]
    if not nth or int(nth) == _KILL_COUNTS[name]:
        os.kill(os.getpid(), signal.SIGKILL)


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
    hash: str

    @property
    def changes(self) -> tuple[Change, ...]:
        return parse_changes_text(self.content, f"decision {self.id}").changes

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> Entry:
        values = list(row)
        values[2], values[3] = _day(values[2]), _day(values[3])
        return cls(*values)


def entry_hash(fields: dict[str, Any]) -> str:
    """sha256 of an entry's fields (canonical JSON) including the previous hash."""
    text = json.dumps({k: fields[k] for k in ENTRY_FIELDS}, sort_keys=True,
                      separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def opening_hash(employer: str, opened_on: str, opening: str) -> str:
    text = json.dumps([employer, opened_on, opening], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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
    def open(cls, path: str | Path) -> Register:
        """Open an existing register; a missing file, another kind of file or a register
        from a newer version of this library is a clear :class:`RegisterError`."""
        if not Path(path).is_file():
            raise RegisterError(f"{path}: no such register (make one with `establishment "
                                "register init`)")
        register = cls(path, _connect(path))
        try:
            register._check_schema()
        except RegisterError:
            register.close()
            raise
        return register

    @classmethod
    def create(cls, path: str | Path, basis: PayBasis, *, opening: Structure | None = None,
               opened_on: dt.date) -> Register:
        """A new register: its employer and first pay basis (stated, never assumed), and the
        establishment on its opening date (posts without a reference are given one)."""
        if Path(path).exists():
            raise RegisterError(f"{path}: already exists; a register is never overwritten")
        register = cls(path, _connect(path))
        made = False
        try:
            with register.transaction():
                for statement in [*SCHEMA.split(";"), *TRIGGERS]:
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
        maker = ReferenceMaker(set(), 0)
        opening = opening.evolve(posts=with_references(opening.posts, maker))
        text = structure_to_toml(opening)
        meta = {"employer": basis.employer, "opened_on": opened_on.isoformat(),
                "opening": text, "reference_counter": str(maker.counter),
                "created": _now()}
        meta["opening_hash"] = opening_hash(meta["employer"], meta["opened_on"], text)
        self.db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        self.db.executemany("INSERT INTO post_ref VALUES (?, 0)",
                            [(p.reference,) for p in opening.posts])
        self._put_basis(basis)
        self.db.execute("INSERT INTO snapshot VALUES (0, ?)", (encode(opening),))

    def _check_schema(self) -> None:
        with sqlite_errors(self.path):
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in self.db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
        if version > SCHEMA_VERSION:
            raise RegisterError(f"{self.path}: made by a newer version of establishment "
                                f"(register schema {version}; this version reads schema "
                                f"{SCHEMA_VERSION}): upgrade establishment to read it")
        if version < 1 or not {"meta", "entry", "snapshot"} <= tables:
            raise RegisterError(f"{self.path}: not an establishment register")

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
        _kill_point("before-commit")
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
        self.db.execute("INSERT OR REPLACE INTO basis VALUES (?, ?, ?, ?, ?, ?, ?)", (
            basis.pay_year, basis.employer, basis.point, basis.rule, int(basis.costed_rates),
            basis.range_point, basis.rates_on.isoformat() if basis.rates_on else None))

    def set_basis(self, basis: PayBasis) -> None:
        """Store (or replace) the pay basis of ``basis.pay_year``."""
        basis.load_employer()  # an unknown employer or rule fails now, not when costing
        with self.transaction():
            self._put_basis(basis)

    def bases(self) -> dict[int, PayBasis]:
        rows = self.db.execute("SELECT * FROM basis ORDER BY pay_year").fetchall()
        return {r[0]: PayBasis(employer=r[1], pay_year=r[0], point=r[2], rule=r[3],
                               costed_rates=bool(r[4]), range_point=r[5],
                               rates_on=_day(r[6])) for r in rows}

    def basis_for(self, pay_year: int) -> PayBasis:
        """The stored basis of a pay year; a year without one is an error, never a guess."""
        basis = self.bases().get(pay_year)
        if basis is None:
            label = pay_scales.pay_year_label(pay_year)
            raise RegisterError(f"{self.path}: no pay basis stored for {label}: add one with "
                                f"`establishment register basis {self.path} --pay-year "
                                f"{label} --employer {self.employer} --rule ...`")
        return basis

    def set_limit(self, limit: Limit) -> None:
        """Store (or replace) a team's limits for a pay year."""
        with self.transaction():
            self.db.execute("INSERT OR REPLACE INTO team_limit VALUES (?, ?, ?, ?, ?, ?)", (
                limit.team, limit.pay_year, _text(limit.fte), limit.headcount,
                _text(limit.budget), str(limit.temporary)))

    def limits(self, pay_year: int | None = None) -> list[Limit]:
        query = "SELECT * FROM team_limit"
        rows = self.db.execute(query + " ORDER BY pay_year, team").fetchall()
        return [Limit(*r) for r in rows if pay_year is None or r[1] == pay_year]

    # --- the ledger ---------------------------------------------------------------------

    def entries(self) -> list[Entry]:
        columns = ", ".join(ENTRY_FIELDS) + ", hash"
        return [Entry.from_row(r) for r in self.db.execute(
            f"SELECT {columns} FROM entry ORDER BY id")]

    def entry(self, entry_id: int) -> Entry:
        columns = ", ".join(ENTRY_FIELDS) + ", hash"
        row = self.db.execute(f"SELECT {columns} FROM entry WHERE id = ?",
                              (entry_id,)).fetchone()
        if row is None:
            raise RegisterError(f"{self.path}: no decision {entry_id}")
        return Entry.from_row(row)

    def head(self) -> str:
        row = self.db.execute("SELECT hash FROM entry ORDER BY id DESC LIMIT 1").fetchone()
        return self.meta("opening_hash") if row is None else row[0]

    def order(self) -> list[tuple[dt.date, int]]:
        """The decisions in force, in replay order: (effective date, id)."""
        rows = self.db.execute(
            "SELECT effective, id FROM entry WHERE kind = 'decision' AND id NOT IN "
            "(SELECT revokes FROM entry WHERE kind = 'revocation') ORDER BY effective, id")
        return [(dt.date.fromisoformat(e), i) for e, i in rows]

    def _changes(self, entry_id: int) -> tuple[Change, ...]:
        row = self.db.execute("SELECT content FROM entry WHERE id = ?", (entry_id,)).fetchone()
        return parse_changes_text(row[0], f"decision {entry_id}").changes

    # --- replay -------------------------------------------------------------------------

    def state_at(self, position: int, order: list[tuple[dt.date, int]] | None = None
                 ) -> Structure:
        """The state after the first ``position`` decisions of the replay order, from the
        nearest stored snapshot at or before it."""
        order = self.order() if order is None else order
        key = (self.head(), position)
        if key in self._states:
            return self._states[key]
        seq, blob = self.db.execute("SELECT seq, state FROM snapshot WHERE seq <= ? ORDER BY "
                                    "seq DESC LIMIT 1", (position,)).fetchone()
        cached = max((p for h, p in self._states if h == key[0] and seq < p <= position),
                     default=None)
        if cached is not None:
            seq, state = cached, self._states[(key[0], cached)]
        else:
            try:  # a snapshot damaged on disk is the file's problem, said with its name
                state = decode(blob)
            except (TypeError, ValueError, KeyError, zlib.error) as err:
                raise RegisterError(f"{self.path}: damaged: snapshot {seq} cannot be read "
                                    f"({' '.join(str(err).split())[:80]}); `register "
                                    "verify` checks the file") from None
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
        order = self.order()
        position = bisect.bisect_right([e for e, _ in order], day)
        return prune(self.state_at(position, order), day)

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
        self.db.executemany("INSERT INTO snapshot VALUES (?, ?)", [
            (seq, encode(state)) for seq, state in states if seq % SNAPSHOT_EVERY == 0])

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
            if override is None:
                self._check_limits(before, after, effective)
            fields = self._entry_fields("decision", effective, approved, approved_by,
                                        reference, note, changes_to_toml(changes), None,
                                        override)
            order.insert(position, (effective, fields["id"]))
            self._commit_entry(fields, after, order, position, established(changes))
        return self.entry(fields["id"])

    def _normalised(self, before: Structure, content: Sequence[Change] | Structure,
                    effective: dt.date) -> list[Change]:
        maker = ReferenceMaker(_Used(self.db), int(self.meta("reference_counter") or 0))
        if isinstance(content, Structure):
            content = self._as_changes(before, content, effective, maker)
        changes, problems = normalise(before, list(content), maker)
        if problems:
            raise ConflictError(f"{self.path}: the decision does not fit the establishment "
                                f"on {effective.isoformat()}; nothing was written:", problems,
                                where=str(self.path))
        for reference in established(changes):
            row = self.db.execute("SELECT entry FROM post_ref WHERE reference = ?",
                                  (reference,)).fetchone()
            if row is not None:
                raise ConflictError(f"{self.path}: post reference {reference!r} is already "
                                    f"used ({_by(row[0])}); references are never reused")
        self.db.execute("UPDATE meta SET value = ? WHERE key = 'reference_counter'",
                        (str(maker.counter),))
        return changes

    def _as_changes(self, before: Structure, target: Structure, effective: dt.date,
                    maker: ReferenceMaker) -> list[Change]:
        """A target structure as the changes from ``before``: unreferenced target posts take
        the reference of the one post of ``before`` with their team and title."""
        from establishment.operations.diff import diff

        names: dict[tuple[str, str], list[str]] = {}
        for post in before.posts:
            names.setdefault((post.team, post.title), []).append(str(post.reference))
        taken = {p.reference for p in target.posts if p.reference}
        posts = []
        for post in target.posts:
            found = [r for r in names.get((post.team, post.title), []) if r not in taken]
            if not post.reference and len(found) == 1:
                post = post.evolve(reference=found[0])
                taken.add(found[0])
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
        def basis() -> PayBasis:
            return self.basis_for(pay_year)

        for limit in self.limits(pay_year):
            was = {(b.what): b.figure for b in breaches(old, limit, basis)}
            found += [b for b in breaches(new, limit, basis)
                      if b.what not in was or b.figure > was[b.what]]
        if found:
            raise LimitError([str(b) for b in found], str(self.path))

    def _entry_fields(self, kind: str, effective: dt.date | None, approved: dt.date | None,
                      approved_by: str, reference: str, note: str, content: str,
                      revokes: int | None, override: str | None) -> dict[str, Any]:
        last = self.db.execute("SELECT max(id) FROM entry").fetchone()[0] or 0
        fields = {"id": last + 1, "kind": kind,
                  "effective": effective.isoformat() if effective else None,
                  "approved": approved.isoformat() if approved else None,
                  "approved_by": approved_by, "reference": reference, "note": note,
                  "content": content, "revokes": revokes, "override": override,
                  "recorded_at": _now(), "prev_hash": self.head()}
        fields["hash"] = entry_hash(fields)
        return fields

    def _commit_entry(self, fields: dict[str, Any], new_state: Structure,
                      order: list[tuple[dt.date, int]], position: int,
                      references: list[str]) -> None:
        """Check every later decision still applies, then write the entry, its references
        and the rebuilt snapshots (the caller's transaction commits them together)."""
        later, conflicts = self._replay_from(new_state, order, position + 1)
        if conflicts:
            raise ConflictError(f"{self.path}: later decisions would no longer apply; nothing "
                                "was written:", conflicts, where=str(self.path))
        _kill_point("before-entry")
        columns = ", ".join([*ENTRY_FIELDS, "hash"])
        self.db.execute(f"INSERT INTO entry ({columns}) VALUES "
                        f"({', '.join('?' * (len(ENTRY_FIELDS) + 1))})",
                        [fields[k] for k in [*ENTRY_FIELDS, "hash"]])
        _kill_point("after-entry")
        self.db.executemany("INSERT INTO post_ref VALUES (?, ?)",
                            [(r, fields["id"]) for r in references])
        self._store_snapshots(position + 1, [(position + 1, new_state), *later])
        _kill_point("after-snapshots")
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
                    "a revocation, not a decision" if target[0] == "revocation"
                    else "already revoked")
                raise RegisterError(f"{self.path}: cannot revoke {entry_id}: {what}")
            position = ids.index(entry_id)
            before = self.state_at(position, order)
            later, conflicts = self._replay_from(before, order, position + 1)
            if conflicts:
                raise ConflictError(f"{self.path}: revoking decision {entry_id} would leave "
                                    "later decisions unable to apply; nothing was written:",
                                    conflicts, where=str(self.path))
            fields = self._entry_fields("revocation", None, None, approved_by, reference,
                                        reason, "", entry_id, None)
            columns = ", ".join([*ENTRY_FIELDS, "hash"])
            self.db.execute(f"INSERT INTO entry ({columns}) VALUES "
                            f"({', '.join('?' * (len(ENTRY_FIELDS) + 1))})",
                            [fields[k] for k in [*ENTRY_FIELDS, "hash"]])
            self.db.execute("DELETE FROM post_ref WHERE entry = ?", (entry_id,))
            renumbered = [(seq - 1, state) for seq, state in later]
            self._store_snapshots(position + 1, renumbered)
            self._states.clear()
        return self.entry(fields["id"])

    def verify(self, *, deep: bool = False) -> str:
        """Check the hash chain from the opening record to the last entry; return the head
        hash (a council can publish it). A broken link is a :class:`RegisterError`.
        ``deep`` also replays the whole ledger from the opening establishment and checks
        every stored snapshot (derived data, read back without re-validating) against it."""
        head = self._verify_chain()
        if deep:
            self._verify_snapshots()
        return head

    def _verify_snapshots(self) -> None:
        order = self.order()
        state = self.opening()
        stored = dict(self.db.execute("SELECT seq, state FROM snapshot"))
        problems = []
        for seq in range(len(order) + 1):
            if seq:
                effective, entry_id = order[seq - 1]
                state = step(state, effective, self._changes(entry_id))
            if seq in stored and decode(stored.pop(seq), check=True).posts != state.posts:
                problems.append(f"snapshot {seq}: differs from the ledger replayed")
        problems += [f"snapshot {seq}: beyond the last decision" for seq in stored]
        if problems:
            raise RegisterError(f"{self.path}: stored snapshots fail verification:", problems,
                                where=str(self.path))

    def _verify_chain(self) -> str:
        meta = {k: self.meta(k) for k in ("employer", "opened_on", "opening", "opening_hash")}
        expected = opening_hash(meta["employer"], meta["opened_on"], meta["opening"])
        problems = []
        if expected != meta["opening_hash"]:
            problems.append("the opening record does not match its hash")
        previous = expected
        for entry in self.entries():
            fields = {k: getattr(entry, k) for k in ENTRY_FIELDS}
            for key in ("effective", "approved"):
                fields[key] = fields[key].isoformat() if fields[key] else None
            if entry.prev_hash != previous:
                problems.append(f"entry {entry.id}: does not follow the entry before it")
            if entry_hash(fields) != entry.hash:
                problems.append(f"entry {entry.id}: its content does not match its hash")
            previous = entry.hash
        if problems:
            raise RegisterError(f"{self.path}: the ledger fails verification:", problems,
                                where=str(self.path))
        return previous


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
        db = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT, isolation_level=None)
        db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
        db.execute("PRAGMA foreign_keys = ON")
    except sqlite3.Error as err:
        raise RegisterError(f"{path}: cannot open: {err}") from None
    return db


def open_register(path: str | Path) -> Register:
    """Open an existing register (see :meth:`Register.open`)."""
    return Register.open(path)
