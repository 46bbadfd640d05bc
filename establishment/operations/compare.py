"""Comparing options side by side: several structures, or change lists on one base.

>>> import establishment
>>> comparison = establishment.compare(base, {"Option A": changes_a, "Option B": structure_b},
...                                    basis)                                # doctest: +SKIP
>>> print(establishment.render(establishment.options_table(comparison)))  # doctest: +SKIP

Every option is costed on the same basis (and period), and shown with its fte, full-year and
in-period cost, its change against the base and what each funding source pays (pennies
reconcile: each row's sources add up to its cost). A vacancy factor, when given, is its own
column, never netted into a cost.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import attrs

from establishment.engine.costing import Costing, cost
from establishment.errors import ValidationError
from establishment.model.pay_basis import PayBasis, resolve_basis
from establishment.model.structure import Structure
from establishment.model.vacancy import VacancyFactor, vacancy_lines
from establishment.operations.changes import Change, apply_changes
from establishment.operations.diff import Diff


@attrs.define(frozen=True, eq=False)
class OptionResult:
    """One option of a comparison: its structure, its costing and its change against the
    base."""

    name: str
    structure: Structure
    costing: Costing
    full_year_change: Decimal
    period_change: Decimal | None
    vacancy: tuple[tuple[str, Decimal], ...] = ()

    @property
    def fte(self) -> Decimal:
        return self.costing.fte

    @property
    def full_year(self) -> Decimal:
        return self.costing.full_year

    @property
    def period(self) -> Decimal | None:
        return self.costing.period_total if self.costing.period is not None else None

    def by_funding(self) -> dict[str, Decimal]:
        """Full-year cost per funding source (pennies add up to ``full_year``)."""
        return dict(self.costing.by_funding()["full_year"])


@attrs.define(frozen=True, eq=False)
class Comparison:
    """The base and each option, costed on one basis; the first is the base."""

    options: tuple[OptionResult, ...]
    basis: PayBasis
    period: tuple[dt.date, dt.date] | None = None
    title: str = "Options compared"

    @property
    def base(self) -> OptionResult:
        return self.options[0]

    def __getitem__(self, name: str) -> OptionResult:
        for option in self.options:
            if option.name == name:
                return option
        raise KeyError(name)

    @property
    def cheapest(self) -> OptionResult:
        """The option with the lowest full-year cost (the first, on a tie)."""
        return min(self.options, key=lambda o: o.full_year)


def _structure(base: Structure, name: str, option: Any) -> Structure:
    if isinstance(option, Structure):
        return option
    if isinstance(option, Diff):
        return apply_changes(base, option)
    if isinstance(option, Iterable) and not isinstance(option, (str, bytes, Mapping)):
        changes = list(option)
        if all(isinstance(c, Change) for c in changes):
            return apply_changes(base, changes)
    raise ValidationError(f"option {name!r}", "a Structure, a list of changes or a Diff",
                          type(option).__name__)


def compare(base: Structure, options: Mapping[str, Any] | Iterable[tuple[str, Any]],
            basis: PayBasis | None = None, *, period: tuple[dt.date, dt.date] | None = None,
            base_name: str = "Base", vacancy: VacancyFactor | None = None,
            title: str = "Options compared") -> Comparison:
    """Cost ``base`` and every option (a Structure, a list of changes applied to ``base``, or
    a Diff) on ``basis``; each option's change is against the base. A change list that does
    not fit the base raises :class:`~establishment.operations.changes.ChangeError` naming the
    option."""
    from establishment.operations.changes import ChangeError

    basis = resolve_basis(basis)
    items = list(options.items()) if isinstance(options, Mapping) else list(options)
    names = [base_name] + [name for name, _ in items]
    if len(set(names)) != len(names):
        raise ValidationError("options", "distinct names", names)
    structures = [base]
    for name, option in items:
        try:
            structures.append(_structure(base, name, option))
        except ChangeError as err:
            raise ChangeError([(n, f"option {name!r}: {m}") for n, m in err.numbered]) from None
    costings = [cost(s, basis, period=period) for s in structures]
    results = []
    for name, structure, costing in zip(names, structures, costings):
        lines = tuple(vacancy_lines(costing, [vacancy])) if vacancy else ()
        period_change = (costing.period_total - costings[0].period_total
                         if period is not None else None)
        results.append(OptionResult(name, structure, costing,
                                    costing.full_year - costings[0].full_year, period_change,
                                    lines))
    return Comparison(tuple(results), basis, period, title)
