"""A return as a structure (the library's own model), with the pay basis it is costed on.

Senior posts keep their reference, grade, title, unit (as ``team``), fte and reports-to; their
published pay band (``Actual Pay Floor``/``Ceiling``) is the post's ``salary_min``/``salary_max``.
A senior post whose pay is not disclosed (``N/D``) gets an explicit ``cost_per_fte`` of £0 and
a note saying so: the library never invents a salary. Junior rows become posts with their fte,
grade and pay range, reporting to their senior post, under a reference built from unit,
reporting post, grade and title (:func:`~establishment.organogram.returns.junior_reference`).

The pay year: a return states the establishment on its date (31 March or 30 September); it is
costed in the pay year that runs from the day after (so 31 March 2011 is costed in 2011/12, the
year that establishment runs into; 30 September 2011 also in 2011/12), with the civil-service
employer's rule for that year (``pcsps-2011``...) when the bundled data have one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pay_scales
from establishment.organogram.returns import OrganogramReturn
from establishment.pay_basis import PayBasis
from establishment.post import Post
from establishment.structure import Structure

EMPLOYER = "civil-service"
NOT_DISCLOSED_NOTE = "pay not disclosed (N/D) in the return: costed at £0"


def return_pay_year(day: dt.date) -> int:
    """The pay year a return dated ``day`` is costed in (the one the next day falls in)."""
    return pay_scales.pay_year_of(day + dt.timedelta(days=1))


def basis_for(organogram: OrganogramReturn, *, employer: str = EMPLOYER,
              range_point: str = "midpoint", pay_year: int | None = None) -> PayBasis:
    """The basis a return is costed on by default: the employer's rule for its pay year."""
    year = pay_year if pay_year is not None else return_pay_year(organogram.date)
    rules = pay_scales.load_employer(employer).rules
    rule = f"pcsps-{year}" if f"pcsps-{year}" in rules else None
    return PayBasis(employer=employer, pay_year=year, rule=rule, range_point=range_point,
                    label=f"{organogram.organisation} {organogram.date.isoformat()}")


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
        pay: dict = ({"cost_per_fte": 0, "notes": NOT_DISCLOSED_NOTE} if senior.not_disclosed
                     else {"salary_min": senior.pay_floor, "salary_max": senior.pay_ceiling})
        posts.append(Post(senior.title, senior.fte, senior.grade, team=senior.unit,
                          reference=senior.reference, reports_to=senior.reports_to,
                          status="vacant" if senior.vacant else "filled", **pay))
    for junior in organogram.junior:
        posts.append(Post(junior.title, junior.fte, junior.grade, team=junior.unit,
                          reference=junior.reference, reports_to=junior.reports_to,
                          salary_min=junior.pay_min, salary_max=junior.pay_max))
    return Structure(structure_name(organogram), posts, (), describe(organogram))
