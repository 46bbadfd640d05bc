"""Staff in post against the establishment: who is in which post, and what that costs.

:func:`occupancy` reads a structure's assignments (:mod:`establishment.model.assignment`) post by
post: headcount, occupied fte, held fte, vacant fte (post fte minus the fte of the people in
it, never below 0) and over-establishment (more fte assigned than the post has), which is a
located warning, not an error. A job share is two people in one post.

:func:`staffing` prices both sides through the one pricing engine (``Structure.cost``): every
figure is a line costed like any post, never a second pricer.

- **Establishment**: the posts, as ``establishment cost`` costs them.
- **In post**: each person at their own scp (else the post's) and their own exact fte (as
  given, or hours / full-time hours, never rounded: 20 hours of 37 is 20/37 fte), in the post
  they occupy (an acting person in the acted post; a seconded-out person costs their
  ``recharge``, if any, else nothing).
- **Vacancy**: vacant fte x the post's cost per fte.
- **Held**: the fte of posts held for someone acting up elsewhere or seconded out, at the
  post's cost per fte (less any recharge): budgeted, not spent, not vacant.
- **Pay-point variance**: what the people in post would cost at their posts' own points minus
  what they cost at their own points (positive: paid below the post's point).
- **Hours variance**: the rest: fte assigned beyond a post's fte (over-establishment, negative)
  and the pound rounding of the lines.

so that Establishment = In post + Vacancy + Held + Pay-point variance + Hours variance, for
each team and in total, to the pound.

Every line is its exact fte x its cost per fte (:func:`establishment.engine.costing.cost_per_fte`,
through ``cost_frame``), rounded to whole pounds half up once: a person's fte is never rounded
before it is priced. People whose assignment is not in force at any time in the basis's pay
year (a fixed-term contract that has ended) are left out, so their post shows as vacant.
The fte columns of :func:`occupancy` are shown to 4 places; states and costs use the exact fte.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
from attrs import frozen

from establishment.engine.costing import cost_frame, fraction_text, unit_money
from establishment.errors import CostingError, PayScaleError, Problem, ValidationError
from establishment.model.assignment import Assignment
from establishment.model.frame import FTE_SCALE, NONE, common_denominator, fte_e4
from establishment.model.hours import agrees, fte_of_hours
from establishment.model.money import pence_to_pounds
from establishment.model.pay_basis import PayBasis, resolve_basis
from establishment.model.post import FTE_SHOWN_PLACES, HOURS_PLACES, Post
from establishment.model.structure import Structure
from pay_scales.dates import pay_year_end, pay_year_start
from pay_scales.rounding import round_to_unit

FIGURES = ("establishment", "in_post", "vacancy", "held", "pay_point", "hours")


def _of_hours(hours: Decimal, full_time_hours: Decimal | None, what: str) -> Fraction:
    """:func:`~establishment.model.hours.fte_of_hours`; no full-time hours is an error
    naming ``what`` (never 37 assumed)."""
    if full_time_hours is None:
        raise ValidationError("full_time_hours", f"the full-time hours {what} is in hours "
                              "against (the basis's: PayBasis.full_time_hours())", None)
    return fte_of_hours(hours, full_time_hours)


def person_fte(assignment: Assignment, full_time_hours: Decimal | None = None) -> Fraction:
    """The person's exact fte: hours / full-time hours when they give hours (never rounded;
    an fte given beside them that agrees, as 0.61 does with 22.5 hours of 37, is the same
    fte written to fewer places), else their fte as given."""
    if assignment.hours is None:
        return Fraction(assignment.fte)  # type: ignore[arg-type]
    if assignment.fte is not None and full_time_hours is None:
        return Fraction(assignment.fte)
    exact = _of_hours(assignment.hours, full_time_hours, f"assignment {assignment.label}")
    if assignment.fte is None or agrees(assignment.fte, exact):
        return exact
    return Fraction(assignment.fte)


def fte_conflicts(structure: Structure, full_time_hours: Decimal | None, where: str
                  ) -> list[Problem]:
    """A problem for each person whose fte and hours disagree (the rule of
    :func:`establishment.model.hours.agrees`), located at their record."""
    problems = []
    for a in structure.assignments:
        if a.fte is None or a.hours is None or full_time_hours is None:
            continue
        exact = fte_of_hours(a.hours, full_time_hours)
        if not agrees(a.fte, exact):
            source = a.source
            problems.append(Problem(
                source.file if source is not None and source.file else where, source.line
                if source is not None else None, f"assignment {a.label}: fte {a.fte} and "
                f"hours {a.hours} disagree: hours / {full_time_hours} full-time hours is "
                f"{fraction_text(exact)} fte", "fte"))
    return problems


def post_fte(post: Post, full_time_hours: Decimal | None = None) -> Fraction:
    """A post's exact fte as the engine costs it: its hours / full-time hours when it gives
    hours (a typed fte beside them agrees, or the engine refuses the post), else its fte."""
    if post.hours is not None:
        return _of_hours(post.hours, full_time_hours, f"post {post.reference or post.title}")
    return Fraction(post.fte)  # type: ignore[arg-type]


def shown_fte(value: Fraction | Decimal) -> Decimal:
    """An fte as tables show it: exact when it has at most 4 places, else to 4 places (half
    up)."""
    exact = Fraction(value)
    shown = Decimal(exact.numerator) / Decimal(exact.denominator)
    if (exact * FTE_SCALE).denominator == 1:
        return shown
    return shown.quantize(Decimal(1).scaleb(-FTE_SHOWN_PLACES), rounding=ROUND_HALF_UP)


@frozen
class Seat:
    """What one assignment does: the post it occupies (or None), the post it holds (or
    None), where it is counted, and its fte."""

    assignment: Assignment
    fte: Fraction
    occupies: str | None
    holds: str | None
    counted_at: str


def seats(structure: Structure, full_time_hours: Decimal | None = None) -> list[Seat]:
    """Each assignment's effect, by the table in :mod:`establishment.model.assignment`: a person
    acting up elsewhere holds their substantive post and is counted there, once; a person in
    two posts is counted at the first."""
    acting = {a.person for a in structure.assignments if a.kind == "acting"}
    homes = {a.person for a in structure.assignments if a.kind != "acting"}
    counted: set[str] = set()  # a person in two posts is two assignments and one head
    result = []
    for a in structure.assignments:
        fte = person_fte(a, full_time_hours)
        at = a.post if a.kind != "acting" or a.person not in homes else ""
        at = at if a.person not in counted else ""
        if at:
            counted.add(a.person)
        if a.kind == "acting":
            result.append(Seat(a, fte, a.post, None, at))
        elif a.kind == "secondment-out" or a.person in acting:
            result.append(Seat(a, fte, None, a.post, at))
        else:
            result.append(Seat(a, fte, a.post, None, at))
    return result


def _state(post_fte: Fraction, occupied: Fraction, held: Fraction) -> str:
    if occupied + held > post_fte:
        return "over-established"
    if occupied + held == 0:
        return "vacant"
    if occupied == 0:
        return "held"
    return "filled" if occupied + held == post_fte else "part vacant"


def _exact_occupancy(structure: Structure, seat_list: list[Seat],
                     full_time_hours: Decimal | None = None) -> list[dict[str, Fraction]]:
    """Per post, in order: its exact fte, headcount, occupied, held, vacant and over fte."""
    totals: dict[str, dict[str, Fraction]] = defaultdict(
        lambda: {"headcount": Fraction(0), "occupied": Fraction(0), "held": Fraction(0)})
    for seat in seat_list:
        if seat.counted_at:
            totals[seat.counted_at]["headcount"] += 1
        if seat.occupies:
            totals[seat.occupies]["occupied"] += seat.fte
        if seat.holds:
            totals[seat.holds]["held"] += seat.fte
    rows = []
    for post in structure.posts:
        found = totals.get(post.reference or "", {})
        fte = post_fte(post, full_time_hours)
        occupied, held = found.get("occupied", Fraction(0)), found.get("held", Fraction(0))
        rows.append({"fte": fte, "headcount": found.get("headcount", Fraction(0)),
                     "occupied": occupied, "held": held,
                     "vacant": max(Fraction(0), fte - occupied - held),
                     "over": max(Fraction(0), occupied + held - fte)})
    return rows


def occupancy(structure: Structure, full_time_hours: Decimal | None = None
              ) -> pd.DataFrame:
    """One row per post: reference, team, title, fte, headcount, occupied, held, vacant and
    over fte (shown to 4 places), and a state (filled, part vacant, vacant, held,
    over-established, decided on the exact fte)."""
    exact = _exact_occupancy(structure, seats(structure, full_time_hours), full_time_hours)
    rows = []
    for post, found in zip(structure.posts, exact):
        rows.append({"reference": post.reference, "team": post.team, "title": post.title,
                     "fte": shown_fte(found["fte"]), "headcount": int(found["headcount"]),
                     "occupied_fte": shown_fte(found["occupied"]),
                     "held_fte": shown_fte(found["held"]),
                     "vacant_fte": shown_fte(found["vacant"]),
                     "over_fte": shown_fte(found["over"]),
                     "state": _state(found["fte"], found["occupied"], found["held"])})
    return pd.DataFrame(rows, columns=["reference", "team", "title", "fte", "headcount",
                                       "occupied_fte", "held_fte", "vacant_fte", "over_fte",
                                       "state"])


def _n(value: Decimal) -> str:
    return f"{value.normalize():f}"


def over_establishment(structure: Structure, where: str = "",
                       lines: Mapping[str, int | None] | None = None,
                       full_time_hours: Decimal | None = None,
                       posts: pd.DataFrame | None = None) -> list[Problem]:
    """A located warning for each post with more fte assigned than it has (``posts``: its
    :func:`occupancy`, when already worked out)."""
    frame = occupancy(structure, full_time_hours) if posts is None else posts
    warnings = []
    for row in frame[frame["over_fte"] > 0].itertuples(index=False):
        people = row.occupied_fte + row.held_fte
        warnings.append(Problem(where or structure.name, (lines or {}).get(row.reference),
                                f"post {row.reference}: over-established: {_n(people)} fte "
                                f"assigned to a {_n(row.fte)} fte post ({_n(row.over_fte)} "
                                "over)",
                                "fte"))
    return warnings


@frozen
class Staffing:
    """Establishment against staff in post, per team (``by_team``, whole pounds and fte) and
    in total; ``posts`` is :func:`occupancy`; ``warnings`` the over-established posts;
    ``notes`` what was read other than as written (a post fte read at its people's exact
    fte)."""

    basis: PayBasis
    posts: pd.DataFrame
    by_team: pd.DataFrame
    warnings: tuple[Problem, ...]
    notes: tuple[str, ...] = ()  # what was decided that a reader should know

    @property
    def total(self) -> dict[str, Decimal]:
        return {column: sum(self.by_team[column], Decimal(0)) for column in self.by_team}

    @property
    def money_kind(self) -> str:
        """The table column kind of its money: ``money`` (whole pounds) or ``pence``."""
        return "money" if self.basis.pence_per_unit == 100 else "pence"


@frozen
class _Lines:
    """Lines to price: rows of the posts' frame and the exact fte each is priced at. With
    ``own_fte`` the rows carry that fte (one person each: headcount 1) and the engine prices
    them whole; without, the rows keep their post's fte and headcount, so the engine gives
    the post's own cost per fte, which the line's fte multiplies (a vacancy, a held post)."""

    frame: pd.DataFrame
    fte: tuple[Fraction, ...]
    own_fte: bool


def _establishment(frame: pd.DataFrame, basis: PayBasis) -> dict[str, Decimal]:
    """Full-year cost of the posts by team, exactly as ``establishment cost`` costs them."""
    if not len(frame):
        return {}
    costed, _ = cost_frame(frame, basis)
    grouped = costed.groupby("team", sort=False)["full_year"].sum()
    return {str(team): unit_money(int(value), basis) for team, value in grouped.items()}


def _team_totals(lines: _Lines, basis: PayBasis) -> dict[str, Decimal]:
    """Full-year cost of ``lines`` by team, priced by the engine's one pricing function
    (``cost_frame``): a line that carries its own fte (a person, a recharge) as the engine
    costs it; a part of a post (vacant or held fte) as that fte x the post's cost per fte,
    rounded once, half up, to the basis's unit (whole pounds, or pence). A line not in force
    in the pay year costs nothing in it."""
    if not lines.fte:
        return {}
    costed, _ = cost_frame(lines.frame, basis)
    totals: dict[str, Decimal] = defaultdict(Decimal)
    if lines.own_fte:
        for team, value in zip(costed["team"], costed["full_year"]):
            totals[str(team)] += unit_money(int(value), basis)
        return dict(totals)
    unit_of_rounding = basis.rounding()
    for team, fte, unit, live in zip(costed["team"], lines.fte, costed["unit_pence"],
                                     costed["in_force"]):
        if live:
            totals[str(team)] += round_to_unit(Fraction(fte) * Fraction(pence_to_pounds(unit)),
                                               unit_of_rounding)
    return dict(totals)


def _rows(frame: pd.DataFrame, at: list[int], fte: list[Fraction], *, own_fte: bool = True,
          **columns: list) -> _Lines:
    """Rows ``at`` of the posts' frame as lines of ``fte`` (and other ``columns``): with
    ``own_fte``, each row set to its exact fte and one person (see :class:`_Lines`)."""
    lines = frame.iloc[at].copy()
    if own_fte:
        common = common_denominator(fte)
        lines["fte_num"] = np.array([int(f * common) for f in fte], dtype=np.int64)
        lines["fte_den"] = np.full(len(at), common, dtype=np.int64)
        lines["fte_e4"] = np.array([fte_e4(f) for f in fte], dtype=np.int64)
        lines["hours_e6"] = np.full(len(at), NONE, dtype=np.int64)
        lines["annual_hours_e6"] = np.full(len(at), NONE, dtype=np.int64)
        lines["headcount"] = np.ones(len(at), dtype=np.int64)  # NI per person: theirs
    lines["status"] = pd.Series(["filled"] * len(at), dtype=object, index=lines.index)
    for name, values in columns.items():
        lines[name] = pd.Series(values, dtype=lines[name].dtype, index=lines.index)
    return _Lines(lines.reset_index(drop=True), tuple(fte), own_fte)


def _posts_frame(structure: Structure) -> pd.DataFrame:
    """The structure's own frame, posts only (the establishment, as costed)."""
    frame = structure.to_frame()
    return frame[frame["kind"] == "post"].reset_index(drop=True)


