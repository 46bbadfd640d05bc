"""Registers written by an earlier version open and are migrated: tested on a file made by the
code of the time (tests/fixtures/register/v1.db, made by make_v1.sh beside it)."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from establishment import PayBasis
from establishment.operations.changes import ChangeFte
from establishment.register import Limit, Register, log, period_cost, store
from tests.cli_run import run

V1 = Path(__file__).parent / "fixtures" / "register" / "v1.db"


@pytest.fixture
def v1(tmp_path) -> Path:
    path = tmp_path / "v1.db"
    shutil.copyfile(V1, path)  # the fixture itself is never migrated
    return path


def test_the_fixture_is_a_schema_1_register():
    with sqlite3.connect(f"file:{V1}?mode=ro", uri=True) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 1
        assert [r[1] for r in db.execute("PRAGMA table_info(basis)")] == [
            "pay_year", "employer", "point", "rule", "costed_rates", "range_point", "rates_on"]


def test_a_schema_1_register_opens_migrated_with_its_figures_unchanged(v1, capsys):
    with Register.open(v1) as reg:
        assert reg.db.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
        # schema 1 stored no round_to, ni_basis or whole_pay_bill: the rule's, no levy allowance
        assert reg.bases() == {year: PayBasis(employer="nottinghamshire", pay_year=year,
                                              point="actual", rule="njc")
                               for year in (2018, 2019)}
        assert reg.limits() == [Limit("Integrated Children's Disability Service", 2018, fte=20)]
        assert [(line.entry.id, line.status) for line in log(reg)][:5] == [
            (1, "in force"), (2, "in force"), (3, "in force"), (4, "revoked by 5"),
            (5, "revokes 4")]
        assert [(p.reference, p.fte) for p in reg.as_of(dt.date(2018, 10, 1)).posts] == [
            ("RO", 3), ("AO", 2), ("SO", 2), ("CO", 1), ("CA", Decimal("1.5")), ("TM", 1)]
        # what the code of the time answered (make_v1.sh prints it)
        segments = period_cost(reg, dt.date(2018, 4, 1), dt.date(2019, 3, 31))
        assert [(s.start, s.decision, s.cost) for s in segments] == [
            (dt.date(2018, 4, 1), None, 24340), (dt.date(2018, 8, 1), 3, 24340),
            (dt.date(2018, 9, 1), 1, 26896), (dt.date(2018, 10, 1), 2, 186481)]
        reg.verify(deep=True)
        reg.record([ChangeFte("TM", 2)], effective=dt.date(2018, 12, 1),
                   approved=dt.date(2018, 11, 20), approved_by="Director", reference="DEC-20")
        reg.verify(deep=True)
    code, out, err = run(capsys, "register", "cost", str(v1), "--from", "2018-04-01", "--to",
                         "2018-11-30", "--format", "csv")
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "Total,,,,138079"  # as the code of the time gives


def test_a_migration_is_all_or_nothing(v1, monkeypatch):
    before = v1.read_bytes()

    def broken(db):
        raise RuntimeError("stopped part-way")

    monkeypatch.setitem(store.MIGRATIONS, max(store.MIGRATIONS), broken)
    with pytest.raises(RuntimeError):
        Register.open(v1)
    with sqlite3.connect(v1) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 1
    monkeypatch.undo()
    with Register.open(v1) as reg:
        assert len(reg.bases()) == 2
    assert v1.read_bytes() != before
