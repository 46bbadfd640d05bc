"""Dated pay data with sources: pay spines, grades, employer NI, levy, on-cost rules.

>>> import pay_scales
>>> council = pay_scales.load_employer("nottinghamshire")
>>> cost = council.unit_cost("Hay Band A", 34, 2018, rule="council-2018")
>>> cost.cost
Decimal('40702')

Every figure carries its provenance (``published``, ``derived``, ``inferred``); a date with no
data is a :class:`PayScaleError` naming the years that exist.
"""

from pay_scales.dates import (
    days_in_pay_year,
    parse_pay_year,
    pay_year_end,
    pay_year_label,
    pay_year_of,
    pay_year_start,
)
from pay_scales.employer import POINTS, CostedRate, Employer, bundled_employers, load_employer
from pay_scales.errors import PayScaleError
from pay_scales.grades import GradeRange, Grades
from pay_scales.national_insurance import EmployerNI, NIPeriod, load_employer_ni
from pay_scales.rounding import round_pounds, to_pence
from pay_scales.rules import Component, OnCost, OnCostRule, UnitCost
from pay_scales.sources import Provenance
from pay_scales.spine import Spine, SpinePoint, load_spine

__all__ = [
    "POINTS", "Component", "CostedRate", "Employer", "EmployerNI", "GradeRange", "Grades",
    "NIPeriod", "OnCost", "OnCostRule", "PayScaleError", "Provenance", "Spine", "SpinePoint",
    "UnitCost", "bundled_employers", "days_in_pay_year", "load_employer", "load_employer_ni",
    "load_spine", "pay_year_end", "pay_year_label", "pay_year_of", "pay_year_start",
    "parse_pay_year", "round_pounds", "to_pence",
]