def _price_lines(structure: Structure, posts: list[dict[str, Fraction]],
                 seat_list: list[Seat]) -> dict[str, _Lines]:
    """The lines each figure is priced from, as frames of the structure's own layout (no
    Post objects): vacant and held fte at the post's pay; each occupying person's fte at the
    post's point and at their own; recharges as explicit costs."""
    frame = _posts_frame(structure)
    row_of = {ref: i for i, ref in enumerate(frame["reference"]) if ref}
    vacant = [i for i, post in enumerate(posts) if post["vacant"] > 0]
    held = [i for i, post in enumerate(posts) if post["held"] > 0]
    occupying = [seat for seat in seat_list if seat.occupies]
    at = [row_of[seat.assignment.post] for seat in occupying]
    own = [seat.assignment.scp if seat.assignment.scp is not None else int(frame["scp"][i])
           for seat, i in zip(occupying, at)]
    names = [f"{seat.assignment.post} ({seat.assignment.person})" for seat in occupying]
    recharged = [seat.assignment for seat in seat_list if seat.assignment.recharge]
    where = [row_of[a.post] for a in recharged]
    pence = [int(a.recharge * 100) for a in recharged]  # type: ignore[operator]
    return {
        "vacancy": _rows(frame, vacant, [posts[i]["vacant"] for i in vacant], own_fte=False),
        "held": _rows(frame, held, [posts[i]["held"] for i in held], own_fte=False),
        "at_post_pay": _rows(frame, at, [seat.fte for seat in occupying], reference=names),
        "in_post": _rows(frame, at, [seat.fte for seat in occupying], scp=own,
                         reference=names),
        "recharge": _rows(frame, where, [Fraction(1)] * len(where), cost_per_fte_pence=pence,
                          salary_pence=[NONE] * len(where), salary_min_pence=[NONE] * len(
                              where), salary_max_pence=[NONE] * len(where)),
    }


