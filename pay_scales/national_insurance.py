"""Employer (secondary Class 1) National Insurance by tax year.

A tax year starts on 6 April. Where a tax year has more than one rate period (2022/23: 15.05%
to 5 November, 13.8% after), :func:`EmployerNI.for_tax_year` returns every period and the costing
weights them by days, so a full-year cost is honest about the change.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from attrs import frozen

from pay_scales.dates import tax_year_end, tax_year_start
from pay_scales.errors import PayScaleError
from pay_scales.sources import Provenance, data_dir, read_csv_rows


@frozen
class NIPeriod:
    """One rate period of employer NI: from ``effective_from`` to ``until`` inclusive."""

    tax_year: int
    effective_from: dt.date
    until: dt.date
    rate: Decimal
    threshold_annual: Decimal
    threshold_monthly: Decimal | None
    threshold_weekly: Decimal | None
    provenance: Provenance

    @property
    def days(self) -> int:
        return (self.until - self.effective_from).days + 1


@frozen
class EmployerNI:
    """Every employer NI period in the data, by tax year."""

    periods: tuple[NIPeriod, ...]

    @property
    def tax_years(self) -> list[int]:
        return sorted({p.tax_year for p in self.periods})

    def for_tax_year(self, tax_year: int) -> tuple[NIPeriod, ...]:
        """The rate periods of ``tax_year`` (6 April to 5 April), in date order."""
        found = tuple(p for p in self.periods if p.tax_year == tax_year)
        if not found:
            years = self.tax_years
            nearest = sorted(years, key=lambda y: abs(y - tax_year))[:2]
            raise PayScaleError(
                f"no employer NI data for tax year {tax_year}/{(tax_year + 1) % 100:02d}; "
                f"data cover {years[0]}/{(years[0] + 1) % 100:02d} to "
                f"{years[-1]}/{(years[-1] + 1) % 100:02d} (nearest: "
                f"{', '.join(f'{y}/{(y + 1) % 100:02d}' for y in sorted(nearest))})",
                field="tax_year", expected=f"{years[0]}-{years[-1]}", found=tax_year)
        return found


def _money(text: str) -> Decimal | None:
    return Decimal(text) if text else None


def load_employer_ni(path: Path | None = None) -> EmployerNI:
    """Read ``employer_ni.csv``; a tax year's rows are cut into periods by ``effective_from``."""
    path = path or data_dir() / "employer_ni.csv"
    rows = read_csv_rows(path, ("tax_year_start", "secondary_threshold_annual", "rate",
                                "source", "effective_from", "basis"))
    parsed = []
    for line, row in rows:
        try:
            year = dt.date.fromisoformat(row["tax_year_start"]).year
            start = dt.date.fromisoformat(row["effective_from"] or row["tax_year_start"])
            parsed.append((year, start, row, line))
        except ValueError as err:
            raise PayScaleError(f"bad date: {err}", source=f"{path}:{line}") from err
    parsed.sort(key=lambda item: item[1])
    periods = []
    for index, (year, start, row, line) in enumerate(parsed):
        following = [s for (y, s, _, _) in parsed[index + 1:] if y == year]
        until = following[0] - dt.timedelta(days=1) if following else tax_year_end(year)
        if start < tax_year_start(year) or start > tax_year_end(year):
            raise PayScaleError(f"effective_from {start} is outside tax year {year}",
                                source=f"{path}:{line}", field="effective_from")
        periods.append(NIPeriod(
            year, start, until, Decimal(row["rate"]), Decimal(row["secondary_threshold_annual"]),
            _money(row.get("secondary_threshold_monthly", "")),
            _money(row.get("secondary_threshold_weekly", "")),
            Provenance(path.name, row["basis"], row["source"])))
    return EmployerNI(tuple(periods))


CONTRACTING_OUT_ENDED = 2016  # the first tax year with no contracted-out rebate (6 April 2016)


@frozen
class ContractedOutRebate:
    """The employer's contracted-out rebate of one tax year (salary-related schemes such as the
    LGPS and the PCSPS, until 5 April 2016): ``rate`` off employer NI on band earnings from
    ``band_from`` (the lower earnings limit) to ``band_to`` (the upper accrual point; before
    2009/10 the upper earnings limit), annual figures."""

    tax_year: int
    rate: Decimal
    band_from: Decimal
    band_to: Decimal
    provenance: Provenance


def load_contracted_out_rebates(path: Path | None = None) -> dict[int, ContractedOutRebate]:
    """Read ``contracted_out_rebate.csv``: one row per tax year, with its source."""
    path = path or data_dir() / "contracted_out_rebate.csv"
    found: dict[int, ContractedOutRebate] = {}
    for line, row in read_csv_rows(path, ("tax_year_start", "rate", "band_from_annual",
                                          "band_to_annual", "basis", "source")):
        try:
            year = dt.date.fromisoformat(row["tax_year_start"]).year
            found[year] = ContractedOutRebate(
                year, Decimal(row["rate"]), Decimal(row["band_from_annual"]),
                Decimal(row["band_to_annual"]), Provenance(path.name, row["basis"],
                                                           row["source"]))
        except (ValueError, ArithmeticError) as err:
            raise PayScaleError(f"bad rebate row: {err}", source=f"{path}:{line}") from err
    return found


def rebate_for(tax_year: int, rebates: dict[int, ContractedOutRebate]
               ) -> ContractedOutRebate | None:
    """The contracted-out rebate of ``tax_year``: None from 2016/17 (contracting out ended);
    a year before that without data is an error naming the years covered."""
    if tax_year >= CONTRACTING_OUT_ENDED:
        return None
    if tax_year not in rebates:
        years = sorted(rebates)
        raise PayScaleError(
            f"no contracted-out rebate data for tax year {tax_year}/{(tax_year + 1) % 100:02d} "
            f"(data cover {years[0]}/{(years[0] + 1) % 100:02d} to "
            f"{years[-1]}/{(years[-1] + 1) % 100:02d}); give the rule ni_contracted_out = false "
            f"to cost at the not-contracted-out rate", field="ni_contracted_out", found=tax_year)
    return rebates[tax_year]
