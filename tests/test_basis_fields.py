"""The basis is one value everywhere (issue 21): the fields that change a figure are one list,
derived from PayBasis itself, and every writer and the basis line go through it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest
from attrs import frozen

from establishment import Post, Structure
from establishment.io import load_structure_file, write_structure
from establishment.model.pay_basis import (
    BASIS_FIELDS,
    BASIS_PHRASES,
    PayBasis,
    figure_fields,
)

BASE = PayBasis("nottinghamshire", 2018, rule="council-2018")
# a value other than the default for every field that changes a figure: a field added to
# PayBasis without one here fails test_every_field_has_a_sample
SAMPLES = {
    "employer": "nhs-agenda-for-change",
    "pay_year": 2019,
    "point": "top",
    "rule": "employer-2019",
    "rates_on": dt.date(2019, 1, 12),
    "costed_rates": False,
    "range_point": "floor",
    "whole_pay_bill": True,
    "round_to": "penny",
    "ni_basis": "person",
}
STRUCTURE = Structure("Team", [Post("Officer", Decimal(1), "Hay Band A", 34, team="T")])


def test_the_list_is_derived_from_the_record():
    assert BASIS_FIELDS == tuple(f.name for f in attrs.fields(PayBasis)
                                 if f.name not in ("label", "pay_year_today"))
    assert {"employer", "pay_year", "rule", "point", "round_to", "ni_basis",
            "whole_pay_bill"} <= set(BASIS_FIELDS)


def test_every_field_has_a_sample_and_a_phrase():
    assert set(SAMPLES) == set(BASIS_FIELDS)
    assert set(BASIS_PHRASES) == set(BASIS_FIELDS)


@pytest.mark.parametrize("name", BASIS_FIELDS)
def test_write_structure_keeps_every_field(tmp_path, name):
    basis = attrs.evolve(BASE, **{name: SAMPLES[name]})
    if name == "rates_on":
        basis = attrs.evolve(basis, pay_year=2018, rates_on=dt.date(2019, 1, 12))
    path = tmp_path / "s.toml"
    write_structure(STRUCTURE, path, basis)
    assert load_structure_file(path).basis.values() == basis.values()
    assert getattr(load_structure_file(path).basis, name) == getattr(basis, name)


def test_values_round_trip_through_text():
    basis = attrs.evolve(BASE, rates_on=dt.date(2019, 1, 12), round_to="penny",
                         ni_basis="person", whole_pay_bill=True)
    stored = {k: (v.isoformat() if isinstance(v, dt.date) else v)
              for k, v in basis.values().items()}
    assert PayBasis.from_values(stored) == basis


def test_the_basis_line_names_each_field_that_is_set():
    plain = BASE.describe()
    for name, said in (("round_to", "rounded to the penny"), ("ni_basis", "NI per person"),
                       ("whole_pay_bill", "the whole pay bill (levy allowance applied)"),
                       ("costed_rates", "published costed rates not used")):
        line = attrs.evolve(BASE, **{name: SAMPLES[name]}).describe()
        assert said in line and said not in plain
    assert "rates on 2019-01-12" in attrs.evolve(BASE, rates_on=dt.date(2019, 1, 12)).describe()


def test_a_new_field_reaches_the_writer_and_the_basis_line(tmp_path, monkeypatch):
    """A field added to the basis (a pay-award assumption, say) is written by write_structure
    and must have a phrase in the basis line: no consumer keeps its own list."""

    @frozen
    class WithAward(PayBasis):
        award: str | None = None

    assert figure_fields(WithAward) == (*BASIS_FIELDS, "award")
    basis = WithAward("nottinghamshire", 2018, rule="council-2018", award="2%")
    path = tmp_path / "s.toml"
    write_structure(STRUCTURE, path, basis)
    assert 'award = "2%"' in path.read_text()
    with pytest.raises(KeyError, match="award"):
        basis.describe()  # no phrase for it yet: the basis line cannot leave it out silently
    monkeypatch.setitem(BASIS_PHRASES, "award", lambda b, e, r: f"pay award {b.award}")
    assert basis.describe().endswith("; pay award 2%")
