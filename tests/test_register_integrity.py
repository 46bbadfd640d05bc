"""Register integrity: the chain covers every row that changes a figure; every read refuses a
damaged or edited file; ``verify`` names the first bad entry and checks a head recorded
elsewhere; replay is by effective date, then recording order."""

from __future__ import annotations

import datetime as dt
import inspect
import shutil
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from establishment import PayBasis, Post, Structure
from establishment.operations.changes import ChangeFte, Establish, Regrade
from establishment.register import ConflictError, Register, RegisterError, state, store
from establishment.register.integrity import entry_hash
from tests.cli_run import run

BASIS = PayBasis(employer="nottinghamshire", pay_year=2018, point="actual", rule="njc")
OPENED = dt.date(2018, 4, 1)


def opening() -> Structure:
    return Structure("opening", [
        Post("Reviewing Officer", 2, "Hay Band A", 34, team="ICDS", reference="A"),
        Post("Service Organiser", 1, "Grade 4", 23, team="C&P", reference="C")])


def decide(reg: Register, changes, effective: dt.date, reference: str = "R"):
    return reg.record(changes, effective=effective, approved=effective,
                      approved_by="Committee", reference=reference)


@pytest.fixture
def path(tmp_path, monkeypatch) -> Path:
    """A register: entry 1 the 2018/19 basis, 2 the 2019/20 basis, 3 to 12 decisions (a
    snapshot after every 4th in replay order)."""
    monkeypatch.setattr(store, "SNAPSHOT_EVERY", 4)
    path = tmp_path / "r.db"
    with Register.create(path, BASIS, opening=opening(), opened_on=OPENED) as reg:
        reg.set_basis(BASIS.evolve(pay_year=2019))
        for n in range(10):
            decide(reg, [ChangeFte("A", Decimal(n + 1) / 2)], OPENED + dt.timedelta(days=n),
                   f"R{n}")
    return path


def edit(path: Path, *statements: tuple[str, tuple]) -> None:
    """Change the file as someone with sqlite3 would: the append-only triggers dropped."""
    with sqlite3.connect(path) as db:
        db.execute("DROP TRIGGER IF EXISTS entry_no_update")
        db.execute("DROP TRIGGER IF EXISTS entry_no_delete")
        for sql, values in statements:
            db.execute(sql, values)


def problems(path: Path, **options) -> list[str]:
    with Register.open(path, check=False) as reg:
        with pytest.raises(RegisterError) as caught:
            reg.verify(**options)
    return [p.message for p in caught.value.problems]


def refused(path: Path, capsys, match: str) -> None:
    """``as-of``, ``log``, ``cost`` and ``cost FILE.db@DATE`` each exit 2 naming the file."""
    for argv in (["register", "as-of", str(path), "2018-06-01"], ["register", "log", str(path)],
                 ["register", "cost", str(path), "--from", "2018-04-01", "--to", "2018-06-30"],
                 ["cost", f"{path}@2018-06-01"]):
        code, out, err = run(capsys, *argv)
        assert code == 2, (argv, out, err)
        assert err.startswith(f"establishment: error: {path}: ") and match in err, (argv, err)
        assert "Traceback" not in err and out == ""


def test_a_sound_register_verifies_and_answers(path, capsys):
    with Register.open(path) as reg:
        head = reg.verify(deep=True)
        assert reg.verify(head=head) == head
        assert [p.fte for p in reg.as_of(dt.date(2018, 6, 1)).posts] == [5, 1]
    code, out, _ = run(capsys, "register", "log", str(path))
    assert code == 0 and f"Head: {head} (record it" in out
    code, out, _ = run(capsys, "register", "verify", str(path), "--head", head)
    assert (code, out.strip()) == (0, f"{path}: ok, 12 entries; head {head}; the recorded "
                                      "head is the head")


def test_an_edited_decision_is_named_and_never_replayed(path, capsys):
    edit(path, ("UPDATE entry SET content = replace(content, 'fte = 5', 'fte = 9') "
                "WHERE id = 12", ()))  # the last decision, replayed after snapshot 8
    assert problems(path) == ["entry 12: its content does not match its hash"]
    refused(path, capsys, "entry 12, the last, does not match its hash")
    edit(path, ("UPDATE entry SET note = 'edited' WHERE id = 5", ()))
    assert problems(path)[0] == "entry 5: its content does not match its hash"