def in_pay_year(structure: Structure, pay_year: int) -> Structure:
    """``structure`` with only the posts and people in force at some time in ``pay_year``
    (1 April to 31 March): a fixed-term person whose contract has ended no longer occupies
    (or costs) their post, and a post not in force (which costs nothing) is not shown filled
    by the people in it."""
    first, last = pay_year_start(pay_year), pay_year_end(pay_year)

    def live(item: Assignment | Post) -> bool:
        return (item.start is None or item.start <= last) and (item.end is None
                                                                or first <= item.end)

    posts = [post for post in structure.posts if live(post)]
    if len(posts) < len(structure.posts):  # a post not in force costs nothing: nor its people
        structure = structure.with_posts(posts)
    people = [a for a in structure.assignments if live(a)]
    if len(people) == len(structure.assignments):
        return structure
    return structure.evolve(assignments=people)


def _full_time_hours(structure: Structure, basis: PayBasis, where: str,
                     lines: Mapping[str, int | None]) -> Decimal | None:
    """The basis's full-time hours when a person or a post is given in hours (None when none
    is): the rule's, else the employer's. Pay data that state none is one problem located at
    the first record in hours."""
    in_hours = [a for a in structure.assignments if a.fte is None]
    posts = [p for p in structure.posts if p.hours is not None]
    if not posts and all(a.hours is None for a in structure.assignments):
        return None
    try:
        return basis.full_time_hours()
    except PayScaleError as err:
        if not in_hours and not posts:  # hours beside an fte: the fte stands alone
            return None
        first = in_hours[0].source if in_hours else posts[0].source
        line = first.line if first is not None else (
            lines.get(posts[0].reference or "") if posts else None)
        file = first.file if first is not None and first.file else where or structure.name
        raise CostingError([Problem(file, line, f"{err}; 37 is not assumed", "hours")],
                           "cannot find the fte of people given in hours") from None


