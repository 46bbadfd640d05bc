"""Organogram returns: banded on-costs, robust reading, conversion, tables and diffs."""

from __future__ import annotations

from decimal import Decimal

import pytest

import pay_scales
from pay_scales.errors import PayScaleError
from pay_scales.rules import OnCost, RateBand, parse_rule

D = Decimal


class TestBandedOnCost:
    """The optional ``bands`` form of an on-cost (PCSPS ASLC): additive to flat rates."""

    @pytest.fixture
    def civil(self):
        return pay_scales.load_employer("civil-service")

    @pytest.mark.parametrize(("salary", "cost", "band"), [
        # 2013/14: NI 13.8% above £7,696; ASLC bands 21,500 / 44,500 / 74,500 (EPN350)
        ("20000", 25038, "16.7% x £20,000 (band up to £21,500)"),
        ("21500", 26995, "16.7% x £21,500 (band up to £21,500)"),
        ("21501", 27448, "18.8% x £21,501 (band over £21,500 up to £44,500)"),
        ("48000", 64026, "21.8% x £48,000 (band over £44,500 up to £74,500)"),
        ("90000", 123228, "24.3% x £90,000 (band over £74,500)"),
    ])
    def test_pcsps_2013(self, civil, salary, cost, band):
        unit = civil.cost_of_salary(D(salary), 2013, rule="pcsps-2013")
        assert unit.cost == cost
        ni, pension = unit.components
        assert ni.formula == f"13.8% x (£{int(salary):,} - £7,696)"
        assert pension.formula == band
        assert pension.name == "PCSPS employer contribution (ASLC)"

    def test_whole_salary_at_its_band_rate_not_marginal(self, civil):
        unit = civil.cost_of_salary(D("90000"), 2013, rule="pcsps-2013")
        assert unit.components[1].amount == D("0.243") * 90000

    def test_2011_uses_2011_ni_from_the_employer_folder(self, civil):
        unit = civil.cost_of_salary(D("20000"), 2011, rule="pcsps-2011")
        assert unit.components[0].formula == "13.8% x (£20,000 - £7,072)"
        assert unit.cost == 25124  # 20,000 + 1,784.06 + 3,340
        assert unit.inferred  # 2011/12 bands are assumed to be the April 2010 ones

    def test_rule_is_for_its_year_only(self, civil):
        with pytest.raises(PayScaleError, match="is for pay year 2013/14 only, not 2011/12"):
            civil.cost_of_salary(D("20000"), 2011, rule="pcsps-2013")

    def test_flat_rate_rules_unchanged(self):
        rule = parse_rule("r", {"oncosts": [{"name": "pension", "rate": "0.222"}]}, "x")
        assert rule.oncosts[0] == OnCost("pension", D("0.222"))
        council = pay_scales.load_employer("nottinghamshire")
        assert council.unit_cost("Hay Band A", 34, 2018, rule="council-2018").cost == 40702

    def test_parse_bands(self):
        rule = parse_rule("r", {"oncosts": [{"name": "p", "bands": [
            {"up_to": "100", "rate": "0.1"}, {"rate": "0.2"}]}]}, "f.toml")
        assert rule.oncosts[0].bands == (RateBand(D("100"), D("0.1")), RateBand(None, D("0.2")))
        assert rule.oncosts[0].rate is None

    @pytest.mark.parametrize(("oncost", "message"), [
        ({"name": "p"}, "each oncost needs a name and a rate"),
        ({"name": "p", "bands": [{"up_to": 0.5, "rate": "0.1"}]}, "quoted decimals"),
        ({"name": "p", "bands": [{"rate": "0.1"}, {"up_to": "5", "rate": "0.2"}]},
         "bands must rise, with only the last open"),
        ({"name": "p", "bands": [{"up_to": "9", "rate": "0.1"}, {"up_to": "5", "rate": "0.2"}]},
         "bands must rise"),
        ({"name": "p", "rate": "0.1", "bands": [{"rate": "0.2"}]}, "either 'rate' or 'bands'"),
    ])
    def test_bad_bands(self, oncost, message):
        with pytest.raises(PayScaleError, match=message) as err:
            parse_rule("r", {"oncosts": [oncost]}, "f.toml")
        assert str(err.value).startswith("f.toml: rule 'r':")

    def test_salary_above_a_closed_top_band(self):
        rule = parse_rule("r", {"ni": False, "oncosts": [{"name": "p", "bands": [
            {"up_to": "100", "rate": "0.1"}]}]}, "f")
        with pytest.raises(PayScaleError, match="above the top band"):
            rule.oncosts[0].component(D("101"), "r")
