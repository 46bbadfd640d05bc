"""The establishment register: replay, time checks, revocations, integrity under faults."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from establishment import PayBasis, Post, Structure
from establishment.engine.costing import cost as cost_of
from establishment.errors import Problem
from establishment.operations.changes import (
    ChangeEnd,
    ChangeError,
    ChangeFte,
    Disestablish,
    Establish,
    MakePermanent,
    Target,
    apply_changes,
)
from establishment.register import (
    ConflictError,
    Limit,
    LimitError,
    Register,
    RegisterBusy,
    RegisterError,
    expiring,
    history,
    limit_checks,
    log,
    period_cost,
    store,
)

ROOT = Path(__file__).resolve().parents[1]
BASIS = PayBasis(employer="nottinghamshire", pay_year=2018, point="actual", rule="njc")
OPENED = dt.date(2018, 4, 1)
DAYS = [OPENED + dt.timedelta(days=30 * k) for k in range(12)]
FIRST = 3  # the id of the first decision after new_register (entries 1, 2: the two bases)


def opening() -> Structure:
    return Structure("opening", [
        Post("Reviewing Officer", 2, "Hay Band A", 34, team="ICDS", reference="A"),
        Post("Assessment Officer", 1, "Grade 5", 28, team="ICDS", reference="B",
             end=dt.date(2018, 9, 30)),
        Post("Service Organiser", 1, "Grade 4", 23, team="C&P", reference="C"),
    ])


def new_register(path: Path, structure: Structure | None = None) -> Register:
    reg = Register.create(path, BASIS, opening=structure or opening(), opened_on=OPENED)
    reg.set_basis(BASIS.evolve(pay_year=2019))
    return reg


def record(reg: Register, changes, effective: dt.date, **more):
    return reg.record(changes, effective=effective, approved=effective, approved_by="Committee",
                      reference=f"report {effective}", **more)


# --- replay equals applying each decision's changes in effective-date order ---------------

refs = st.sampled_from(["A", "B", "C", "N1", "N2"])
days = st.sampled_from(DAYS)
changes = st.one_of(
    st.builds(ChangeFte, refs, st.integers(1, 8).map(lambda n: Decimal(n) / 2)),
    st.builds(Disestablish, refs),
    st.builds(ChangeEnd, refs, days),
    st.builds(MakePermanent, refs),
    st.builds(lambda ref, end: Establish(Post("New", 1, "Grade 4", 20, team="ICDS",
                                              reference=ref, end=end)),
              st.sampled_from(["N1", "N2", "N3"]), st.one_of(st.none(), days)),
)
operations = st.lists(st.one_of(
    st.tuples(st.just("record"), days, st.lists(changes, min_size=1, max_size=3)),
    st.tuples(st.just("revoke"), st.integers(1, 14), st.just([])),
), min_size=1, max_size=12)


def naive(decisions: list[tuple[dt.date, int, list]], until: dt.date) -> Structure:
    """The reference model, written out: the opening, then for each decision in (effective,
    id) order, the posts ended before it taken out and its changes applied; then the posts
    in force on the day."""
    state = opening()
    for effective, _, changes in sorted(decisions, key=lambda d: (d[0], d[1])):
        if effective <= until:
            state = state.evolve(posts=[p for p in state.posts
                                        if p.end is None or p.end >= effective])
            state = apply_changes(state, changes)
    return state.as_of(until)


def fits(decisions: list[tuple[dt.date, int, list]]) -> bool:
    used = {p.reference for p in opening().posts}
    for _, _, changes in decisions:
        for change in changes:
            if isinstance(change, Establish):
                if change.post.reference in used:
                    return False
                used.add(change.post.reference)
    try:
        naive(decisions, dt.date(2099, 1, 1))
    except ChangeError:
        return False
    return True


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(operations)
def test_replaying_the_ledger_equals_applying_each_decision_in_effective_date_order(ops):
    with tempfile.TemporaryDirectory() as folder:
        old = store.SNAPSHOT_EVERY
        store.SNAPSHOT_EVERY = 2  # so snapshots are stored, rebuilt and replayed from
        try:
            reg = new_register(Path(folder) / "r.db")
            active: dict[int, tuple[dt.date, int, list]] = {}
            next_id = FIRST  # init stores the 2018/19 basis (entry 1), new_register 2019/20 (2)
            for kind, value, changes in ops:
                if kind == "record":
                    candidate = [*active.values(), (value, next_id, changes)]
                    try:
                        entry = record(reg, changes, value)
                    except ConflictError:
                        assert not fits(candidate)
                        continue
                    assert fits(candidate) and entry.id == next_id
                    active[entry.id] = (value, entry.id, list(entry.changes))
                else:
                    candidate = [d for i, d in active.items() if i != value]
                    try:
                        reg.revoke(value, reason="test")
                    except ConflictError:
                        assert value in active and not fits(candidate)
                        continue
                    except RegisterError:
                        assert value not in active
                        continue
                    assert value in active and fits(candidate)
                    del active[value]
                next_id += 1
            for day in [OPENED, *DAYS, dt.date(2019, 6, 1)]:
                fresh = Register.open(reg.path)  # no in-memory state: snapshots only
                assert fresh.as_of(day).posts == naive(list(active.values()), day).posts
                assert reg.as_of(day).posts == fresh.as_of(day).posts
                fresh.close()
            reg.verify()
            reg.close()
        finally:
            store.SNAPSHOT_EVERY = old


# --- all or nothing, checked against time ---------------------------------------------------


def test_a_back_dated_decision_that_breaks_a_later_one_is_refused_listing_every_conflict(
        tmp_path):
    reg = new_register(tmp_path / "r.db")
    record(reg, [ChangeFte("A", 3)], dt.date(2018, 6, 1))
    record(reg, [ChangeEnd("C", dt.date(2019, 3, 31))], dt.date(2018, 7, 1))
    before = list(reg.db.iterdump())
    with pytest.raises(ConflictError) as caught:
        record(reg, [Disestablish("A"), Disestablish("C")], dt.date(2018, 5, 1))
    where = str(tmp_path / "r.db")  # each conflict a Problem located at the register
    assert caught.value.problems == [
        Problem(where, None, "decision 3 (effective 2018-06-01), change 1: no post with "
                "reference 'A'"),
        Problem(where, None, "decision 4 (effective 2018-07-01), change 1: no post with "
                "reference 'C'")]
    assert list(reg.db.iterdump()) == before
    # after its end date a temporary post is gone by itself: changing it is refused too
    with pytest.raises(ConflictError, match="change 1: post B ended on 2018-09-30 "
                       r"\(temporary\), before this decision takes effect on 2018-10-01"):
        record(reg, [ChangeFte("B", 2)], dt.date(2018, 10, 1))
    assert list(reg.db.iterdump()) == before
    with pytest.raises(ConflictError, match="before the register opens"):
        record(reg, [ChangeFte("A", 1)], dt.date(2018, 3, 1))
    with pytest.raises(ConflictError, match="'A' is already used"):
        record(reg, [Establish(Post("Again", 1, "Grade 4", reference="A"))], dt.date(2018, 5, 1))
    assert list(reg.db.iterdump()) == before


def test_revoking_is_recorded_and_refused_when_a_later_decision_needs_it(tmp_path):
    reg = new_register(tmp_path / "r.db")
    first = record(reg, [Establish(Post("New", 1, "Grade 4", 20, team="ICDS", reference="N"))],
                   dt.date(2018, 5, 1))
    record(reg, [ChangeFte("N", 2)], dt.date(2018, 6, 1))
    before = list(reg.db.iterdump())
    with pytest.raises(ConflictError) as caught:
        reg.revoke(first.id, reason="mistake")
    assert [(p.file, p.message) for p in caught.value.problems] == [
        (str(tmp_path / "r.db"),
         "decision 4 (effective 2018-06-01), change 1: no post with reference 'N'")]
    assert list(reg.db.iterdump()) == before
    reg.revoke(4, reason="withdrawn")
    assert [(line.entry.id, line.entry.kind, line.status) for line in log(reg)] == [
        (1, "basis", "stored"), (2, "basis", "stored"), (3, "decision", "in force"),
        (4, "decision", "revoked by 5"), (5, "revocation", "revokes 4")]
    assert [p.fte for p in reg.as_of(dt.date(2018, 7, 1)).posts if p.reference == "N"] == [1]
    with pytest.raises(RegisterError, match="already revoked"):
        reg.revoke(4, reason="again")
    with pytest.raises(RegisterError, match="a basis entry, not a decision"):
        reg.revoke(1, reason="a basis")


def test_references_are_assigned_and_team_and_title_targets_resolved(tmp_path):
    unreferenced = Structure("o", [Post("Officer", 1, "Grade 4", 20, team="T")])
    reg = Register.create(tmp_path / "r.db", BASIS, opening=unreferenced, opened_on=OPENED)
    assert [p.reference for p in reg.opening().posts] == ["P000001"]
    entry = record(reg, [Establish(Post("Officer", 1, "Grade 4", 20, team="U")),
                         ChangeFte(Target(team="T", title="Officer"), 2)], dt.date(2018, 5, 1))
    assert [str(c.label) for c in entry.changes] == ["P000002", "P000001"]
    with pytest.raises(ConflictError, match="no post titled 'Clerk'"):
        record(reg, [Disestablish(Target(team="T", title="Clerk"))], dt.date(2018, 5, 1))


def test_a_target_structure_is_stored_as_the_diff_from_the_state_on_its_date(tmp_path):
    reg = new_register(tmp_path / "r.db")
    target = Structure("target", [
        Post("Reviewing Officer", 3, "Hay Band A", 34, team="ICDS"),  # A, by team + title
        Post("Service Organiser", 1, "Grade 4", 23, team="C&P", reference="C"),
        Post("Team Manager", 1, "Hay Band D", 47, team="ICDS"),
    ])
    entry = record(reg, target, dt.date(2018, 10, 1))
    assert [c.kind for c in entry.changes] == ["change fte", "establish"]
    after = reg.as_of(dt.date(2018, 10, 1))
    assert [(p.reference, p.title, p.fte) for p in after.posts] == [
        ("A", "Reviewing Officer", 3), ("C", "Service Organiser", 1),
        ("P000001", "Team Manager", 1)]


def test_history_expiring_period_cost_and_export(tmp_path):
    reg = new_register(tmp_path / "r.db")
    record(reg, [ChangeEnd("B", dt.date(2019, 3, 31))], dt.date(2018, 6, 1))
    assert [(e.event, e.decision) for e in history(reg, "B")] == [("created", 0),
                                                                  ("changed", 3), ("ended", 3)]
    found = expiring(reg, dt.date(2018, 10, 1), "6m")
    assert [(e.post.reference, e.pay_year) for e in found] == [("B", 2019)]
    # 1 fte Grade 5 scp 28 (new scp 22 from April 2019) for a full year, NJC rule 2019/20
    assert found[0].permanent_full_year == cost_of(reg.as_of(dt.date(2019, 4, 1)).evolve(posts=[
        Post("x", 1, "Grade 5", 22)]), reg.basis_for(2019)).full_year
    assert expiring(reg, dt.date(2018, 10, 1), "5m") == []
    segments = period_cost(reg, dt.date(2018, 4, 1), dt.date(2018, 7, 31))
    assert [(s.start, s.end, s.decision) for s in segments] == [
        (dt.date(2018, 4, 1), dt.date(2018, 5, 31), None),
        (dt.date(2018, 6, 1), dt.date(2018, 7, 31), 3)]
    # each segment is costed (and rounded per line) on its own: B runs on either way
    parts = [cost_of(opening(), BASIS, period=(s.start, s.end)).period_total for s in segments]
    assert [s.cost for s in segments] == parts
    assert parts[0] + parts[1] - cost_of(opening(), BASIS, period=(
        dt.date(2018, 4, 1), dt.date(2018, 7, 31))).period_total in (-2, -1, 0, 1, 2)


# --- position control ---------------------------------------------------------------------


def test_a_decision_over_a_team_limit_is_refused_unless_overridden(tmp_path):
    reg = new_register(tmp_path / "r.db")
    reg.set_limit(Limit("ICDS", 2018, fte=3, headcount=3))
    before = list(reg.db.iterdump())
    with pytest.raises(LimitError) as caught:
        record(reg, [ChangeFte("A", Decimal("2.5"))], dt.date(2018, 5, 1))
    assert caught.value.breaches == [
        "team 'ICDS': fte limit 3 in 2018/19, fte 3.5: over by 0.5",
        "team 'ICDS': headcount limit 3 in 2018/19, headcount 4: over by 1"]
    assert list(reg.db.iterdump()) == before
    entry = record(reg, [ChangeFte("A", Decimal("2.5"))], dt.date(2018, 5, 1),
                   override="agreed by the director")
    assert entry.override == "agreed by the director"
    checks = limit_checks(reg, dt.date(2018, 6, 1))
    assert [str(b) for b in checks[0].breaches] == caught.value.breaches
    # B (1 fte) has ended by October: back within the limit
    assert limit_checks(reg, dt.date(2018, 10, 1))[0].breaches == ()


# --- integrity -----------------------------------------------------------------------------


def test_a_register_from_a_newer_version_or_another_file_is_a_clear_error(tmp_path):
    path = tmp_path / "r.db"
    new_register(path).close()
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {store.SCHEMA_VERSION + 1}")
    with pytest.raises(RegisterError, match="newer version of establishment"):
        Register.open(path)
    other = tmp_path / "other.db"
    other.write_text("not a database")
    with pytest.raises(RegisterError, match="not a register"):
        Register.open(other)
    with pytest.raises(RegisterError, match="no such register"):
        Register.open(tmp_path / "none.db")
    with pytest.raises(RegisterError, match="already exists"):
        Register.create(path, BASIS, opened_on=OPENED)


def test_a_busy_register_waits_then_says_so(tmp_path, monkeypatch):
    path = tmp_path / "r.db"
    new_register(path).close()
    monkeypatch.setattr(store, "BUSY_TIMEOUT", 0.2)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(RegisterBusy, match="busy"):
            record(Register.open(path), [ChangeFte("A", 1)], dt.date(2018, 5, 1))
    finally:
        holder.execute("ROLLBACK")


def test_the_file_itself_refuses_to_edit_or_delete_a_ledger_entry(tmp_path):
    reg = new_register(tmp_path / "r.db")
    record(reg, [ChangeFte("A", 3)], dt.date(2018, 6, 1))
    head = reg.verify()
    assert head == reg.head() and len(head) == 64
    with pytest.raises(sqlite3.DatabaseError, match="the ledger is append-only"):
        reg.db.execute("UPDATE entry SET note = 'edited' WHERE id = 1")
    with pytest.raises(sqlite3.DatabaseError, match="the ledger is append-only"):
        reg.db.execute("DELETE FROM entry WHERE id = 1")
    # every other way of changing the file: tests/test_register_integrity.py


WRITER = textwrap.dedent("""
    import datetime as dt, os, signal, sys
    from decimal import Decimal
    from establishment.operations.changes import ChangeFte
    from establishment.register import Register, store
    path, ref, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if len(sys.argv) > 4:  # die by SIGKILL at the n-th passing of a point of a write
        point, nth = sys.argv[4].split("@")
        passes = []
        def kill(name):
            if name == point:
                passes.append(name)
                if len(passes) == int(nth):
                    os.kill(os.getpid(), signal.SIGKILL)
        store.fault_hook = kill
    with Register.open(path) as reg:
        for n in range(count):
            reg.record([ChangeFte(ref, Decimal(n % 7 + 1) / 4)], effective=dt.date(2018, 5, 1),
                       approved=dt.date(2018, 5, 1), approved_by=ref, reference=f"{ref}{n}")