def test_an_edited_basis_row_is_named_and_no_figure_is_served(path, capsys):
    # the case: the stored rule changed with sqlite3 moved `register cost`
    edit(path, ("UPDATE basis SET fields = replace(fields, '\"njc\"', '\"council-2018\"') "
                "WHERE pay_year = 2018", ()))
    assert problems(path) == ["basis 2018/19: differs from the ledger (entry 1)",
                              "the basis table differs from what the last entry (entry 12) "
                              "recorded"]
    refused(path, capsys, "the basis table(s) were changed outside establishment")


def test_an_edited_limit_or_reference_is_named(path):
    with Register.open(path) as reg:
        from establishment.register import Limit
        reg.set_limit(Limit("ICDS", 2018, fte=9))
    edit(path, ("UPDATE team_limit SET fte = '90'", ()))
    assert problems(path)[0] == ("limits of team 'ICDS' in 2018/19: differ from the ledger "
                                 "(entry 13)")
    edit(path, ("UPDATE team_limit SET fte = '9'", ()),
         ("DELETE FROM post_ref WHERE reference = 'C'", ()))
    assert problems(path) == ["the post_ref table differs from what the last entry (entry 13) "
                              "recorded"]


def test_an_edited_snapshot_is_named_and_not_served(path, capsys):
    with sqlite3.connect(path) as db:
        blob = db.execute("SELECT state FROM snapshot WHERE seq = 8").fetchone()[0]
    edited = state.encode(state.decode(blob).evolve(posts=opening().posts))
    edit(path, ("UPDATE snapshot SET state = ? WHERE seq = 8", (edited,)))
    assert problems(path) == ["snapshot 8: its content does not match its digest"]
    with Register.open(path) as reg, pytest.raises(RegisterError, match=r"snapshot 8 cannot be "
                                                   r"read \(it does not match its digest"):
        reg.as_of(dt.date(2018, 6, 1))
    # its digest recomputed too: the last entry recorded the snapshots' digests
    edit(path, ("UPDATE snapshot SET digest = ? WHERE seq = 8", (store.sha256(edited),)))
    assert problems(path) == ["the snapshot table differs from what the last entry (entry 12) "
                              "recorded"]
    refused(path, capsys, "the snapshot table(s) were changed outside establishment")


def test_an_entry_edited_with_its_own_hash_recomputed_breaks_its_successors_link(path):
    with Register.open(path) as reg:
        entry = reg.entry(6)
    fields = {**entry.fields(), "note": "edited, hash recomputed"}
    edit(path, ("UPDATE entry SET note = ?, hash = ? WHERE id = 6",
                (fields["note"], entry_hash(fields))))
    # entry 6 is sound on its own: only entry 7's link to it shows the edit
    assert problems(path) == ["entry 7: does not follow the entry before it (its previous "
                              "hash is not that entry's hash)"]


def test_with_a_recorded_head_a_deleted_last_entry_is_detected(path, capsys):
    with Register.open(path) as reg:
        minute = reg.head()  # recorded in the minutes
        decide(reg, [ChangeFte("C", 2)], dt.date(2018, 5, 1), "later")
        assert reg.verify(head=minute) == reg.head()  # the register grew since: fine
        later = reg.head()
        snapshots = list(reg.db.execute("SELECT seq, state, digest FROM snapshot"))
    # the later decision (its snapshots are not rebuilt: it is after the last one) deleted
    edit(path, ("DELETE FROM entry WHERE id = 13", ()),
         ("DELETE FROM post_ref WHERE entry = 13", ()))
    with sqlite3.connect(path) as db:
        assert list(db.execute("SELECT seq, state, digest FROM snapshot")) == snapshots
    with Register.open(path) as reg:
        assert reg.verify(head=minute) == minute  # consistent without it...
    assert problems(path, head=later) == [
        f"the head recorded elsewhere ({later}) is not in this register's chain: entries "
        "after it were deleted, or the chain was rewritten"]  # ...but not the recorded head
    code, _, err = run(capsys, "register", "verify", str(path), "--head", later)
    assert code == 2 and "is not in this register's chain" in err


