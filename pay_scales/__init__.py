"""Dated pay data with sources: pay spines, grades, employer NI, levy, on-cost rules.

>>> import pay_scales
>>> council = pay_scales.load_employer("nottinghamshire")
>>> cost = council.unit_cost("Hay Band A", 34, 2018, rule="council-2018")
>>> cost.cost
Decimal('40702')

Every figure carries its provenance (``published``, ``derived``, ``inferred``); a date with no
data is a :class:`PayScaleError` naming the years that exist.
"""

from __future__ import annotations

import importlib
from typing import Any

# name -> its module, imported on first use (PEP 562): the command line reads a pay year or
# prints its help without loading every employer's rules.
EXPORTS: dict[str, str] = {
    # pay_scales.awards
    "Award": "pay_scales.awards",
    "parse_award": "pay_scales.awards",
    "parse_awards": "pay_scales.awards",
    # pay_scales.dates
    "days_in_pay_year": "pay_scales.dates",
    "parse_pay_year": "pay_scales.dates",
    "pay_year_end": "pay_scales.dates",
    "pay_year_label": "pay_scales.dates",
    "pay_year_of": "pay_scales.dates",
    "pay_year_start": "pay_scales.dates",
    # pay_scales.employer
    "POINTS": "pay_scales.employer",
    "CostedRate": "pay_scales.employer",
    "Employer": "pay_scales.employer",
    "bundled_employers": "pay_scales.employer",
    "load_employer": "pay_scales.employer",
    # pay_scales.errors
    "PayScaleError": "pay_scales.errors",
    # pay_scales.grades
    "GradeRange": "pay_scales.grades",
    "Grades": "pay_scales.grades",
    # pay_scales.national_insurance
    "EmployerNI": "pay_scales.national_insurance",
    "NIPeriod": "pay_scales.national_insurance",
    "load_employer_ni": "pay_scales.national_insurance",
    # pay_scales.rounding
    "round_pounds": "pay_scales.rounding",
    "round_to_unit": "pay_scales.rounding",
    "to_pence": "pay_scales.rounding",
    # pay_scales.rules
    "Component": "pay_scales.rules",
    "OnCost": "pay_scales.rules",
    "OnCostRule": "pay_scales.rules",
    "UnitCost": "pay_scales.rules",
    # pay_scales.sources
    "Provenance": "pay_scales.sources",
    # pay_scales.spine
    "Spine": "pay_scales.spine",
    "SpinePoint": "pay_scales.spine",
    "load_spine": "pay_scales.spine",
}


def __getattr__(name: str) -> Any:
    module = EXPORTS.get(name)
    if module is None:
        try:  # a submodule not yet imported: pay_scales.rules, pay_scales.spine...
            return importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as err:
            if err.name != f"{__name__}.{name}":
                raise
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *EXPORTS})


__all__ = [
    "POINTS", "Component", "CostedRate", "Employer", "EmployerNI", "GradeRange", "Grades",
    "NIPeriod", "OnCost", "OnCostRule", "PayScaleError", "Provenance", "Spine", "SpinePoint",
    "UnitCost", "bundled_employers", "days_in_pay_year", "load_employer", "load_employer_ni",
    "load_spine", "pay_year_end", "pay_year_label", "pay_year_of", "pay_year_start",
    "parse_pay_year", "round_pounds", "round_to_unit", "to_pence",
]
