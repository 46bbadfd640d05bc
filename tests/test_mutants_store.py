"""The register's store, rule by rule (establishment.register.store): the focused file the
mutation run uses for that module (``benchmarks/mutation.py store``). Each test states a rule
a register relies on exactly: the hash of each entry and its link, the digests of the tables
it records, what ``verify`` reports in full for each kind of damage, replay by effective date
then recording order, revocation, limits, bases per pay year, the schema checks and their
messages, migrations, the fault hook, and transactions that leave nothing half-written.

Registers are tiny and made in ``tmp_path`` through the Python API (no subprocess, no CLI), so
the whole file runs in seconds: mutmut runs it once per mutant.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
import sqlite3
import zlib
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from establishment import PayBasis, Post, Structure
from establishment.io.changes_file import changes_to_toml
from establishment.io.toml_file import structure_to_toml
from establishment.operations.changes import (
    ChangeFte,
    Disestablish,
    Establish,
    Regrade,
    Target,
)
from establishment.register import (
    ConflictError,
    Limit,
    LimitError,
    Register,
    RegisterBusy,
    RegisterError,
    open_register,
    store,
)
from establishment.register.state import decode, encode

BASIS = PayBasis(employer="nottinghamshire", pay_year=2018, rule="njc")
BASIS_2019 = BASIS.evolve(pay_year=2019)
OPENED = dt.date(2018, 4, 1)
V1 = Path(__file__).parent / "fixtures" / "register" / "v1.db"
NOW = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$")
BASIS_TEXT = ('{"awards":[],"costed_rates":true,"employer":"nottinghamshire","ni_basis":null,'
              '"pay_year":2018,"point":"actual","range_point":"midpoint","rates_on":null,'
              '"round_to":null,"rule":"njc","whole_pay_bill":false}')
FIELDS = ("id", "kind", "effective", "approved", "approved_by", "reference", "note",
          "content", "revokes", "override", "recorded_at", "prev_hash")


def sha(data: str | bytes) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def text(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digests(path: Path) -> str:
    """The ``state`` an entry records, computed here from the rows themselves."""
    queries = {"basis": "SELECT pay_year, fields FROM basis ORDER BY pay_year",
               "limit": "SELECT team, pay_year, fte, headcount, budget, temporary FROM "
                        "team_limit ORDER BY team, pay_year",
               "meta": "SELECT key, value FROM meta WHERE key != 'opening' ORDER BY key",
               "post_ref": "SELECT reference, entry FROM post_ref ORDER BY reference",
               "snapshot": "SELECT seq, digest FROM snapshot ORDER BY seq"}
    with sqlite3.connect(path) as db:
        return text({name: sha("".join(text(list(r)) + "\n" for r in db.execute(query)))
                     for name, query in queries.items()})


def rows(path: Path, sql: str, values: tuple = ()) -> list[tuple]:
    db = sqlite3.connect(path)
    try:
        return db.execute(sql, values).fetchall()
    finally:
        db.close()


def raw_entries(path: Path, columns: tuple[str, ...] = (*FIELDS, "state", "hash")
                ) -> list[dict]:
    return [dict(zip(columns, r)) for r in rows(
        path, f"SELECT {', '.join(columns)} FROM entry ORDER BY id")]


def expected_hash(entry: dict) -> str:
    keys = FIELDS + (("state",) if entry["state"] is not None else ())
    return sha(text({k: entry[k] for k in keys}))


def opening() -> Structure:
    return Structure("o", [Post("Officer", 1, "Grade 4", 20, team="T", reference="A"),
                           Post("Clerk", 1, "Grade 4", 20, team="U", reference="B")])


def decide(reg: Register, changes, day: dt.date, reference: str = "R", **options):
    return reg.record(changes, effective=day, approved=OPENED, approved_by="D",
                      reference=reference, **options)


def edit(path: Path, *statements: tuple[str, tuple]) -> None:
    """Change the file as someone with sqlite3 would: the append-only triggers dropped."""
    db = sqlite3.connect(path)
    try:
        db.execute("DROP TRIGGER IF EXISTS entry_no_update")
        db.execute("DROP TRIGGER IF EXISTS entry_no_delete")
        for sql, values in statements:
            db.execute(sql, values)
        db.commit()
    finally:
        db.close()


def problems(path: Path, **options) -> list[str]:
    with Register.open(path, check=False) as reg, pytest.raises(RegisterError) as caught:
        reg.verify(**options)
    assert str(caught.value).startswith(f"{path}: the register fails verification:")
    assert {p.file for p in caught.value.problems} == {str(path)}
    return [p.message for p in caught.value.problems]


@pytest.fixture
def path(tmp_path) -> Path:
    path = tmp_path / "r.db"
    Register.create(path, BASIS, opening=opening(), opened_on=OPENED).close()
    return path


@pytest.fixture
def every2(monkeypatch):
    """A snapshot after every 2nd decision (8 by default): a few decisions exercise them."""
    monkeypatch.setattr(store, "SNAPSHOT_EVERY", 2)


# --- creating --------------------------------------------------------------------------


def test_a_new_register_holds_its_opening_record_and_first_entry_exactly(path):
    opened = opening()
    meta = dict(rows(path, "SELECT key, value FROM meta"))
    assert list(meta) == ["employer", "opened_on", "opening", "reference_counter", "created",
                          "opening_hash"]
    assert meta["employer"] == "nottinghamshire" and meta["opened_on"] == "2018-04-01"
    assert meta["opening"] == structure_to_toml(opened) and meta["reference_counter"] == "0"
    assert NOW.match(meta["created"])
    assert meta["opening_hash"] == sha(json.dumps(
        ["nottinghamshire", "2018-04-01", meta["opening"]], ensure_ascii=False))
    assert rows(path, "SELECT * FROM post_ref ORDER BY reference") == [("A", 0), ("B", 0)]
    assert rows(path, "SELECT * FROM basis") == [(2018, BASIS_TEXT)]
    [(seq, blob, digest)] = rows(path, "SELECT * FROM snapshot")
    assert (seq, digest) == (0, sha(blob)) and decode(blob).posts == opened.posts
    [first] = raw_entries(path)
    assert {k: v for k, v in first.items() if k not in ("recorded_at", "state", "hash")} == {
        "id": 1, "kind": "basis", "effective": None, "approved": None, "approved_by": "",
        "reference": "", "note": "pay basis for 2018/19", "content": BASIS_TEXT,
        "revokes": None, "override": None, "prev_hash": meta["opening_hash"]}
    assert NOW.match(first["recorded_at"])
    assert first["state"] == digests(path) and first["hash"] == expected_hash(first)
    with Register.open(path) as reg:
        assert reg.head() == first["hash"] and reg.verify() == first["hash"]
        assert (reg.employer, reg.opened_on) == ("nottinghamshire", OPENED)
        assert reg.opening().posts == opened.posts and reg.meta("nothing") == ""
        assert reg.path == str(path) and reg.bases() == {2018: BASIS}
    with Register.create(path.with_name("new.db"), BASIS, opened_on=OPENED) as reg:
        assert reg.path == str(path.with_name("new.db"))


def test_the_file_is_a_schema_3_register_with_an_append_only_ledger(path):
    assert rows(path, "PRAGMA user_version") == [(3,)]
    assert rows(path, "SELECT type, name FROM sqlite_master WHERE sql IS NOT NULL ORDER BY "
                "name") == [("table", "basis"), ("table", "entry"),
                            ("index", "entry_effective"), ("trigger", "entry_no_delete"),
                            ("trigger", "entry_no_update"), ("table", "meta"),
                            ("table", "post_ref"), ("table", "snapshot"),
                            ("table", "team_limit")]
    db = sqlite3.connect(path)
    for sql in ("UPDATE entry SET note = 'x'", "DELETE FROM entry"):
        with pytest.raises(sqlite3.DatabaseError, match="the ledger is append-only: record a "
                           "revocation instead"):
            db.execute(sql)
    db.close()
    with Register.open(path) as reg:
        assert reg.db.execute("PRAGMA busy_timeout").fetchone() == (30000,)
        assert reg.db.execute("PRAGMA foreign_keys").fetchone() == (1,)
        assert reg.db.isolation_level is None


def test_unreferenced_opening_posts_are_given_references_and_counted(tmp_path):
    path = tmp_path / "r.db"
    posts = [Post("Officer", 1, "Grade 4", 20, team="T"), Post("Clerk", 1, "Grade 4", 20,
                                                                 team="T", reference="P000002"),
             Post("Aide", 1, "Grade 4", 20, team="T")]
    with Register.create(path, BASIS, opening=Structure("o", posts), opened_on=OPENED) as reg:
        assert [p.reference for p in reg.opening().posts] == ["P000001", "P000002", "P000003"]
        assert reg.meta("reference_counter") == "3"
        entry = decide(reg, [Establish(Post("New", 1, "Grade 4", 20, team="T"))], OPENED)
        assert [c.post.reference for c in entry.changes] == ["P000004"]
        assert reg.meta("reference_counter") == "4"
        assert reg.db.execute("SELECT * FROM post_ref ORDER BY reference").fetchall() == [
            ("P000001", 0), ("P000002", 0), ("P000003", 0), ("P000004", 2)]


def test_a_register_opened_without_posts_and_with_posts_in_hours(tmp_path):
    with Register.create(tmp_path / "e.db", BASIS, opened_on=OPENED) as reg:
        assert list(reg.opening().posts) == [] and reg.opening().name == ""
        assert list(reg.as_of(OPENED).posts) == []
    hours = Structure("h", [Post("Clerk", None, "Grade 4", 23, team="T", reference="H",
                                 hours=Decimal(20))])
    with Register.create(tmp_path / "h.db", BASIS, opening=hours, opened_on=OPENED) as reg:
        assert reg.ftes(reg.as_of(OPENED).posts, OPENED) == [Fraction(20, 37)]


def test_a_register_is_never_overwritten(path):
    before = path.read_bytes()
    with pytest.raises(RegisterError) as caught:
        Register.create(path, BASIS, opening=opening(), opened_on=OPENED)
    assert str(caught.value) == f"{path}: already exists; a register is never overwritten"
    assert path.read_bytes() == before


def test_a_register_that_cannot_be_made_leaves_no_file(tmp_path, monkeypatch):
    path = tmp_path / "r.db"
    made = []
    connect = store._connect
    monkeypatch.setattr(store, "_connect", lambda p: made.append(connect(p)) or made[-1])

    def stop(point: str) -> None:
        if point == "after-entry":
            raise KeyboardInterrupt

    monkeypatch.setattr(store, "fault_hook", stop)
    with pytest.raises(KeyboardInterrupt):
        Register.create(path, BASIS, opening=opening(), opened_on=OPENED)
    assert not path.exists()
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        made[0].execute("SELECT 1")
    with pytest.raises(RegisterError) as caught:
        Register.create(tmp_path / "none" / "r.db", BASIS, opened_on=OPENED)
    assert str(caught.value) == (f"{tmp_path / 'none' / 'r.db'}: cannot open: unable to open "
                                 "database file")


# --- opening ---------------------------------------------------------------------------


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(RegisterError) as caught:
        Register.open(tmp_path / "x.db")
    assert str(caught.value) == (f"{tmp_path / 'x.db'}: no such register (make one with "
                                 "`establishment register init`)")
    with pytest.raises(RegisterError, match="no such register"):
        open_register(tmp_path / "x.db")


def test_another_kind_of_file_is_not_a_register(tmp_path, monkeypatch):
    made = []
    connect = store._connect
    monkeypatch.setattr(store, "_connect", lambda p: made.append(connect(p)) or made[-1])
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE t (x)")
    every = ("meta", "basis", "entry", "post_ref", "team_limit", "snapshot")
    for version, tables in [(0, every), *[(1, every[:n] + every[n + 1:]) for n in range(6)]]:
        other.unlink()
        with sqlite3.connect(other) as db:
            for table in tables:
                db.execute(f"CREATE TABLE {table} (x)")
            db.execute(f"PRAGMA user_version = {version}")
        with pytest.raises(RegisterError) as caught:
            Register.open(other)
        assert str(caught.value) == f"{other}: not an establishment register"
    text_file = tmp_path / "notes.db"
    text_file.write_text("not a database at all, just some text " * 100)
    with pytest.raises(RegisterError) as caught:
        Register.open(text_file)
    assert str(caught.value) == (f"{text_file}: not a register, or damaged (file is not a "
                                 "database)")
    assert len(made) == 8
    for connection in made:  # whatever stopped it, the connection is not left open
        with pytest.raises(sqlite3.ProgrammingError, match="closed"):
            connection.execute("SELECT 1")


def test_a_register_from_a_newer_version_is_refused_unchanged(path):
    edit(path, ("PRAGMA user_version = 4", ()))
    before = path.read_bytes()
    with pytest.raises(RegisterError) as caught:
        Register.open(path)
    assert str(caught.value) == (f"{path}: made by a newer version of establishment (register "
                                 "schema 4; this version reads schema 3): upgrade "
                                 "establishment to read it")
    assert path.read_bytes() == before


def test_a_sound_register_opens_and_an_edited_one_only_without_the_check(path):
    edit(path, ("UPDATE basis SET fields = replace(fields, 'njc', 'x')", ()))
    with pytest.raises(RegisterError) as caught:
        Register.open(path)
    assert str(caught.value) == (
        f"{path}: the basis table(s) were changed outside establishment (they differ from "
        "what the last entry recorded, entry 1); nothing was read from it (`register verify` "
        "says more)")
    with Register.open(path, check=False) as reg:
        assert reg.meta("employer") == "nottinghamshire"


def test_an_entry_that_does_not_match_its_hash_is_refused_on_open(path):
    edit(path, ("UPDATE entry SET note = 'edited' WHERE id = 1", ()))
    with pytest.raises(RegisterError) as caught:
        Register.open(path)
    assert str(caught.value) == (
        f"{path}: entry 1, the last, does not match its hash: the register was changed "
        "outside establishment; nothing was read from it (`register verify` says more)")
    edit(path, ("UPDATE meta SET value = '9' WHERE key = 'reference_counter'", ()),
         ("UPDATE entry SET note = 'pay basis for 2018/19' WHERE id = 1", ()))
    with pytest.raises(RegisterError, match=r"the meta table\(s\) were changed"):
        Register.open(path)
    edit(path, ("DELETE FROM post_ref", ()))
    with pytest.raises(RegisterError, match=r": the meta, post_ref table\(s\) were changed"):
        Register.open(path)


def test_damage_quick_check_finds_is_refused_before_any_read(path, monkeypatch):
    monkeypatch.setattr(store, "quick_check", lambda db: ["page 3: bad", "page 4: bad"])
    with pytest.raises(RegisterError) as caught:
        Register.open(path)
    assert str(caught.value) == (f"{path}: the file is damaged; nothing was read from it "
                                 "(restore it from a copy):\n  page 3: bad\n  page 4: bad")
    assert [(p.file, p.message) for p in caught.value.problems] == [
        (str(path), "page 3: bad"), (str(path), "page 4: bad")]
    monkeypatch.setattr(store, "quick_check", lambda db: [f"page {n}" for n in range(12)])
    with pytest.raises(RegisterError) as caught:
        Register.open(path)
    assert [p.message for p in caught.value.problems] == [f"page {n}" for n in range(10)]
    with Register.open(path, check=False) as reg, pytest.raises(RegisterError) as caught:
        reg.verify()
    assert str(caught.value).startswith(f"{path}: the file is damaged:\n  page 0\n")
    assert [p.message for p in caught.value.problems] == [f"page {n}" for n in range(10)]
    assert caught.value.problems[0].file == str(path)


def test_a_ledger_emptied_outside_establishment_is_refused(path):
    edit(path, ("DELETE FROM entry", ()))
    with pytest.raises(RegisterError) as caught:
        Register.open(path)
    assert str(caught.value) == (
        f"{path}: the ledger has no entries (a register always has one): it was changed "
        "outside establishment; nothing was read from it (`register verify` says more)")
    assert problems(path) == ["basis 2018/19: differs from the ledger (no entry)",
                              "the ledger has no entries (a register always has one)"]


# --- migrations ------------------------------------------------------------------------


def _v1_bases() -> dict[str, str]:
    return {str(year): store.basis_text(PayBasis(employer="nottinghamshire", pay_year=year,
                                                 point="actual", rule="njc"))
            for year in (2018, 2019)}


@pytest.mark.parametrize("schema", [1, 2])
def test_an_earlier_register_is_migrated_and_the_migration_recorded(tmp_path, schema):
    path = tmp_path / "old.db"
    shutil.copyfile(V1, path)
    old = raw_entries(path, (*FIELDS, "hash"))
    if schema == 2:  # a schema-2 register: the first step done, as the version of the time did
        db = sqlite3.connect(path)
        store.MIGRATIONS[1](db)
        db.execute("PRAGMA user_version = 2")
        db.commit()
        db.close()
    with Register.open(path) as reg:
        assert reg.db.execute("PRAGMA foreign_keys").fetchone() == (1,)
        head = reg.verify(deep=True)
    assert rows(path, "PRAGMA user_version") == [(3,)]
    assert [r[1] for r in rows(path, "PRAGMA table_info(basis)")] == ["pay_year", "fields"]
    assert rows(path, "SELECT pay_year, fields FROM basis") == [
        (int(y), t) for y, t in _v1_bases().items()]
    assert rows(path, "SELECT name FROM sqlite_master WHERE type IN ('index', 'trigger') "
                "AND tbl_name = 'entry' AND sql IS NOT NULL ORDER BY name") == [
        ("entry_effective",), ("entry_no_delete",), ("entry_no_update",)]
    assert rows(path, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'entry_schema%'") == [
        (0,)]
    [(seq, blob, digest)] = rows(path, "SELECT * FROM snapshot")
    assert (seq, digest) == (0, sha(blob))
    entries = raw_entries(path)
    assert [{k: e[k] for k in (*FIELDS, "hash")} for e in entries[:-1]] == [
        {k: e[k] for k in (*FIELDS, "hash")} for e in old]  # copied as they were
    assert [e["state"] for e in entries[:-1]] == [None] * len(old)
    last = entries[-1]
    assert {k: last[k] for k in ("id", "kind", "note", "prev_hash", "effective")} == {
        "id": len(old) + 1, "kind": "migration", "effective": None,
        "note": f"register schema {schema} migrated to 3", "prev_hash": old[-1]["hash"]}
    assert json.loads(last["content"]) == {
        "from_schema": schema, "bases": _v1_bases(),
        "limits": [["Integrated Children's Disability Service", 2018, "20", None, None, "0"]]}
    assert last["content"] == text(json.loads(last["content"]))
    assert last["hash"] == head == expected_hash(last) and last["state"] == digests(path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        edit_without_dropping(path, "DELETE FROM entry WHERE id = 1")


def test_a_schema_1_basis_keeps_every_field_it_stored(tmp_path):
    path = tmp_path / "old.db"
    shutil.copyfile(V1, path)
    db = sqlite3.connect(path)  # schema 1 kept no digest of the basis table: a legal row
    db.execute("UPDATE basis SET point = 'top', costed_rates = 0, range_point = 'ceiling', "
               "rates_on = '2019-05-01' WHERE pay_year = 2019")
    db.commit()
    db.close()
    with Register.open(path) as reg:
        assert reg.bases() == {
            2018: PayBasis(employer="nottinghamshire", pay_year=2018, point="actual",
                           rule="njc"),
            2019: PayBasis(employer="nottinghamshire", pay_year=2019, point="top", rule="njc",
                           costed_rates=False, range_point="ceiling",
                           rates_on=dt.date(2019, 5, 1))}


def test_a_migrated_register_has_the_schema_of_a_new_one(tmp_path, path):
    """Table for table, as SQLite stores each statement (the snapshot's digest added as a
    column SQLite cannot make NOT NULL on a table with rows)."""
    old = tmp_path / "old.db"
    shutil.copyfile(V1, old)
    Register.open(old).close()
    query = "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name"
    new, migrated = dict(rows(path, query)), dict(rows(old, query))
    assert migrated.pop("snapshot") == ("CREATE TABLE snapshot (seq INTEGER PRIMARY KEY, "
                                        "state BLOB NOT NULL, digest TEXT)")
    assert new.pop("snapshot") == ("CREATE TABLE snapshot (seq INTEGER PRIMARY KEY, state "
                                   "BLOB NOT NULL, digest TEXT NOT NULL)")
    assert migrated == new


def edit_without_dropping(path: Path, sql: str) -> None:
    db = sqlite3.connect(path)
    try:
        db.execute(sql)
    finally:
        db.close()


def test_a_current_register_is_not_migrated(path, monkeypatch):
    def never(db):
        raise AssertionError("migrated")

    monkeypatch.setattr(store, "MIGRATIONS", {1: never, 2: never})
    with Register.open(path) as reg:
        assert [e.kind for e in reg.entries()] == ["basis"]


# --- bases, limits, meta ----------------------------------------------------------------


def test_each_pay_year_has_its_basis_stored_as_an_entry(path):
    with Register.open(path) as reg:
        reg.set_basis(BASIS_2019)
        reg.set_basis(BASIS.evolve(point="bottom"))  # 2018/19's replaced
        assert reg.bases() == {2018: BASIS.evolve(point="bottom"), 2019: BASIS_2019}
        assert list(reg.bases()) == [2018, 2019]
        assert reg.basis_for(2019) == BASIS_2019
        entries = reg.entries()
        assert [(e.id, e.kind, e.note) for e in entries] == [
            (1, "basis", "pay basis for 2018/19"), (2, "basis", "pay basis for 2019/20"),
            (3, "basis", "pay basis for 2018/19")]
        assert entries[1].content == BASIS_TEXT.replace("2018", "2019")
        assert entries[2].content == BASIS_TEXT.replace('"actual"', '"bottom"')
        assert [e.prev_hash for e in entries[1:]] == [e.hash for e in entries[:-1]]
        with pytest.raises(RegisterError) as caught:
            reg.basis_for(2020)
        assert str(caught.value) == (
            f"{path}: no pay basis stored for 2020/21: add one with `establishment register "
            f"basis {path} --pay-year 2020/21 --employer nottinghamshire --rule ...`")
        before = reg.head()
        with pytest.raises(Exception, match="nowhere"):
            reg.set_basis(BASIS.evolve(employer="nowhere", pay_year=2021))
        assert reg.head() == before and list(reg.bases()) == [2018, 2019]
    assert rows(path, "SELECT pay_year, fields FROM basis") == [
        (2018, BASIS_TEXT.replace('"actual"', '"bottom"')),
        (2019, BASIS_TEXT.replace("2018", "2019"))]
    [*_, last] = raw_entries(path)
    assert last["state"] == digests(path) and last["hash"] == expected_hash(last)


def test_a_teams_limits_are_stored_per_pay_year_as_entries(path):
    with Register.open(path) as reg:
        reg.set_limit(Limit("U", 2019, fte=Decimal("1.5"), headcount=2,
                            budget=Decimal("1000"), temporary=Decimal("10")))
        reg.set_limit(Limit("T", 2019, headcount=3))
        reg.set_limit(Limit("U", 2018, fte=Decimal(2)))
        reg.set_limit(Limit("U", 2018, fte=Decimal(3)))  # replaced
        assert reg.limits() == [Limit("U", 2018, fte=Decimal(3)), Limit("T", 2019, headcount=3),
                                Limit("U", 2019, fte=Decimal("1.5"), headcount=2,
                                      budget=Decimal("1000"), temporary=Decimal("10"))]
        assert reg.limits(2018) == [Limit("U", 2018, fte=Decimal(3))]
        assert [(e.kind, e.note, e.content) for e in reg.entries()[1:]] == [
            ("limit", "limits of team 'U' in 2019/20", '["U",2019,"1.5",2,"1000","10"]'),
            ("limit", "limits of team 'T' in 2019/20", '["T",2019,null,3,null,"0"]'),
            ("limit", "limits of team 'U' in 2018/19", '["U",2018,"2",null,null,"0"]'),
            ("limit", "limits of team 'U' in 2018/19", '["U",2018,"3",null,null,"0"]')]
    assert rows(path, "SELECT * FROM team_limit ORDER BY team, pay_year") == [
        ("T", 2019, None, 3, None, "0"), ("U", 2018, "3", None, None, "0"),
        ("U", 2019, "1.5", 2, "1000", "10")]
    [*_, last] = raw_entries(path)
    assert last["state"] == digests(path) and last["hash"] == expected_hash(last)


# --- recording ---------------------------------------------------------------------------


def test_a_decision_entry_holds_exactly_what_was_decided(path):
    with Register.open(path) as reg:
        entry = reg.record([ChangeFte(Target(team="T", title="Officer"), 2)],
                           effective=dt.date(2018, 6, 1), approved=dt.date(2018, 5, 20),
                           approved_by="Committee", reference="C/1", note="why")
        assert entry == reg.entry(2) == reg.entries()[-1]
        assert entry.changes == (ChangeFte("A", 2),)  # the target named by reference
    [_, raw] = raw_entries(path)
    assert {k: v for k, v in raw.items() if k not in ("recorded_at", "state", "hash")} == {
        "id": 2, "kind": "decision", "effective": "2018-06-01", "approved": "2018-05-20",
        "approved_by": "Committee", "reference": "C/1", "note": "why",
        "content": changes_to_toml([ChangeFte("A", 2)]), "revokes": None, "override": None,
        "prev_hash": raw_entries(path)[0]["hash"]}
    assert NOW.match(raw["recorded_at"])
    assert raw["state"] == digests(path) and raw["hash"] == expected_hash(raw)
    assert (entry.effective, entry.approved, entry.hash, entry.sound) == (
        dt.date(2018, 6, 1), dt.date(2018, 5, 20), raw["hash"], True)
    assert entry.fields() == raw


def test_an_entry_is_sound_only_while_its_fields_match_its_hash(path):
    with Register.open(path) as reg:
        entry = decide(reg, [ChangeFte("A", 2)], OPENED)
    values = [getattr(entry, k) for k in (*FIELDS, "state", "hash")]
    assert store.Entry(*values).sound
    for index in range(len(values) - 1):
        changed = list(values)
        changed[index] = "x" if index not in (2, 3) else dt.date(2019, 1, 1)
        assert not store.Entry(*changed).sound, FIELDS[index] if index < 12 else "state"
    fields = store.Entry(*values[:3], None, *values[4:]).fields()
    assert fields["approved"] is None and fields["effective"] == OPENED.isoformat()


@pytest.mark.parametrize("name, value", [("approved_by", ""), ("approved_by", "  "),
                                         ("reference", ""), ("reference", None)])
def test_who_approved_and_the_reference_must_be_given(path, name, value):
    options = {"approved_by": "D", "reference": "R", name: value}
    with Register.open(path) as reg, pytest.raises(RegisterError) as caught:
        reg.record([ChangeFte("A", 2)], effective=OPENED, approved=OPENED, **options)
    assert str(caught.value) == f"{name.replace('_', ' ')} must be given (non-empty text)"
    assert len(raw_entries(path)) == 1


def test_a_decision_before_the_register_opens_is_refused(path):
    with Register.open(path) as reg:
        with pytest.raises(ConflictError) as caught:
            decide(reg, [ChangeFte("A", 2)], dt.date(2018, 3, 31))
        assert str(caught.value) == (f"{path}: effective date 2018-03-31 is before the "
                                     "register opens (2018-04-01)")
        assert decide(reg, [ChangeFte("A", 2)], OPENED).id == 2  # the opening day is in


def test_a_decision_that_does_not_fit_is_refused_listing_each_change(path):
    with Register.open(path) as reg:
        with pytest.raises(ConflictError) as caught:
            decide(reg, [ChangeFte("A", 2), Disestablish("Z"), ChangeFte("Y", 1)],
                   dt.date(2018, 5, 1))
        assert str(caught.value).startswith(
            f"{path}: the decision does not fit the establishment on 2018-05-01; nothing "
            "was written:\n  change 2: ")
        assert [(p.file, p.message[:9]) for p in caught.value.problems] == [
            (str(path), "change 2:"), (str(path), "change 3:")]
        with pytest.raises(ConflictError) as caught:
            decide(reg, [ChangeFte(Target(team="T", title="Nobody"), 2)], dt.date(2018, 5, 1))
        assert str(caught.value).startswith(
            f"{path}: the decision does not fit the establishment on 2018-05-01; nothing "
            "was written:\n  change 1: ")
        assert caught.value.problems[0].file == str(path)
        assert reg.head() == reg.entry(1).hash


def test_a_reference_is_never_reused(path):
    with Register.open(path) as reg:
        new = Post("New", 1, "Grade 4", 20, team="T", reference="N")
        entry = decide(reg, [Establish(new)], dt.date(2018, 5, 1))
        decide(reg, [Disestablish("N")], dt.date(2018, 6, 1))
        assert reg.db.execute("SELECT entry FROM post_ref WHERE reference = 'N'").fetchall() == [
            (entry.id,)]
        for reference, by in [("A", "in the opening establishment"),
                              ("N", f"by decision {entry.id}")]:
            with pytest.raises(ConflictError) as caught:
                decide(reg, [Establish(new.evolve(reference=reference))], dt.date(2018, 7, 1))
            assert str(caught.value) == (f"{path}: post reference {reference!r} is already "
                                         f"used ({by}); references are never reused")
        assert len(reg.entries()) == 3


def test_a_reference_established_twice_in_one_decision_is_refused(path):
    """Established, disestablished and established again in one decision: refused as any
    reused reference is (it was an sqlite3.IntegrityError, exit 70, found by
    tests/test_register.py's property)."""
    new = Post("New", 1, "Grade 4", 20, team="T", reference="N")
    with Register.open(path) as reg:
        with pytest.raises(ConflictError) as caught:
            decide(reg, [Establish(new), Disestablish("N"), Establish(new)], OPENED)
        assert str(caught.value) == (f"{path}: post reference 'N' is already used (by this "
                                     "decision); references are never reused")
        assert len(reg.entries()) == 1
        assert decide(reg, [Establish(new), Disestablish("N")], OPENED).id == 2


def test_a_reference_given_by_a_revoked_decision_is_never_given_again(path):
    with Register.open(path) as reg:
        first = decide(reg, [Establish(Post("New", 1, "Grade 4", 20, team="T"))], OPENED)
        assert first.note == "" and [c.post.reference for c in first.changes] == ["P000001"]
        reg.revoke(first.id, reason="error")
        again = decide(reg, [Establish(Post("New", 1, "Grade 4", 20, team="T"))], OPENED)
        assert [c.post.reference for c in again.changes] == ["P000002"]
        assert reg.meta("reference_counter") == "2"


def test_a_decision_that_breaks_a_later_one_is_refused_listing_them_all(path):
    with Register.open(path) as reg:
        decide(reg, [ChangeFte("A", 2)], dt.date(2018, 6, 1))
        decide(reg, [ChangeFte("B", 2), ChangeFte("A", 3)], dt.date(2018, 7, 1))
        before = reg.head()
        with pytest.raises(ConflictError) as caught:
            decide(reg, [Disestablish("A"), Disestablish("B")], dt.date(2018, 5, 1))
        assert str(caught.value) == (
            f"{path}: later decisions would no longer apply; nothing was written:\n"
            "  decision 2 (effective 2018-06-01), change 1: no post with reference 'A'\n"
            "  decision 3 (effective 2018-07-01), change 1: no post with reference 'B'\n"
            "  decision 3 (effective 2018-07-01), change 2: no post with reference 'A'")
        assert caught.value.problems[0].file == str(path)
        assert reg.head() == before


def test_a_decision_that_cannot_be_costed_is_refused(path):
    with Register.open(path) as reg:
        with pytest.raises(ConflictError) as caught:
            decide(reg, [Regrade("A", "Grade 99", 3)], dt.date(2018, 10, 1))
        assert str(caught.value).startswith(
            f"{path}: the decision cannot be costed on the basis of 2018/19 (effective "
            "2018-10-01); nothing was written:\n  post A: unknown grade 'Grade 99'")
        [problem] = caught.value.problems
        assert problem.file == str(path) and problem.message.startswith("post A: unknown")
        with pytest.raises(ConflictError, match="post N: .*scp 99"):
            decide(reg, [Establish(Post("New", 1, "Grade 4", 99, team="T", reference="N"))],
                   dt.date(2018, 10, 1))
        reg.set_basis(BASIS_2019)
        with pytest.raises(ConflictError, match="on the basis of 2019/20 .effective "
                           "2019-04-01.; nothing was written:\n  post B: unknown grade"):
            decide(reg, [ChangeFte("A", 2), Regrade("B", "Grade 99", 3)], dt.date(2019, 4, 1))
        # a post the decision does not touch is not costed (a decision about others passes)
        reg.db.execute("BEGIN IMMEDIATE")
        reg.db.execute("UPDATE snapshot SET state = ?, digest = ? WHERE seq = 0", (
            blob := encode(Structure("o", [*opening().posts, Post(
                "Old", 1, "Grade 99", 1, team="X", reference="OLD")])), sha(blob)))
        reg.db.execute("COMMIT")
        assert decide(reg, [ChangeFte("A", 2)], dt.date(2018, 10, 1)).id == 3


def test_a_costing_error_made_from_a_message_alone_is_listed_as_it(path, monkeypatch):
    from establishment.errors import CostingError

    def fails(structure, basis):
        raise CostingError("the pay data cannot be read")

    monkeypatch.setattr(store, "cost_of", fails)
    with Register.open(path) as reg, pytest.raises(ConflictError) as caught:
        decide(reg, [ChangeFte("A", 2)], OPENED)
    assert [p.message for p in caught.value.problems] == ["the pay data cannot be read"]


def test_a_decision_costed_in_its_effective_dates_pay_year(path):
    with Register.open(path) as reg:
        with pytest.raises(RegisterError, match="no pay basis stored for 2019/20"):
            decide(reg, [ChangeFte("A", 2)], dt.date(2019, 4, 1))
        assert decide(reg, [ChangeFte("A", 2)], dt.date(2019, 3, 31)).id == 2


def test_a_target_structure_is_stored_as_the_changes_to_it(path):
    with Register.open(path) as reg:
        target = Structure("t", [Post("Officer", 2, "Grade 4", 20, team="T"),
                                 Post("Clerk", 1, "Grade 4", 20, team="U", reference="B"),
                                 Post("Clerk", 1, "Grade 4", 21, team="U")])
        entry = decide(reg, target, dt.date(2018, 5, 1))
        assert entry.changes == (
            ChangeFte("A", 2),
            Establish(Post("Clerk", 1, "Grade 4", 21, team="U", reference="P000001")))
        assert [(p.reference, p.fte) for p in reg.as_of(dt.date(2018, 5, 1)).posts] == [
            ("A", 2), ("B", 1), ("P000001", 1)]
        # two posts of one team and title: none is matched, both are new
        twice = Structure("t", [Post("Officer", 1, "Grade 4", 20, team="T", reference="A"),
                                Post("Aide", 1, "Grade 4", 20, team="V"),
                                Post("Aide", 1, "Grade 4", 20, team="V")])
        assert [type(c).__name__ for c in decide(reg, twice, dt.date(2018, 6, 1)).changes] == [
            "ChangeFte", "Disestablish", "Disestablish", "Establish", "Establish"]
        assert reg.meta("reference_counter") == "3"


def test_a_target_naming_a_post_by_team_and_title_takes_its_reference_once(path):
    """An unreferenced target post takes the reference of the one post of its team and title
    not named by reference elsewhere in the target, and a reference is taken once."""
    with Register.open(path) as reg:
        target = Structure("t", [Post("Officer", 2, "Grade 4", 20, team="T", reference="A"),
                                 Post("Officer", 1, "Grade 4", 20, team="T"),
                                 Post("Clerk", 3, "Grade 4", 20, team="U"),
                                 Post("Clerk", 1, "Grade 4", 21, team="U")])
        entry = decide(reg, target, dt.date(2018, 5, 1))
        assert entry.changes == (
            ChangeFte("A", 2), ChangeFte("B", 3),
            Establish(Post("Officer", 1, "Grade 4", 20, team="T", reference="P000001")),
            Establish(Post("Clerk", 1, "Grade 4", 21, team="U", reference="P000002")))
        assert reg.meta("reference_counter") == "2"


# --- limits ------------------------------------------------------------------------------


def test_a_decision_over_a_limit_of_its_pay_year_is_refused_unless_overridden(path):
    with Register.open(path) as reg:
        reg.set_limit(Limit("T", 2018, fte=Decimal("1.5")))
        reg.set_limit(Limit("U", 2019, fte=Decimal(1)))
        with pytest.raises(LimitError) as caught:
            decide(reg, [ChangeFte("A", 2)], dt.date(2018, 5, 1))
        assert caught.value.breaches == ["team 'T': fte limit 1.5 in 2018/19, fte 2: over by "
                                         "0.5"]
        assert caught.value.problems[0].file == str(path)
        reg.set_limit(Limit("U", 2018, fte=Decimal(5)))  # after T's: T's breach still said
        with pytest.raises(LimitError) as caught:
            decide(reg, [ChangeFte("A", 2)], dt.date(2018, 5, 1))
        assert caught.value.breaches == ["team 'T': fte limit 1.5 in 2018/19, fte 2: over by "
                                         "0.5"]
        decide(reg, [ChangeFte("B", 2)], dt.date(2018, 5, 1))  # U's limit of 1 is 2019/20's
        entry = decide(reg, [ChangeFte("A", 2)], dt.date(2018, 5, 1), override="agreed")
        assert entry.override == "agreed" and reg.entry(entry.id).override == "agreed"
        # over already: going further over is refused, staying or coming down is not
        with pytest.raises(LimitError, match="fte 3: over by 1.5"):
            decide(reg, [ChangeFte("A", 3)], dt.date(2018, 6, 1))
        decide(reg, [Regrade("A", "Grade 5", 25)], dt.date(2018, 6, 1))
        decide(reg, [ChangeFte("A", Decimal("1.75"))], dt.date(2018, 7, 1))
        assert [e.kind for e in reg.entries()].count("decision") == 4


def test_a_budget_limit_is_costed_on_the_basis_of_its_pay_year(path):
    with Register.open(path) as reg:
        reg.set_limit(Limit("T", 2018, budget=Decimal(1)))
        with pytest.raises(LimitError, match="team 'T': budget limit £1 in 2018/19"):
            decide(reg, [ChangeFte("A", 2)], dt.date(2018, 5, 1))


# --- replay, snapshots ---------------------------------------------------------------------


def test_replay_is_by_effective_date_then_recording_order(path, every2):
    with Register.open(path) as reg:
        decide(reg, [ChangeFte("A", 3)], dt.date(2018, 9, 1))
        decide(reg, [ChangeFte("A", 4)], dt.date(2018, 6, 1))  # back-dated
        decide(reg, [ChangeFte("A", 5)], dt.date(2018, 7, 1))
        decide(reg, [ChangeFte("A", 6)], dt.date(2018, 7, 1))  # same day: recorded later wins
        assert reg.order() == [(dt.date(2018, 6, 1), 3), (dt.date(2018, 7, 1), 4),
                               (dt.date(2018, 7, 1), 5), (dt.date(2018, 9, 1), 2)]
        assert [(d, reg.as_of(d).posts[0].fte) for d in (
            dt.date(2018, 5, 31), dt.date(2018, 6, 1), dt.date(2018, 7, 1),
            dt.date(2018, 8, 31), dt.date(2018, 9, 1))] == [
            (dt.date(2018, 5, 31), 1), (dt.date(2018, 6, 1), 4), (dt.date(2018, 7, 1), 6),
            (dt.date(2018, 8, 31), 6), (dt.date(2018, 9, 1), 3)]
    snapshots = rows(path, "SELECT seq, state, digest FROM snapshot ORDER BY seq")
    assert [(s, d) for s, _, d in snapshots] == [(s, sha(b)) for s, b, _ in snapshots]
    assert [(s, [p.fte for p in decode(b).posts]) for s, b, _ in snapshots] == [
        (0, [1, 1]), (2, [5, 1]), (4, [3, 1])]
    with Register.open(path) as reg:  # fresh: answers from the stored snapshots
        assert [reg.as_of(d).posts[0].fte for d in (
            dt.date(2018, 6, 1), dt.date(2018, 7, 1), dt.date(2018, 9, 1))] == [4, 6, 3]
        assert reg.verify(deep=True) == reg.head()


def test_as_of_names_the_state_and_state_on_drops_ended_posts(path):
    temporary = Post("Temp", 1, "Grade 4", 20, team="T", reference="TMP",
                     end=dt.date(2018, 6, 30))
    later = Post("Later", 1, "Grade 4", 20, team="T", reference="L", start=dt.date(2018, 9, 1))
    with Register.open(path) as reg:
        decide(reg, [Establish(temporary), Establish(later)], dt.date(2018, 5, 1))
        found = reg.as_of(dt.date(2018, 6, 30))
        assert found.name == "r as of 2018-06-30"
        assert [p.reference for p in found.posts] == ["A", "B", "TMP"]
        assert [p.reference for p in reg.as_of(dt.date(2018, 7, 1)).posts] == ["A", "B"]
        assert [p.reference for p in reg.state_on(dt.date(2018, 7, 1)).posts] == [
            "A", "B", "L"]
        assert [p.reference for p in reg.state_on(dt.date(2018, 6, 30)).posts] == [
            "A", "B", "TMP", "L"]
        assert [p.reference for p in reg.state_on(dt.date(2018, 4, 30)).posts] == ["A", "B"]
        assert [p.reference for p in reg.state_until(dt.date(2018, 7, 1)).posts] == [
            "A", "B", "TMP", "L"]
        assert [p.reference for p in reg.state_until(dt.date(2018, 4, 30)).posts] == [
            "A", "B"]
        # a change to a post ended before it takes effect is refused, saying when it ended
        with pytest.raises(ConflictError, match="post TMP ended on 2018-06-30"):
            decide(reg, [ChangeFte("TMP", 2)], dt.date(2018, 7, 1))
        # a decision after the end date sees the state without the ended post
        decide(reg, [ChangeFte("A", 2)], dt.date(2018, 8, 1))
        with pytest.raises(ConflictError, match="post reference 'TMP' is already used"):
            decide(reg, [Establish(temporary.evolve(end=None))], dt.date(2018, 8, 1))


def test_snapshots_are_rebuilt_when_an_earlier_decision_is_recorded(path, every2):
    with Register.open(path) as reg:
        for n in range(4):
            decide(reg, [ChangeFte("B", n + 2)], dt.date(2018, 6, 1) + dt.timedelta(days=n))
        decide(reg, [ChangeFte("A", 7)], dt.date(2018, 5, 1))  # first in replay order
        assert reg.order()[0] == (dt.date(2018, 5, 1), 6)
    found = {s: [(p.reference, p.fte) for p in decode(b).posts]
             for s, b in rows(path, "SELECT seq, state FROM snapshot")}
    assert found == {0: [("A", 1), ("B", 1)], 2: [("A", 7), ("B", 2)],
                     4: [("A", 7), ("B", 4)]}
    with Register.open(path) as reg:
        assert reg.verify(deep=True) == reg.head()
        assert [(p.reference, p.fte) for p in reg.as_of(dt.date(2018, 6, 4)).posts] == [
            ("A", 7), ("B", 5)]


def test_a_snapshot_that_does_not_match_its_digest_is_never_served(path, every2):
    with Register.open(path) as reg:
        for n in range(3):
            decide(reg, [ChangeFte("A", n + 2)], dt.date(2018, 5, 1) + dt.timedelta(days=n))
    blob = encode(Structure("x", [Post("Officer", 9, "Grade 4", 20, team="T",
                                       reference="A")]))
    edit(path, ("UPDATE snapshot SET state = ? WHERE seq = 2", (blob,)))
    with Register.open(path, check=False) as reg:
        assert reg.as_of(dt.date(2018, 5, 1)).posts[0].fte == 2  # before snapshot 2
        with pytest.raises(RegisterError) as caught:
            reg.as_of(dt.date(2018, 5, 3))
        assert str(caught.value) == (
            f"{path}: damaged: snapshot 2 cannot be read (it does not match its digest: the "
            "register was changed outside establishment); `register verify` says more")
    # the table's digest covers each snapshot's digest, not its content
    assert problems(path) == ["snapshot 2: its content does not match its digest"]


def test_a_snapshot_that_cannot_be_read_is_named(path, every2):
    with Register.open(path) as reg:
        for n in range(2):
            decide(reg, [ChangeFte("A", n + 2)], dt.date(2018, 5, 1) + dt.timedelta(days=n))
    for blob, said in [
            (b"not compressed", "Error -3 while decompressing data: incorrect header check"),
            (zlib.compress(b'{"posts": [{}]}'), "'payments'"),
            (zlib.compress(b"[1, 2]"), "list indices must be integers or slices, not str"),
            (zlib.compress(b'{"posts": [], "payments": [{"a\\n\\n  b' + b"x" * 80 + b'": 1}]}'),
             "Payment.__init__() got an unexpected keyword argument 'a b" + "x" * 80),
            (zlib.compress(b"{" * 200), "Expecting property name enclosed in double quotes: "
             "line 1 column 2 (char 1)")]:
        edit(path, ("UPDATE snapshot SET state = ?, digest = ? WHERE seq = 2", (blob, sha(blob))))
        with Register.open(path, check=False) as reg, pytest.raises(RegisterError) as caught:
            reg.as_of(dt.date(2018, 5, 2))
        assert str(caught.value) == (f"{path}: damaged: snapshot 2 cannot be read ({said[:80]});"
                                     " `register verify` checks the file")


def test_states_are_cached_per_head_and_a_later_one_replays_from_the_nearest(path, every2,
                                                                             monkeypatch):
    with Register.open(path) as reg:
        for n in range(5):
            decide(reg, [ChangeFte("A", n + 2)], dt.date(2018, 5, 1) + dt.timedelta(days=n))
    read = []
    with Register.open(path) as reg:
        changes = reg._changes
        monkeypatch.setattr(reg, "_changes", lambda i: read.append(i) or changes(i))
        assert reg.state_at(1).posts[0].fte == 2 and read == [2]  # snapshot 0, then 1 step
        assert reg.state_at(1).posts[0].fte == 2 and read == [2]  # cached
        assert reg.state_at(3).posts[0].fte == 4 and read == [2, 4]  # snapshot 2, then 1
        assert reg.state_at(5).posts[0].fte == 6 and read == [2, 4, 6]
        assert reg.state_at(4).posts[0].fte == 5 and read == [2, 4, 6]  # snapshot 4
        assert reg.state_at(1).posts[0].fte == 2 and read == [2, 4, 6]  # still cached
        assert reg.state_at(0).posts[0].fte == 1 and len(reg._states) == 4  # 4 kept:
        assert (reg.head(), 1) not in reg._states  # the first kept dropped
        assert reg.state_at(1).posts[0].fte == 2 and read == [2, 4, 6, 2]
        decide(reg, [Establish(Post("N", 1, "Grade 4", 20, team="T", reference="N"))],
               dt.date(2018, 6, 1))
        assert [k[1] for k in reg._states] == [6]  # the new head's last state only
        del read[:]
        assert [p.reference for p in reg.state_at(6).posts] == ["A", "B", "N"] and read == []


def test_a_state_is_replayed_from_a_cached_later_state_not_the_snapshot(path, monkeypatch):
    with Register.open(path) as reg:
        for n in range(3):
            decide(reg, [ChangeFte("A", n + 2)], dt.date(2018, 5, 1) + dt.timedelta(days=n))
        read = []
        changes = reg._changes
        monkeypatch.setattr(reg, "_changes", lambda i: read.append(i) or changes(i))
        reg._states.clear()
        assert reg.state_at(1).posts[0].fte == 2 and read == [2]
        assert reg.state_at(3).posts[0].fte == 4 and read == [2, 3, 4]  # from the cached 1
        reg._states = {(h, p): s for (h, p), s in reg._states.items() if p == 3}
        reg._states[("other head", 2)] = Structure("x")
        assert reg.state_at(2).posts[0].fte == 3 and read == [2, 3, 4, 2, 3]


def test_an_entry_that_does_not_match_its_hash_is_not_replayed(path):
    with Register.open(path) as reg:
        decide(reg, [ChangeFte("A", 2)], dt.date(2018, 5, 1))
        decide(reg, [ChangeFte("B", 2)], dt.date(2018, 6, 1))
    edit(path, ("UPDATE entry SET content = replace(content, '2', '3') WHERE id = 2", ()))
    with Register.open(path) as reg:
        with pytest.raises(RegisterError) as caught:
            reg.as_of(dt.date(2018, 5, 1))
        assert str(caught.value) == (
            f"{path}: entry 2 does not match its hash: the register was changed outside "
            "establishment; nothing was read from it (`register verify` says more)")
        with pytest.raises(RegisterError) as caught:
            reg.entry(99)
        assert str(caught.value) == f"{path}: no decision 99"


# --- revoking ------------------------------------------------------------------------------


def test_a_revocation_takes_a_decision_out_of_replay(path, every2):
    with Register.open(path) as reg:
        decide(reg, [ChangeFte("A", 2)], dt.date(2018, 5, 1))
        new = decide(reg, [Establish(Post("N", 1, "Grade 4", 20, team="T", reference="N"))],
                     dt.date(2018, 5, 2))
        decide(reg, [ChangeFte("A", 4)], dt.date(2018, 5, 3))
        decide(reg, [ChangeFte("B", 5)], dt.date(2018, 5, 4))
        revocation = reg.revoke(new.id, reason="error", approved_by="C", reference="X/1")
        assert revocation == reg.entries()[-1]
        assert (revocation.id, revocation.kind, revocation.revokes, revocation.note,
                revocation.approved_by, revocation.reference, revocation.effective,
                revocation.approved, revocation.content) == (
            6, "revocation", 3, "error", "C", "X/1", None, None, "")
        assert reg.order() == [(dt.date(2018, 5, 1), 2), (dt.date(2018, 5, 3), 4),
                               (dt.date(2018, 5, 4), 5)]
        assert [(p.reference, p.fte) for p in reg.as_of(dt.date(2018, 5, 4)).posts] == [
            ("A", 4), ("B", 5)]
        with pytest.raises(RegisterError) as caught:
            reg.revoke(new.id, reason="again")
        assert str(caught.value) == f"{path}: cannot revoke 3: already revoked"
        with pytest.raises(RegisterError) as caught:
            reg.revoke(1, reason="basis")
        assert str(caught.value) == f"{path}: cannot revoke 1: a basis entry, not a decision"
        with pytest.raises(RegisterError) as caught:
            reg.revoke(6, reason="x")
        assert str(caught.value) == (f"{path}: cannot revoke 6: a revocation entry, not a "
                                     "decision")
        with pytest.raises(RegisterError) as caught:
            reg.revoke(99, reason="none")
        assert str(caught.value) == f"{path}: cannot revoke 99: no such decision"
        with pytest.raises(RegisterError, match="^reason must be given"):
            reg.revoke(2, reason=" ")
        last = reg.revoke(5, reason="last")  # the last in replay order
        assert (last.revokes, last.approved_by, last.reference) == (5, "", "")
    assert rows(path, "SELECT * FROM post_ref ORDER BY reference") == [("A", 0), ("B", 0)]
    assert {s: [(p.reference, p.fte) for p in decode(b).posts]
            for s, b in rows(path, "SELECT seq, state FROM snapshot")} == {
        0: [("A", 1), ("B", 1)], 2: [("A", 4), ("B", 1)]}
    entries = raw_entries(path)
    assert entries[-1]["state"] == digests(path)
    assert [e["hash"] for e in entries] == [expected_hash(e) for e in entries]
    with Register.open(path) as reg:
        assert reg.verify(deep=True) == entries[-1]["hash"]


def test_a_revocation_that_breaks_a_later_decision_is_refused(path):
    with Register.open(path) as reg:
        new = decide(reg, [Establish(Post("N", 1, "Grade 4", 20, team="T", reference="N"))],
                     dt.date(2018, 5, 1))
        decide(reg, [ChangeFte("N", 2)], dt.date(2018, 6, 1))
        decide(reg, [ChangeFte("A", 2), Disestablish("N")], dt.date(2018, 7, 1))
        before = reg.head()
        with pytest.raises(ConflictError) as caught:
            reg.revoke(new.id, reason="error")
        assert str(caught.value) == (
            f"{path}: revoking decision 2 would leave later decisions unable to apply; nothing "
            "was written:\n"
            "  decision 3 (effective 2018-06-01), change 1: no post with reference 'N'\n"
            "  decision 4 (effective 2018-07-01), change 2: no post with reference 'N'")
        assert caught.value.problems[0].file == str(path)
        assert reg.head() == before and reg.order()[0] == (dt.date(2018, 5, 1), 2)


# --- verify ------------------------------------------------------------------------------


@pytest.fixture
def ledger(path, every2):
    """Entries: 1 basis, 2-4 decisions, 5 a limit, 6 the 2019/20 basis."""
    with Register.open(path) as reg:
        for n in range(3):
            decide(reg, [ChangeFte("A", n + 2)], dt.date(2018, 5, 1) + dt.timedelta(days=n))
        reg.set_limit(Limit("T", 2018, fte=Decimal(9)))
        reg.set_basis(BASIS_2019)
    return path


def test_verify_returns_the_head_and_accepts_any_head_in_the_chain(ledger):
    entries = raw_entries(ledger)
    opening_hash = rows(ledger, "SELECT value FROM meta WHERE key = 'opening_hash'")[0][0]
    with Register.open(ledger) as reg:
        assert reg.head() == entries[-1]["hash"]
        for head in (None, opening_hash, entries[0]["hash"], entries[3]["hash"],
                     entries[-1]["hash"]):
            assert reg.verify(head=head) == entries[-1]["hash"]
            assert reg.verify(deep=True, head=head) == entries[-1]["hash"]
    assert problems(ledger, head="f" * 64) == [
        f"the head recorded elsewhere ({'f' * 64}) is not in this register's chain: entries "
        "after it were deleted, or the chain was rewritten"]


def test_verify_names_every_break_in_the_chain_first_to_last(ledger):
    entries = raw_entries(ledger)
    edit(ledger, ("UPDATE entry SET note = 'x' WHERE id = 3", ()),
         ("UPDATE entry SET prev_hash = 'p' WHERE id = 5", ()))
    assert problems(ledger) == [
        "entry 3: its content does not match its hash",
        "entry 5: does not follow the entry before it (its previous hash is not that entry's "
        "hash)", "entry 5: its content does not match its hash"]
    fields = {**entries[1], "note": "rehashed"}
    edit(ledger, ("UPDATE entry SET note = 'rehashed', hash = ? WHERE id = 2",
                  (expected_hash(fields),)))
    assert problems(ledger)[:2] == [
        "entry 3: does not follow the entry before it (its previous hash is not that entry's "
        "hash)", "entry 3: its content does not match its hash"]


def test_verify_names_the_opening_record_when_it_is_edited(ledger):
    for key, value in [("opening", "name = 'x'"), ("opened_on", "2018-04-02"),
                       ("employer", "x")]:
        shutil.copyfile(ledger, ledger.with_suffix(".bak"))
        edit(ledger, ("UPDATE meta SET value = ? WHERE key = ?", (value, key)))
        found = problems(ledger)
        assert found[0] == "the opening record does not match its hash"
        assert found[1] == "entry 1: does not follow the entry before it (its previous hash "\
            "is not that entry's hash)"
        shutil.copyfile(ledger.with_suffix(".bak"), ledger)


def test_verify_names_each_table_changed(ledger):
    edit(ledger, ("UPDATE team_limit SET fte = '8'", ()),
         ("UPDATE basis SET fields = '{}' WHERE pay_year = 2019", ()),
         ("DELETE FROM post_ref WHERE reference = 'B'", ()),
         ("UPDATE meta SET value = '7' WHERE key = 'reference_counter'", ()))
    assert problems(ledger) == [
        "basis 2019/20: differs from the ledger (entry 6)",
        "limits of team 'T' in 2018/19: differ from the ledger (entry 5)",
        "the meta table differs from what the last entry (entry 6) recorded",
        "the basis table differs from what the last entry (entry 6) recorded",
        "the limit table differs from what the last entry (entry 6) recorded",
        "the post_ref table differs from what the last entry (entry 6) recorded"]


def test_verify_deep_replays_the_ledger_against_every_snapshot(ledger):
    blob = encode(Structure("x", [Post("Officer", 9, "Grade 4", 20, team="T", reference="A"),
                                  Post("Clerk", 1, "Grade 4", 20, team="U", reference="B")]))
    extra = encode(opening())
    edit(ledger, ("UPDATE snapshot SET state = ?, digest = ? WHERE seq = 2", (blob, sha(blob))),
         ("INSERT INTO snapshot VALUES (8, ?, ?)", (extra, sha(extra))),
         ("INSERT INTO snapshot VALUES (6, ?, ?)", (extra, sha(extra))))
    # the digests the last entry recorded are stale: only that is said without deep
    assert problems(ledger) == ["the snapshot table differs from what the last entry (entry 6) "
                                "recorded"]
    state = digests(ledger)
    with Register.open(ledger, check=False) as reg, pytest.raises(RegisterError):
        reg.verify(deep=True)
    # made consistent (as someone recomputing the digests would): only deep finds it
    last = {**raw_entries(ledger)[-1], "state": state}
    edit(ledger, ("UPDATE entry SET state = ?, hash = ? WHERE id = 6",
                  (state, expected_hash(last))))
    with Register.open(ledger) as reg:
        assert reg.verify() == expected_hash(last)
        with pytest.raises(RegisterError) as caught:
            reg.verify(deep=True)
    assert str(caught.value) == (f"{ledger}: stored snapshots fail verification:\n"
                                 "  snapshot 2: differs from the ledger replayed\n"
                                 "  snapshot 6: beyond the last decision\n"
                                 "  snapshot 8: beyond the last decision")
    assert caught.value.problems[0].file == str(ledger)


def forge(path: Path) -> None:
    """The last entry's digests of the tables recomputed, and its hash: what someone who
    edits the tables and knows the format would do (only ``verify --deep`` or a recorded
    head then finds the edit)."""
    last = raw_entries(path)[-1]
    last["state"] = digests(path)
    edit(path, ("UPDATE entry SET state = ?, hash = ? WHERE id = ?",
                (last["state"], expected_hash(last), last["id"])))


def deep_problems(path: Path) -> list[str]:
    with Register.open(path) as reg:
        reg.verify()
        with pytest.raises(RegisterError) as caught:
            reg.verify(deep=True)
    assert str(caught.value).startswith(f"{path}: stored snapshots fail verification:\n")
    return [p.message for p in caught.value.problems]


def test_verify_deep_names_a_snapshot_it_cannot_read_and_goes_on(path, every2):
    from establishment.model.post import Payment
    from establishment.operations.changes import AddPayment

    with Register.open(path) as reg:
        decide(reg, [AddPayment(Payment("Allowance", Decimal(100), team="T",
                                        reference="PAY"))], dt.date(2018, 5, 1))
        for n in range(4):
            decide(reg, [ChangeFte("A", n + 2)], dt.date(2018, 5, 2) + dt.timedelta(days=n))
    [(blob,)] = rows(path, "SELECT state FROM snapshot WHERE seq = 2")
    data = json.loads(zlib.decompress(blob))
    data["payments"][0]["amount"] = "101"
    paid = zlib.compress(json.dumps(data).encode("utf-8"))
    data["payments"][0]["amount"] = "100"
    data["posts"][0]["fte"] = "-1"
    invalid = zlib.compress(json.dumps(data).encode("utf-8"))
    for seq, blob in [(2, paid), (4, b"garbage")]:
        edit(path, ("UPDATE snapshot SET state = ?, digest = ? WHERE seq = ?",
                    (blob, sha(blob), seq)))
    forge(path)
    assert deep_problems(path) == [
        "snapshot 2: differs from the ledger replayed",
        "snapshot 4: cannot be read (Error -3 while decompressing data: incorrect header check)"]
    edit(path, ("UPDATE snapshot SET state = ?, digest = ? WHERE seq = 2",
                (invalid, sha(invalid))))
    forge(path)
    assert deep_problems(path) == [
        "snapshot 2: cannot be read (post A: 'fte' must be > 0 (got Decimal('-1')))",
        "snapshot 4: cannot be read (Error -3 while decompressing data: incorrect header check)"]


def test_an_unreadable_opening_record_is_named(path):
    edit(path, ("UPDATE meta SET value = 'name = ' WHERE key = 'opening'", ()))
    with Register.open(path, check=False) as reg, pytest.raises(Exception) as caught:
        reg.opening()
    assert str(caught.value).startswith(f"{path} (opening)")


def test_a_back_dated_end_date_makes_a_later_change_to_the_post_conflict(path):
    from establishment.operations.changes import ChangeEnd

    with Register.open(path) as reg:
        decide(reg, [ChangeFte("A", 2)], dt.date(2018, 9, 1))
        with pytest.raises(ConflictError) as caught:
            decide(reg, [ChangeEnd("A", dt.date(2018, 6, 30))], dt.date(2018, 5, 1))
    assert [p.message for p in caught.value.problems] == [
        "decision 2 (effective 2018-09-01), change 1: post A ended on 2018-06-30 "
        "(temporary), before this decision takes effect on 2018-09-01"]


# --- transactions, faults, busy ---------------------------------------------------------


def test_the_fault_hook_is_called_at_each_point_of_a_write(path, monkeypatch):
    points = []
    monkeypatch.setattr(store, "fault_hook", points.append)
    with Register.open(path) as reg:
        assert points == []  # a read writes nothing
        decide(reg, [ChangeFte("A", 2)], OPENED)
        assert points == ["after-snapshots", "before-entry", "after-entry", "before-commit"]
        del points[:]
        reg.set_basis(BASIS_2019)
        assert points == ["before-entry", "after-entry", "before-commit"]


@pytest.mark.parametrize("point", ["after-snapshots", "before-entry", "after-entry"])
def test_a_write_stopped_at_any_point_leaves_the_file_as_it_was(path, monkeypatch, point,
                                                               every2):
    with Register.open(path) as reg:
        decide(reg, [ChangeFte("A", 2)], dt.date(2018, 6, 1))
    before = path.read_bytes()

    def stop(name: str) -> None:
        if name == point:
            raise KeyboardInterrupt

    with Register.open(path) as reg:
        head = reg.head()
        monkeypatch.setattr(store, "fault_hook", stop)
        with pytest.raises(KeyboardInterrupt):
            decide(reg, [Establish(Post("N", 1, "Grade 4", 20, team="T"))], dt.date(2018, 5, 1))
        monkeypatch.setattr(store, "fault_hook", None)
        assert reg.head() == head and reg.meta("reference_counter") == "0"
        assert reg.as_of(dt.date(2018, 6, 1)).posts[0].fte == 2
        assert reg.db.in_transaction is False
    assert path.read_bytes() == before
    with Register.open(path) as reg:
        assert reg.verify(deep=True) == head


def test_a_busy_register_is_a_clear_error(path, monkeypatch):
    monkeypatch.setattr(store, "BUSY_TIMEOUT", 0.05)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(RegisterBusy) as caught:
            Register.open(path)
        assert str(caught.value) == (f"{path}: the register is busy: another process has held "
                                     "it for more than 0.05 s; try again")
        other.execute("COMMIT")
        other.execute("BEGIN IMMEDIATE")
        with Register.open(path) as reg:
            assert reg.db.execute("PRAGMA busy_timeout").fetchone() == (50,)
            with pytest.raises(RegisterBusy) as caught:
                decide(reg, [ChangeFte("A", 2)], OPENED)
            assert str(caught.value) == (
                f"{path}: the register is busy: another process has been writing to it for "
                "more than 0.05 s; try again")
    finally:
        other.close()
