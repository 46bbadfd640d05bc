"""The register keeps the whole basis: every field that changes a figure, per pay year, carried
by ``FILE.db@DATE`` (one list, :data:`~establishment.model.pay_basis.BASIS_FIELDS`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs

from establishment import PayBasis, Post, Structure
from establishment.model.pay_basis import BASIS_FIELDS
from establishment.register import Register
from establishment.register.queries import register_source
from tests.cli_run import run

# a value other than the default for every field of a basis: a field added to PayBasis and not
# given one here fails the first test, so nobody adds a field the register would not keep
EXAMPLES = {"employer": "nottinghamshire", "pay_year": 2019, "point": "top",
            "rule": "council-2018", "rates_on": dt.date(2020, 1, 6), "costed_rates": False,
            "range_point": "ceiling", "whole_pay_bill": True, "round_to": "penny",
            "ni_basis": "person",
            "awards": PayBasis(awards=("2027/28=2.5%",)).awards}


def test_the_basis_fields_are_every_field_of_pay_basis_but_the_presentation_ones():
    names = {a.name for a in attrs.fields(PayBasis)}
    assert set(BASIS_FIELDS) == names - {"label", "pay_year_today"}  # say how, not what
    assert set(EXAMPLES) == set(BASIS_FIELDS), "give the new basis field an example value"
    default = PayBasis()
    assert all(EXAMPLES[name] != getattr(default, name) for name in EXAMPLES)


def test_every_basis_field_is_stored_per_pay_year_and_carried_by_file_at_date(tmp_path):
    basis = PayBasis(**EXAMPLES)
    opening_basis = PayBasis(employer="nottinghamshire", pay_year=2018, rule="njc")
    path = tmp_path / "r.db"
    with Register.create(path, opening_basis, opened_on=dt.date(2018, 4, 1)) as reg:
        reg.set_basis(basis)
    with Register.open(path) as reg:
        assert reg.bases() == {2018: opening_basis, 2019: basis}
    structure, carried = register_source(f"{path}@2019-06-01")
    assert carried == basis
    for name in BASIS_FIELDS:
        assert getattr(carried, name) == EXAMPLES[name], name


PENNY = """name = "parish"
[basis]
employer = "nottinghamshire"
pay_year = 2018
rule = "njc"
round_to = "penny"
ni_basis = "person"
whole_pay_bill = true

[[post]]
reference = "C"
title = "Clerk"
fte = 1
grade = "Hay Band A"
scp = 34
team = "Parish"
"""


def test_a_register_costs_on_the_basis_of_the_file_it_came_from(tmp_path, capsys):
    source = tmp_path / "parish.toml"
    source.write_text(PENNY)
    path = tmp_path / "parish.db"
    code, out, err = run(capsys, "register", "init", str(path), "--employer",
                         "nottinghamshire", "--pay-year", "2018/19", "--from", str(source),
                         "--on", "2018-04-01")
    assert code == 0, err
    assert "NI per person, rounded to the penny; the whole pay bill" in out
    with Register.open(path) as reg:
        assert reg.bases()[2018] == PayBasis(employer="nottinghamshire", pay_year=2018,
                                             rule="njc", round_to="penny", ni_basis="person",
                                             whole_pay_bill=True)
    code, from_file, _ = run(capsys, "cost", str(source), "--format", "csv")
    assert code == 0
    code, from_register, _ = run(capsys, "cost", f"{path}@2018-06-01", "--format", "csv")
    assert code == 0
    # the same lines and total, to the penny (the levy allowance line included)
    assert from_register.splitlines()[1:] == from_file.splitlines()[1:]
    assert "£40,665.65" in from_register or "40665.65" in from_register


def test_register_basis_stores_the_options_given(tmp_path, capsys):
    path = tmp_path / "r.db"
    Register.create(path, PayBasis(employer="nottinghamshire", pay_year=2018, rule="njc"),
                    opening=Structure("o", [Post("Clerk", 1, "Grade 4", 23, team="T")]),
                    opened_on=dt.date(2018, 4, 1)).close()
    code, out, err = run(capsys, "register", "basis", str(path), "--employer",
                         "nottinghamshire", "--pay-year", "2019/20", "--round-to", "penny",
                         "--ni-basis", "person", "--whole-pay-bill", "--range-point", "floor")
    assert code == 0, err
    with Register.open(Path(path)) as reg:
        assert reg.bases()[2019] == PayBasis(
            employer="nottinghamshire", pay_year=2019, rule=reg.bases()[2018].rule,
            round_to="penny", ni_basis="person", whole_pay_bill=True, range_point="floor")


def test_register_tables_show_pence_under_a_penny_basis(tmp_path, capsys):
    """``register cost`` and ``register expiring`` print at the basis's unit: pence shown as
    pence (the expiring table once read the engine's pence as pounds, 100 times over)."""
    source = tmp_path / "parish.toml"
    source.write_text(PENNY.replace('team = "Parish"', 'team = "Parish"\nend = 2019-03-31'))
    path = tmp_path / "parish.db"
    code, _, err = run(capsys, "register", "init", str(path), "--employer", "nottinghamshire",
                       "--pay-year", "2018/19", "--from", str(source), "--on", "2018-04-01")
    assert code == 0, err
    code, _, err = run(capsys, "register", "basis", str(path), "--employer", "nottinghamshire",
                       "--pay-year", "2019/20", "--rule", "njc", "--round-to", "penny",
                       "--ni-basis", "person")
    assert code == 0, err
    code, out, err = run(capsys, "register", "cost", str(path), "--from", "2018-04-01",
                         "--to", "2019-03-31")
    assert code == 0, err
    assert "£40,665.65" in out  # a full year of the clerk, to the penny, not £40,666
    code, out, err = run(capsys, "register", "expiring", str(path), "--on", "2018-10-01",
                         "--within", "6m", "--format", "csv")
    assert code == 0, err
    permanent = out.splitlines()[1].split(",")[-1]
    assert permanent == "41473.34", out  # `cost` of Hay Band A scp 28 on the 2019/20 basis
