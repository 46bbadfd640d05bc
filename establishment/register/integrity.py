"""What makes a register trustworthy: the hash chain and the digests that tie every table to it.

The **ledger** (table ``entry``) is a hash chain: each entry holds the hash of the one before
it (the first, the hash of the opening record) and its own hash covers its fields. Every write
to a register appends an entry: a decision, a revocation, a pay basis stored (``basis``), a
team's limits stored (``limit``), or a migration from an earlier schema (``migration``,
holding the bases and limits it found). Each entry also holds ``state``: the digest of every
other table after the write (:func:`table_digests`: the meta rows, the bases, the limits, the
post references and each stored snapshot's digest). So the last entry's hash (the **head**)
covers every row that changes a figure, and a head recorded elsewhere (a committee minute)
detects any change since: an edited row, a deleted last entry, a wholly rewritten chain.

Each snapshot row holds the sha256 of its own content (``digest``), so a read checks the one
snapshot it replays from without reading the others.

Schema 1 and 2 entries hold no ``state``; their hash covers the fields they had
(:data:`ENTRY_FIELDS`), so they still verify after a migration.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from pay_scales.dates import pay_year_label

ENTRY_FIELDS = ("id", "kind", "effective", "approved", "approved_by", "reference", "note",
                "content", "revokes", "override", "recorded_at", "prev_hash")

# each table a digest covers, read in a fixed order (the opening establishment's text is
# covered by the opening record's own hash, which is a meta row)
DIGEST_QUERIES = {
    "meta": "SELECT key, value FROM meta WHERE key != 'opening' ORDER BY key",
    "basis": "SELECT pay_year, fields FROM basis ORDER BY pay_year",
    "limit": "SELECT team, pay_year, fte, headcount, budget, temporary FROM team_limit "
             "ORDER BY team, pay_year",
    "post_ref": "SELECT reference, entry FROM post_ref ORDER BY reference",
    "snapshot": "SELECT seq, digest FROM snapshot ORDER BY seq",
}


def canonical(value: Any) -> str:
    """``value`` as canonical JSON (sorted keys, no spaces), the text every hash is of."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256(data: str | bytes) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def entry_hash(fields: dict[str, Any]) -> str:
    """sha256 of an entry's fields (canonical JSON) including the previous hash, and the
    digest of the tables after it (``state``) when it has one."""
    keys = ENTRY_FIELDS + (("state",) if fields.get("state") is not None else ())
    return sha256(canonical({k: fields[k] for k in keys}))


def opening_hash(employer: str, opened_on: str, opening: str) -> str:
    return sha256(json.dumps([employer, opened_on, opening], ensure_ascii=False))


def table_digests(db: sqlite3.Connection) -> dict[str, str]:
    """The sha256 of each table the chain covers besides the ledger itself, by name."""
    out = {}
    for name, query in DIGEST_QUERIES.items():
        digest = hashlib.sha256()
        for row in db.execute(query):
            digest.update(canonical(list(row)).encode("utf-8"))
            digest.update(b"\n")
        out[name] = digest.hexdigest()
    return out


def state_text(db: sqlite3.Connection) -> str:
    """What an entry records as ``state``: :func:`table_digests` as canonical JSON."""
    return canonical(table_digests(db))


def changed_tables(db: sqlite3.Connection, state: str | None) -> list[str]:
    """The tables whose rows differ from what ``state`` (an entry's) recorded."""
    if state is None:
        return []
    recorded = json.loads(state)
    return [name for name, digest in table_digests(db).items() if recorded.get(name) != digest]


def quick_check(db: sqlite3.Connection) -> list[str]:
    """SQLite's own check of the file's structure (``PRAGMA quick_check``: every page of every
    table and index readable and well formed; not the slower cross-check of index contents):
    the problems found, none when the file is sound."""
    rows = [r[0] for r in db.execute("PRAGMA quick_check")]
    return [] if rows == ["ok"] else rows


def chain_problems(opening: str, rows: Iterable[dict[str, Any]]) -> list[str]:
    """Every break in the chain, first to last: an entry whose own hash does not match its
    fields, or whose ``prev_hash`` is not the hash of the entry before it (``opening``, the
    opening record's hash, for the first)."""
    problems = []
    previous = opening
    for fields in rows:
        if fields["prev_hash"] != previous:
            problems.append(f"entry {fields['id']}: does not follow the entry before it (its "
                            f"previous hash is not that entry's hash)")
        if entry_hash(fields) != fields["hash"]:
            problems.append(f"entry {fields['id']}: its content does not match its hash")
        previous = fields["hash"]
    return problems




def ledger_settings(entries: Iterable[tuple[int, str, str]]
                    ) -> tuple[dict[int, tuple[str, int]], dict[tuple[str, int], tuple[Any, int]]]:
    """The bases and limits the ledger says the tables hold, from its ``basis``, ``limit``
    and ``migration`` entries ((id, kind, content), in order): {pay year: (basis text,
    entry)} and {(team, pay year): (row, entry)}."""
    bases: dict[int, tuple[str, int]] = {}
    limits: dict[tuple[str, int], tuple[Any, int]] = {}
    for entry_id, kind, content in entries:
        if kind == "basis":
            bases[json.loads(content)["pay_year"]] = (content, entry_id)
        elif kind == "limit":
            row = json.loads(content)
            limits[(row[0], row[1])] = (row, entry_id)
        elif kind == "migration":
            found = json.loads(content)
            bases = {int(year): (text, entry_id) for year, text in found["bases"].items()}
            limits = {(row[0], row[1]): (row, entry_id) for row in found["limits"]}
    return bases, limits


def settings_problems(db: sqlite3.Connection, entries: Iterable[tuple[int, str, str]]
                      ) -> list[str]:
    """Each stored basis and limit that differs from what the ledger recorded (or that the
    ledger never recorded, or that is missing)."""
    bases, limits = ledger_settings(entries)
    stored = dict(db.execute("SELECT pay_year, fields FROM basis"))
    problems = []
    for year in sorted(set(stored) | set(bases)):
        if stored.get(year) != bases.get(year, (None,))[0]:
            where = f"entry {bases[year][1]}" if year in bases else "no entry"
            problems.append(f"basis {pay_year_label(year)}: differs from the ledger ({where})")
    rows = {(r[0], r[1]): list(r) for r in db.execute(DIGEST_QUERIES["limit"])}
    for key in sorted(set(rows) | set(limits)):
        if rows.get(key) != limits.get(key, (None,))[0]:
            where = f"entry {limits[key][1]}" if key in limits else "no entry"
            problems.append(f"limits of team {key[0]!r} in {pay_year_label(key[1])}: differ "
                            f"from the ledger ({where})")
    return problems


def snapshot_problems(db: sqlite3.Connection) -> list[str]:
    """Each stored snapshot whose content does not match its own digest."""
    return [f"snapshot {seq}: its content does not match its digest"
            for seq, blob, digest in db.execute("SELECT seq, state, digest FROM snapshot")
            if sha256(blob) != digest]