@frozen
class Agreed:
    """A post whose stated fte agrees (:func:`establishment.model.hours.agrees`) with the
    exact fte of the hours of the people in it, so is read as that exact fte."""

    reference: str
    stated: Decimal
    exact: Fraction


def people_hours_agree(structure: Structure, full_time_hours: Decimal | None
                       ) -> tuple[Structure, tuple[Agreed, ...]]:
    """``structure`` with each post whose fte is stated to a few places (0.61) and whose
    people, some of them given in hours, come to an exact fte that agrees with it (22.5 hours
    of 37 is 45/74 = 0.6081..., 0.61 to two places) given those hours as its own, so the
    engine costs it, and occupancy measures it, at the exact fte: no "part vacant 0.0019",
    no £77 of vacancy, no over-establishment of a rounding. The one rule of
    :mod:`establishment.model.hours` (:func:`agrees`), as a post's fte beside its own hours.
    A whole-number fte states no rounding and is left as it is: a person on 36 hours in a
    post of 1 fte leaves 1/37 vacant."""
    if full_time_hours is None:
        return structure, ()
    totals: dict[str, Fraction] = defaultdict(Fraction)
    hourly: set[str] = set()
    for seat in seats(structure, full_time_hours):
        post = seat.occupies or seat.holds
        if post:
            totals[post] += seat.fte
            if seat.assignment.hours is not None:
                hourly.add(post)
    agreed, posts = [], []
    for post in structure.posts:
        exact = totals.get(post.reference or "")
        hours = None if exact is None else exact * Fraction(full_time_hours)
        if (post.reference in hourly and post.hours is None and post.fte is not None
                and post.fte != post.fte.to_integral_value() and exact != post.fte
                and agrees(post.fte, exact)  # type: ignore[arg-type]
                and (hours * 10 ** HOURS_PLACES).denominator == 1):  # type: ignore[operator]
            agreed.append(Agreed(post.reference, post.fte, exact))  # type: ignore[arg-type]
            post = post.evolve(hours=Decimal(hours.numerator) / hours.denominator)  # type: ignore[union-attr]
        posts.append(post)
    if not agreed:
        return structure, ()
    return structure.evolve(posts=posts), tuple(agreed)


