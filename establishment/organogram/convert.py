"""A return as a structure (the library's own model), with the pay basis it is costed on.

Senior posts keep their reference, grade, title, unit (as ``team``), fte and reports-to; their
published pay band (``Actual Pay Floor``/``Ceiling``) is the post's ``salary_min``/``salary_max``.
A post whose pay is not disclosed (``N/D``, blank...) or none (``0``, ``N/A``) is kept with
``unpriced`` set (``"not disclosed"``/``"none"``): counted in fte, not priced, and counted
apart in every table: the library never invents a salary. A job share is one post (its fte
the sum of its rows', its people in the notes). Junior rows become posts with their fte,
grade and pay range, reporting to their senior post, under a reference built from unit,
reporting post, grade and title (:func:`~establishment.organogram.returns.junior_reference`).

The pay year: a return states the establishment on its date (31 March or 30 September); it is
costed by default in the pay year that date falls in (31 March 2016 is in 2015/16, 30 September
2016 in 2016/17), with the civil-service employer's one rule (``pcsps``), whose rates and bands
are dated data: the figures in force in that year. ``pay_year`` and ``rule`` override; a year
the data do not cover is an error naming the years they do.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pay_scales
from establishment.errors import EstablishmentError
from establishment.model.pay_basis import PayBasis
from establishment.model.post import Post
from establishment.model.structure import Structure
from establishment.organogram.returns import OrganogramReturn

EMPLOYER = "civil-service"
UNPRICED_NOTE = {"not disclosed": "pay not disclosed in the return: not priced",
                 "none": "no pay in the return (0 or N/A): not priced"}


def _pay(state: str, low: object, high: object) -> dict:
    if state == "given":
        return {"salary_min": low, "salary_max": high}
    return {"unpriced": state}


def _notes(state: str, lines: tuple[int, ...]) -> str:
    notes = [UNPRICED_NOTE[state]] if state in UNPRICED_NOTE else []
    if len(lines) > 1:
        notes.append(f"job share: {len(lines)} people (lines {', '.join(map(str, lines))})")
    return "; ".join(notes)


def return_pay_year(day: dt.date) -> int:
    """The pay year a return dated ``day`` falls in (1 April to 31 March): its default."""
    return pay_scales.pay_year_of(day)


def basis_for(organogram: OrganogramReturn, *, employer: str = EMPLOYER,
              range_point: str = "midpoint", pay_year: int | None = None,
              rule: str | None = None) -> PayBasis:
    """The basis a return is costed on: by default the pay year of its date and the
    employer's default rule (one rule, dated data). A year the rule has no data for is an
    :class:`EstablishmentError` naming the years it covers, before anything is written."""
    year = pay_year if pay_year is not None else return_pay_year(organogram.date)
    basis = PayBasis(employer=employer, pay_year=year, rule=rule, range_point=range_point,
                     label=f"{organogram.organisation} {organogram.date.isoformat()}")
    the_rule = basis.load_employer().rule(rule)
    if the_rule.pay_years and not the_rule.pay_years[0] <= year <= the_rule.pay_years[1]:
        low, high = the_rule.pay_years
        why = ("given" if pay_year is not None else
               f"the pay year of the return's date, {organogram.date.isoformat()}")
        raise EstablishmentError(
            f"no on-cost data for pay year {pay_scales.pay_year_label(year)} ({why}): rule "
            f"{the_rule.name!r} of {employer} covers {pay_scales.pay_year_label(low)} to "
            f"{pay_scales.pay_year_label(high)}; give --pay-year (or --rule) to cost it in a "
            f"year that has data")
    return basis


def basis_line(basis: PayBasis, organogram_date: dt.date | None = None) -> str:
    """Which pay year and rule a return is costed on, and why that year."""
    why = ""
    if organogram_date is not None:
        own = return_pay_year(organogram_date)
        why = (f" (the pay year of the return's date, {organogram_date.isoformat()})"
               if own == basis.pay_year else
               f" (given; the return's date {organogram_date.isoformat()} is in "
               f"{pay_scales.pay_year_label(own)})")
    return f"costed in pay year {pay_scales.pay_year_label(basis.pay_year)}{why}: " \
           f"{basis.describe()}"


def structure_name(organogram: OrganogramReturn) -> str:
    return f"{organogram.organisation} organogram {organogram.date.isoformat()}"


def describe(organogram: OrganogramReturn) -> str:
    """The structure's description: organisation, parent, date, files and row counts."""
    report = organogram.report
    parent = f" ({organogram.parent})" if organogram.parent else ""
    return (f"Organogram return of {organogram.organisation}{parent} at "
            f"{organogram.date.isoformat()}. Senior: {Path(report.senior_file).name}; junior: "
            f"{Path(report.junior_file).name}; {report.counts()}.")


def to_structure(organogram: OrganogramReturn) -> Structure:
    """The return's posts as a :class:`Structure` (senior posts first, then junior rows)."""
    posts = []
    for senior in organogram.senior:
        posts.append(Post(senior.title, senior.fte, senior.grade, team=senior.unit,
                          reference=senior.reference, reports_to=senior.reports_to,
                          status="vacant" if senior.vacant else "filled",
                          notes=_notes(senior.pay_state, senior.lines),
                          **_pay(senior.pay_state, senior.pay_floor, senior.pay_ceiling)))
    for junior in organogram.junior:
        posts.append(Post(junior.title, junior.fte, junior.grade, team=junior.unit,
                          reference=junior.reference, reports_to=junior.reports_to,
                          notes=_notes(junior.pay_state, ()),
                          **_pay(junior.pay_state, junior.pay_min, junior.pay_max)))
    return Structure(structure_name(organogram), posts, (), describe(organogram))
