"""UK government organogram returns: read, check, convert, cost, tabulate and diff.

>>> from establishment.organogram import import_organogram
>>> imported = import_organogram("ne-2011-09-30-senior.csv", "ne-2011-09-30-junior.csv",
...                              strict=False)                     # doctest: +SKIP
>>> imported.report.summary()                     # every row accounted for  # doctest: +SKIP
>>> imported.structure.cost(imported.basis)       # its pay year, rule pcsps # doctest: +SKIP

See :mod:`establishment.organogram.returns` for each row's fate (loaded, excluded, skipped) and
what is a problem and what is only noted; docs/organograms.md for the whole account.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from attrs import frozen

from establishment.errors import EstablishmentError
from establishment.io.toml_file import write_structure
from establishment.model.pay_basis import PayBasis
from establishment.model.structure import Structure
from establishment.organogram.convert import (
    EMPLOYER,
    basis_for,
    basis_line,
    return_pay_year,
    to_structure,
)
from establishment.organogram.returns import (
    ImportReport,
    JuniorPosts,
    OrganogramReturn,
    ReturnLoadError,
    RowFate,
    SeniorPost,
    junior_key,
    junior_reference,
    read_return,
    return_date,
)


@frozen
class Imported:
    """A converted return: the structure, its default basis, the return and its report."""

    structure: Structure
    basis: PayBasis
    organogram: OrganogramReturn

    @property
    def report(self) -> ImportReport:
        return self.organogram.report


def import_organogram(senior: str | Path, junior: str | Path, *, strict: bool = True,
                      output: str | Path | None = None, date: dt.date | None = None,
                      range_point: str = "midpoint", employer: str = EMPLOYER,
                      pay_year: int | None = None, rule: str | None = None,
                      progress: Callable[[int], None] | None = None) -> Imported:
    """Read a return (senior and junior CSVs) into a structure; write it (TOML, atomic, with
    its ``[basis]``) when ``output`` is given. ``strict=False`` skips bad rows and reports
    them (``Imported.report``) instead of failing. ``output`` must be ``.toml``: only TOML
    holds the ``[basis]`` (pay range point, employer, pay year) that costs the posts right, and
    TOML text under another extension would be misread by every other command."""
    if output is not None and Path(output).suffix.lower() != ".toml":
        raise EstablishmentError(f"cannot write {str(output)!r}: an imported return is written as "
                                 f"a .toml structure file (it keeps the pay basis); got "
                                 f"{Path(output).suffix or 'no extension'!r}")
    organogram = read_return(senior, junior, strict=strict, date=date, progress=progress)
    structure = to_structure(organogram)
    basis = basis_for(organogram, employer=employer, range_point=range_point,
                      pay_year=pay_year, rule=rule)
    if output is not None:
        write_structure(structure, output, basis)
    return Imported(structure, basis, organogram)


__all__ = [
    "EMPLOYER", "ImportReport", "Imported", "JuniorPosts", "OrganogramReturn", "ReturnLoadError",
    "RowFate", "SeniorPost", "basis_for", "basis_line", "import_organogram", "junior_key",
    "junior_reference", "read_return", "return_date", "return_pay_year", "to_structure",
]
