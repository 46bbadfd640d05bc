"""Tests written to kill surviving mutants of register/store.py and register/integrity.py
(benchmarks/mutation.py): each asserts behaviour a register relies on."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3

import pytest

from establishment import PayBasis, Post, Structure
from establishment.operations.changes import ChangeFte
from establishment.register import Register, RegisterError
from establishment.register.integrity import (
    ENTRY_FIELDS,
    changed_tables,
    entry_hash,
    opening_hash,
    quick_check,
    table_digests,
)

BASIS = PayBasis(employer="nottinghamshire", pay_year=2018, rule="njc")
OPENED = dt.date(2018, 4, 1)


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_an_entry_hash_is_the_sha256_of_its_fields_as_this_exact_text():
    """The format is fixed: registers written by every earlier version verify only while it
    stays the same (sorted keys, no spaces, text not escaped to ASCII, ``state`` only when
    the entry has one)."""
    fields = {k: None for k in ENTRY_FIELDS}
    fields.update(id=1, kind="decision", effective="2018-06-01", approved_by="Comité",
                  reference="R", note="", content="x", recorded_at="t", prev_hash="p")
    text = ('{"approved":null,"approved_by":"Comité","content":"x","effective":"2018-06-01",'
            '"id":1,"kind":"decision","note":"","override":null,"prev_hash":"p",'
            '"recorded_at":"t","reference":"R","revokes":null}')
    assert entry_hash(fields) == sha(text)
    assert entry_hash({**fields, "state": "{}"}) == sha(text[:-1] + ',"state":"{}"}')
    assert entry_hash({**fields, "state": None}) == sha(text)
    assert opening_hash("e", "2018-04-01", "Café") == sha('["e", "2018-04-01", "Café"]')


def test_a_table_digest_is_the_sha256_of_its_rows_in_order():
    db = sqlite3.connect(":memory:")
    for sql in ("CREATE TABLE meta (key TEXT, value TEXT)", "CREATE TABLE basis (pay_year, "
                "fields)", "CREATE TABLE team_limit (team, pay_year, fte, headcount, budget, "
                "temporary)", "CREATE TABLE post_ref (reference, entry)",
                "CREATE TABLE snapshot (seq, state, digest)"):
        db.execute(sql)
    db.executemany("INSERT INTO meta VALUES (?, ?)", [("opening", "left out"), ("z", "Café"),
                                                      ("a", "1")])
    db.executemany("INSERT INTO post_ref VALUES (?, ?)", [("B", 3), ("A", 0)])
    digests = table_digests(db)
    assert digests["meta"] == sha('["a","1"]\n["z","Café"]\n')
    assert digests["post_ref"] == sha('["A",0]\n["B",3]\n')
    assert digests["basis"] == digests["limit"] == digests["snapshot"] == sha("")
    assert changed_tables(db, None) == []
    recorded = {**digests, "post_ref": "other"}
    assert changed_tables(db, json.dumps(recorded)) == ["post_ref"]


def test_quick_check_says_ok_as_no_problems():
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (x)")
    assert quick_check(db) == []


@pytest.fixture
def reg(tmp_path):
    opening = Structure("o", [Post("Officer", 1, "Grade 4", 20, team="T", reference="A")])
    with Register.create(tmp_path / "r.db", BASIS, opening=opening, opened_on=OPENED) as reg:
        yield reg


def test_a_basis_or_limit_row_no_entry_stored_is_named(reg):
    reg.db.execute("INSERT INTO basis VALUES (2025, '{}')")
    reg.db.execute("INSERT INTO team_limit VALUES ('T', 2018, '9', NULL, NULL, '0')")
    with pytest.raises(RegisterError) as caught:
        reg.verify()
    assert [p.message for p in caught.value.problems][:2] == [
        "basis 2025/26: differs from the ledger (no entry)",
        "limits of team 'T' in 2018/19: differ from the ledger (no entry)"]


def test_the_opening_record_edited_is_named(reg):
    reg.db.execute("UPDATE meta SET value = 'other' WHERE key = 'employer'")
    with pytest.raises(RegisterError) as caught:
        reg.verify()
    assert [p.message for p in caught.value.problems][0] == (
        "the opening record does not match its hash")


def test_the_head_is_the_opening_hash_until_the_first_entry(tmp_path):
    path = tmp_path / "empty.db"
    with Register.create(path, BASIS, opened_on=OPENED) as reg:
        [first] = reg.entries()
        assert (first.id, first.kind, first.prev_hash) == (1, "basis", reg.meta("opening_hash"))
        assert reg.head() == first.hash and reg.verify(head=reg.meta("opening_hash"))


def test_a_revocation_and_a_basis_are_refused_as_revocation_targets(reg):
    entry = reg.record([ChangeFte("A", 2)], effective=dt.date(2018, 5, 1),
                       approved=dt.date(2018, 5, 1), approved_by="D", reference="R")
    revocation = reg.revoke(entry.id, reason="error")
    with pytest.raises(RegisterError, match=f"cannot revoke {revocation.id}: a revocation "
                       "entry, not a decision"):
        reg.revoke(revocation.id, reason="again")
    with pytest.raises(RegisterError, match="cannot revoke 99: no such decision"):
        reg.revoke(99, reason="none")


def test_an_edited_decision_before_the_last_is_not_replayed(tmp_path, monkeypatch):
    """The last entry and the tables are sound, so the register opens; the edited decision
    is found when a query replays it."""
    from establishment.register import store

    monkeypatch.setattr(store, "SNAPSHOT_EVERY", 4)
    path = tmp_path / "r.db"
    opening = Structure("o", [Post("Officer", 1, "Grade 4", 20, team="T", reference="A")])
    with Register.create(path, BASIS, opening=opening, opened_on=OPENED) as reg:
        for n in range(6):  # decisions at positions 1-6: snapshot 4, then 5 and 6 replayed
            reg.record([ChangeFte("A", n + 2)], effective=OPENED + dt.timedelta(days=n),
                       approved=OPENED, approved_by="D", reference=f"R{n}")
        fifth = [e for e in reg.entries() if e.kind == "decision"][4]
    with sqlite3.connect(path) as db:
        db.execute("DROP TRIGGER entry_no_update")
        db.execute("UPDATE entry SET content = replace(content, 'fte = 6', 'fte = 9') "
                   "WHERE id = ?", (fifth.id,))
    with Register.open(path) as reg:
        assert reg.as_of(OPENED + dt.timedelta(days=3)).posts[0].fte == 5  # snapshot 4
        with pytest.raises(RegisterError, match=f"entry {fifth.id} does not match its hash"):
            reg.as_of(OPENED + dt.timedelta(days=4))


def test_damage_only_quick_check_sees_is_refused(tmp_path, capsys):
    """Garbage in the pages of the index of entry hashes, which no query reads: only SQLite's
    quick_check finds it, and every read refuses the file (a mutant ignoring quick_check's
    answer survived the other damage tests, where the reads themselves fail)."""
    from tests.cli_run import run

    path = tmp_path / "r.db"
    opening = Structure("o", [Post("Officer", 1, "Grade 4", 20, team="T", reference="A")])
    with Register.create(path, BASIS, opening=opening, opened_on=OPENED) as reg:
        for n in range(3):
            reg.record([ChangeFte("A", n + 2)], effective=OPENED, approved=OPENED,
                       approved_by="D", reference=f"R{n}")
    with sqlite3.connect(path) as db:
        [root] = db.execute("SELECT rootpage FROM sqlite_master WHERE type = 'index' AND "
                            "tbl_name = 'entry' AND name LIKE 'sqlite_autoindex%'").fetchone()
    data = bytearray(path.read_bytes())
    size = int.from_bytes(data[16:18], "big")
    data[(root - 1) * size + 8:root * size] = b"\x07" * (size - 8)  # after the page header
    path.write_bytes(bytes(data))
    code, out, err = run(capsys, "register", "as-of", str(path), "2018-06-01")
    assert code == 2 and err.startswith(f"establishment: error: {path}: ")
    assert "damaged" in err and out == ""