def agreed_note(agreed: tuple[Agreed, ...], full_time_hours: Decimal | None) -> str:
    """One note for every post read at its people's exact fte (references and fte only)."""
    shown = ", ".join(f"{a.reference} {a.stated} as {fraction_text(a.exact)}"
                      for a in agreed[:5])
    more = f" and {len(agreed) - 5} more" if len(agreed) > 5 else ""
    return (f"{len(agreed)} post(s) read at the exact fte of the hours of the people in them "
            f"over {full_time_hours} full-time hours, which their stated fte rounds: "
            f"{shown}{more}")


def staffing(structure: Structure, basis: PayBasis | None = None, *, where: str = "",
             lines: Mapping[str, int | None] | None = None,
             full_time_hours: Decimal | None = None) -> Staffing:
    """The establishment's cost against the staff in post's, per team and in total (see the
    module's docstring for each figure); full-year costs on ``basis``. A person given in
    hours is hours / ``full_time_hours`` fte (default: the basis's rule's full-time hours,
    else its employer's; none stated is an error, never 37 assumed). A post whose stated fte
    agrees with its people's exact fte is read at the exact fte (:func:`people_hours_agree`,
    with a note)."""
    if not structure.assignments:
        raise ValidationError("assignments", "people in posts (a person column, or "
                              "[[assignment]] tables)", "none")
    basis = resolve_basis(basis)
    if full_time_hours is None:
        full_time_hours = _full_time_hours(structure, basis, where, lines or {})
    structure = in_pay_year(structure, basis.pay_year)
    conflicts = fte_conflicts(structure, full_time_hours, where or structure.name)
    if conflicts:
        raise CostingError(conflicts, "people whose fte and hours disagree")
    structure, agreed = people_hours_agree(structure, full_time_hours)
    notes = (agreed_note(agreed, full_time_hours),) if agreed else ()
    posts = occupancy(structure, full_time_hours)
    seat_list = seats(structure, full_time_hours)
    priced = _price_lines(structure, _exact_occupancy(structure, seat_list, full_time_hours),
                          seat_list)
    establishment = _establishment(_posts_frame(structure), basis)
    sums = {name: _team_totals(items, basis) for name, items in priced.items()}
    fte = posts.groupby("team", sort=False)[["fte", "headcount", "occupied_fte", "vacant_fte"]]
    rows = []
    for team, cost in establishment.items():
        get = {name: values.get(team, Decimal(0)) for name, values in sums.items()}
        in_post = get["in_post"] + get["recharge"]
        held = get["held"] - get["recharge"]
        pay_point = get["at_post_pay"] - get["in_post"]
        hours = cost - get["vacancy"] - get["held"] - get["at_post_pay"]
        rows.append({"team": team, "establishment": cost, "in_post": in_post,
                     "vacancy": get["vacancy"], "held": held, "pay_point": pay_point,
                     "hours": hours})
    by_team = pd.DataFrame(rows, columns=["team", *FIGURES]).set_index("team")
    counts = fte.sum()
    for column in ("fte", "headcount", "occupied_fte", "vacant_fte"):
        by_team[column] = [counts.loc[t, column] for t in by_team.index]
    by_team["headcount"] = by_team["headcount"].map(int)
    warnings = over_establishment(structure, where, lines, full_time_hours, posts)
    return Staffing(basis, posts, by_team, tuple(warnings), notes)
