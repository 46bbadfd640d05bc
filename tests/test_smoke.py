"""The 2018 decision end to end: the README's quick start in one test."""

from decimal import Decimal

import scenarios


def test_2018_scenario_reproduces_the_published_total():
    result = scenarios.run_scenario("2018-short-breaks")
    assert result.primary.full_year == Decimal(284937)
    assert result.ok