""")


def _writer(path: Path, ref: str, count: int, kill_at: str = "") -> subprocess.Popen:
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", WRITER, str(path), ref, str(count),
                             *([kill_at] if kill_at else [])],
                            env=environment, stderr=subprocess.PIPE, text=True)


def test_two_concurrent_writers_lose_no_decision(tmp_path):
    path = tmp_path / "r.db"
    new_register(path).close()
    writers = [_writer(path, "A", 200), _writer(path, "C", 200)]
    for writer in writers:
        _, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err
    with Register.open(path) as reg:
        entries = [e for e in reg.entries() if e.kind == "decision"]
        assert len(entries) == 400
        assert sorted(e.reference for e in entries) == sorted(
            [f"A{n}" for n in range(200)] + [f"C{n}" for n in range(200)])
        reg.verify()
        last = {ref: max((e for e in entries if e.approved_by == ref), key=lambda e: e.id)
                for ref in "AC"}
        fte = {p.reference: p.fte for p in reg.as_of(dt.date(2018, 5, 1)).posts}
        assert fte["A"] == last["A"].changes[0].fte and fte["C"] == last["C"].changes[0].fte


@pytest.mark.parametrize("point", ["before-entry", "after-entry", "after-snapshots",
                                   "before-commit"])
def test_a_writer_killed_mid_record_leaves_the_register_as_it_was(tmp_path, point):
    path = tmp_path / "r.db"
    new_register(path).close()
    writer = _writer(path, "A", 40, f"{point}@18")
    writer.communicate(timeout=120)
    assert writer.returncode == -9  # SIGKILL, part-way through its 18th decision
    with Register.open(path) as reg:
        reg.verify()
        entries = [e for e in reg.entries() if e.kind == "decision"]
        assert [e.reference for e in entries] == [f"A{n}" for n in range(17)]
        state = reg.as_of(dt.date(2018, 5, 1))
        assert [p.fte for p in state.posts if p.reference == "A"] == [Decimal(17 % 7) / 4]
        record(reg, [ChangeFte("A", 1)], dt.date(2018, 5, 2))
        assert len(reg.entries()) == 2 + 18
        reg.verify()


def test_budget_limits_compare_the_team_cost_with_its_temporary_funding_apart(tmp_path):
    reg = new_register(tmp_path / "r.db")
    reg.set_limit(Limit("C&P", 2018, budget=20000, temporary=5000))
    cost = cost_of(Structure("c", [opening().posts[2]]), BASIS).full_year  # C: Grade 4 scp 23
    [check] = limit_checks(reg, dt.date(2018, 6, 1))
    assert (check.budget.cost, check.budget.budget.permanent) == (cost, 15000)
    assert check.budget.shortfall == cost - 20000
    assert check.budget.shortfall_without_temporary == cost - 15000
    assert [str(b) for b in check.breaches] == [
        f"team 'C&P': budget limit £20,000 in 2018/19, full-year cost £{cost:,}: over by "
        f"£{cost - 20000:,}"]
    # a decision that makes the overspend worse is refused; one that reduces it is not
    with pytest.raises(LimitError, match="budget limit £20,000"):
        record(reg, [ChangeFte("C", 2)], dt.date(2018, 7, 1))
    record(reg, [ChangeFte("C", Decimal("0.5"))], dt.date(2018, 7, 1))
    assert limit_checks(reg, dt.date(2018, 8, 1))[0].breaches == ()


def test_a_register_locked_past_the_timeout_is_a_clear_error_on_the_command_line(
        tmp_path, monkeypatch, capsys):
    from establishment.cli.main import main

    path = tmp_path / "r.db"
    new_register(path).close()
    monkeypatch.setattr(store, "BUSY_TIMEOUT", 0.2)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        assert main(["register", "as-of", str(path), "2018-05-01"]) == 2
        assert "the register is busy" in capsys.readouterr().err
    finally:
        holder.execute("ROLLBACK")