def test_with_a_recorded_head_a_chain_rewritten_whole_is_detected(path, tmp_path, monkeypatch):
    with Register.open(path) as reg:
        minute = reg.head()
    forged = tmp_path / "forged.db"  # the same history, one figure different, every hash
    with Register.create(forged, BASIS, opening=opening(), opened_on=OPENED) as reg:
        reg.set_basis(BASIS.evolve(pay_year=2019))  # recomputed: a sound chain of its own
        for n in range(10):
            decide(reg, [ChangeFte("A", Decimal(n + 2) / 2)], OPENED + dt.timedelta(days=n),
                   f"R{n}")
    shutil.copyfile(forged, path)
    with Register.open(path) as reg:
        assert reg.verify(deep=True) != minute  # consistent in itself
    assert problems(path, head=minute) == [
        f"the head recorded elsewhere ({minute}) is not in this register's chain: entries "
        "after it were deleted, or the chain was rewritten"]


@pytest.mark.parametrize("page", [2, "last"])
def test_a_damaged_page_is_refused_by_every_read_naming_the_file(path, capsys, page):
    data = bytearray(path.read_bytes())
    size = int.from_bytes(data[16:18], "big")
    number = len(data) // size if page == "last" else page
    data[(number - 1) * size:number * size] = bytes(range(256)) * (size // 256)
    path.write_bytes(bytes(data))
    refused(path, capsys, "")
    code, _, err = run(capsys, "register", "verify", str(path))
    assert code == 2 and str(path) in err


def test_replay_is_by_effective_date_then_recording_order(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "SNAPSHOT_EVERY", 1)  # every state stored, rebuilt, replayed
    path = tmp_path / "r.db"
    with Register.create(path, BASIS, opening=opening(), opened_on=OPENED) as reg:
        decide(reg, [ChangeFte("A", 3)], dt.date(2018, 9, 1))
        decide(reg, [ChangeFte("A", 4)], dt.date(2018, 6, 1))  # back-dated: before the first
        decide(reg, [ChangeFte("A", 5)], dt.date(2018, 7, 1))
        decide(reg, [ChangeFte("A", 6)], dt.date(2018, 7, 1))  # same day: recorded later wins
        assert reg.order() == [(dt.date(2018, 6, 1), 3), (dt.date(2018, 7, 1), 4),
                               (dt.date(2018, 7, 1), 5), (dt.date(2018, 9, 1), 2)]
    with Register.open(path) as reg:  # fresh: answers from the stored snapshots
        fte = {day: reg.as_of(day).posts[0].fte for day in (
            dt.date(2018, 6, 1), dt.date(2018, 7, 1), dt.date(2018, 8, 1),
            dt.date(2018, 9, 1))}
        assert fte == {dt.date(2018, 6, 1): 4, dt.date(2018, 7, 1): 6,
                       dt.date(2018, 8, 1): 6, dt.date(2018, 9, 1): 3}
        reg.verify(deep=True)


def test_a_decision_that_cannot_be_costed_is_refused_at_record(path, capsys):
    before = path.read_bytes()
    with Register.open(path) as reg:
        with pytest.raises(ConflictError) as caught:
            decide(reg, [Regrade("A", "Grade 99", 3)], dt.date(2018, 10, 1))
        assert str(caught.value).startswith(
            f"{path}: the decision cannot be costed on the basis of 2018/19 (effective "
            "2018-10-01); nothing was written:")
        [problem] = caught.value.problems
        assert problem.file == str(path) and problem.message.startswith(
            "post A: unknown grade 'Grade 99' for Nottinghamshire County Council")
        with pytest.raises(ConflictError, match="post N: .*scp 99"):
            decide(reg, [Establish(Post("New", 1, "Grade 4", 99, team="T", reference="N"))],
                   dt.date(2018, 10, 1))
    assert path.read_bytes() == before


def test_the_library_reads_no_test_setting_of_its_own():
    import ast

    tree = ast.parse(inspect.getsource(store))
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} | {
        n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not names & {"environ", "getenv", "kill", "SIGKILL"}
    assert not imported & {"os", "signal"}
    assert store.fault_hook is None
