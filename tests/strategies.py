"""Hypothesis strategies that generate valid records, shared by every test module.

Grades and points are drawn from what the bundled employer can cost in 2018/19 (old spine) and
2019/20 onwards (new spine), so generated structures always cost on the default bases.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from decimal import Decimal

from attrs import frozen
from hypothesis import strategies as st

import pay_scales
from establishment import PayBasis, Payment, Post, Structure
from establishment.model.vocabulary import RANGE_POINTS

# (grade, scps costable on the old spine in 2018/19 with rule njc or council-2018)
OLD_SPINE_GRADES = {
    "Hay Band A": list(range(29, 35)),
    "Grade 5": list(range(20, 29)),
    "Grade 4": list(range(18, 24)),
    "Grade 3": list(range(14, 19)),
    "Hay Band B": list(range(35, 40)),
    "Hay Band D": list(range(42, 48)),
}
# new spine (2019/20 onwards)
NEW_SPINE_GRADES = {
    "Hay Band A": list(range(23, 29)),
    "Grade 5": list(range(15, 23)),
    "Grade 4": list(range(8, 15)),
    "Hay Band B": list(range(28, 34)),
    "Hay Band C": list(range(34, 39)),
    "Hay Band D": list(range(36, 42)),
}
TEAMS = ["ICDS", "Commissioning", "Placements", "Short Breaks"]
FUNDERS = ["Core budget", "Contingency", "Grant", "Health"]

ftes = st.integers(min_value=1, max_value=40).map(lambda n: Decimal(n) / 4)  # 0.25 steps
titles = st.sampled_from(["Reviewing Officer", "Assessment Officer", "Service Organiser",
                          "Commissioning Officer", "Team Manager", "Social Worker"])


@st.composite
def fundings(draw: st.DrawFn) -> object:
    """A single source, or 2-3 sources whose whole-percent shares sum to 100."""
    count = draw(st.integers(min_value=1, max_value=3))
    names = draw(st.lists(st.sampled_from(FUNDERS), min_size=count, max_size=count,
                          unique=True))
    if count == 1:
        return names[0]
    cuts = sorted(draw(st.lists(st.integers(1, 99), min_size=count - 1, max_size=count - 1,
                                unique=True)))
    shares = [b - a for a, b in zip([0, *cuts], [*cuts, 100])]
    return dict(zip(names, [Decimal(s) for s in shares]))


@st.composite
def posts(draw: st.DrawFn, spine: str = "old", reference: str | None = None) -> Post:
    table = OLD_SPINE_GRADES if spine == "old" else NEW_SPINE_GRADES
    grade = draw(st.sampled_from(sorted(table)))
    scp = draw(st.one_of(st.none(), st.sampled_from(table[grade])))
    start = draw(st.one_of(st.none(), st.dates(dt.date(2018, 4, 1), dt.date(2019, 3, 1))))
    end = draw(st.one_of(st.none(), st.dates(start or dt.date(2018, 4, 1),
                                             dt.date(2019, 3, 31))))
    return Post(title=draw(titles), fte=draw(ftes), grade=grade, scp=scp,
                team=draw(st.sampled_from(TEAMS)), funding=draw(fundings()), start=start,
                end=end, status=draw(st.sampled_from(["filled", "vacant"])),
                reference=reference)


@st.composite
def payments(draw: st.DrawFn) -> Payment:
    per = draw(st.sampled_from(["year", "total"]))
    start = dt.date(2018, 4, 1) + dt.timedelta(days=draw(st.integers(0, 200)))
    end = start + dt.timedelta(days=draw(st.integers(0, 160)))
    return Payment(title="Honorarium", amount=Decimal(draw(st.integers(1, 500_000))) / 100,
                   per=per, start=start, end=end, funding=draw(fundings()))


@st.composite
def structures(draw: st.DrawFn, spine: str = "old", max_posts: int = 8,
               with_payments: bool = True) -> Structure:
    count = draw(st.integers(min_value=0, max_value=max_posts))
    refs = draw(st.lists(st.one_of(st.none(), st.text("ABCDEFGH", min_size=1, max_size=3)),
                         min_size=count, max_size=count))
    seen: set[str] = set()
    unique = []
    for ref in refs:
        unique.append(ref if ref and ref not in seen else None)
        if ref:
            seen.add(ref)
    items = [draw(posts(spine, ref)) for ref in unique]
    extra = draw(st.lists(payments(), max_size=2)) if with_payments else []
    return Structure("generated", items, extra)


# --- HR exports (issue 4): arbitrary rows for the CSV/XLSX loaders -------------------------

EXPORT_HEADERS = ["Post Ref", "Post Title", "FTE", "Grade", "SCP", "Start Date", "End Date",
                  "Cost Centre", "Status", "kind", "amount", "per", "Employee"]
cell_texts = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "2", "0", "-1", "1.5", "0.3333", "34", "Hay Band A", "Grade 5",
                     "Hay Bnad A", "31/03/2019", "2019-03-31", "31-Mar-2019", "03/04/19",
                     "Mar 2019", "Core 60%; Grant 40%", "A 50%; B 40%", "=HYPERLINK(\"x\")",
                     "'=1+1", "vacant", "payment", "total", "£40,702", "NaN", "1e400"]),
)


@st.composite
def export_rows(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    """A header (some known columns, in any order, maybe repeated) and rows of arbitrary
    text cells, possibly ragged: what a messy HR export can hold."""
    header = draw(st.lists(st.sampled_from(EXPORT_HEADERS), min_size=1, max_size=9))
    rows = draw(st.lists(st.lists(cell_texts, max_size=len(header) + 1), max_size=6))
    return header, rows


# --- structural change (issue 3) ----------------------------------------------------------

@st.composite
def changed_posts(draw: st.DrawFn, post: Post, spine: str = "old") -> Post:
    """``post`` with some of its fields changed (a regrade, fte, dates, status, funding; team
    and title too when it has a reference, so it stays the same post)."""
    table = OLD_SPINE_GRADES if spine == "old" else NEW_SPINE_GRADES
    fields: dict[str, object] = {}
    if draw(st.booleans()):
        grade = draw(st.sampled_from(sorted(table)))
        fields.update(grade=grade, scp=draw(st.one_of(st.none(), st.sampled_from(table[grade]))))
    if draw(st.booleans()):
        fields["fte"] = draw(ftes)
    if draw(st.booleans()):
        start = draw(st.one_of(st.none(), st.dates(dt.date(2018, 4, 1), dt.date(2019, 3, 1))))
        fields["start"] = start
        fields["end"] = draw(st.one_of(st.none(), st.dates(start or dt.date(2018, 4, 1),
                                                          dt.date(2019, 3, 31))))
    if draw(st.booleans()):
        fields["status"] = draw(st.sampled_from(["filled", "vacant"]))
    if draw(st.booleans()):
        fields["funding"] = draw(fundings())
    if post.reference and draw(st.booleans()):
        fields["team"] = draw(st.sampled_from(TEAMS))
    if post.reference and draw(st.booleans()):
        fields["title"] = draw(titles)
    return post.evolve(**fields)


@st.composite
def structure_pairs(draw: st.DrawFn, spine: str = "old",
                    max_posts: int = 6) -> tuple[Structure, Structure]:
    """A structure and a later version of it: some posts kept, some changed, some dropped,
    some new (with fresh references or none), payments kept/changed/dropped/added, all in
    a shuffled order. Unreferenced posts often share a team and title."""
    before = draw(structures(spine, max_posts))
    kept: list[Post] = []
    for post in before.posts:
        action = draw(st.sampled_from(["keep", "change", "drop"]))
        if action == "keep":
            kept.append(post)
        elif action == "change":
            kept.append(draw(changed_posts(post, spine)))
    new = [draw(posts(spine, draw(st.one_of(st.none(), st.just(f"N{i}")))))
           for i in range(draw(st.integers(0, 3)))]
    items = kept + new
    order = draw(st.permutations(range(len(items))))
    extra = [p for p in before.payments if draw(st.booleans())]
    if extra and draw(st.booleans()):
        extra[0] = extra[0].evolve(amount=extra[0].amount + 1)
    extra += draw(st.lists(payments(), max_size=1))
    after = Structure(draw(st.sampled_from(["generated", "proposed"])),
                      [items[i] for i in order], extra)
    return before, after


@st.composite
def projected_posts(draw: st.DrawFn) -> Post:
    """A post for projections from April 2019 (new spine): an scp of its grade or none,
    sometimes an increment date, sometimes starting or ending inside the next two years."""
    grade = draw(st.sampled_from(sorted(NEW_SPINE_GRADES)))
    scp = draw(st.one_of(st.none(), st.sampled_from(NEW_SPINE_GRADES[grade])))
    start = draw(st.one_of(st.none(), st.dates(dt.date(2019, 4, 1), dt.date(2021, 3, 1))))
    end = draw(st.one_of(st.none(), st.dates(start or dt.date(2019, 4, 1),
                                             dt.date(2021, 6, 30))))
    increment = draw(st.one_of(st.none(), st.dates(dt.date(2000, 1, 1), dt.date(2000, 12, 31))))
    return Post(title=draw(titles), fte=draw(ftes), grade=grade, scp=scp,
                team=draw(st.sampled_from(TEAMS)), funding=draw(fundings()), start=start,
                end=end, status=draw(st.sampled_from(["filled", "vacant"])),
                increment_date=increment)


@st.composite
def projected_structures(draw: st.DrawFn, max_posts: int = 6) -> Structure:
    """Structures of :func:`projected_posts` (and sometimes a payment in 2019/20)."""
    items = draw(st.lists(projected_posts(), max_size=max_posts))
    extra = []
    if draw(st.booleans()):
        per = draw(st.sampled_from(["year", "total"]))
        start = dt.date(2019, 4, 1) + dt.timedelta(days=draw(st.integers(0, 300)))
        end = start + dt.timedelta(days=draw(st.integers(0, 400)))
        extra.append(Payment(title="Allowance", amount=Decimal(draw(st.integers(1, 900_000)))
                             / 100, per=per, start=start, end=end, funding=draw(fundings())))
    return Structure("projected", items, extra)


# --- pricing cases (issue 10): what users have, on every bundled employer -----------------
#
# A "market" is one pay basis and the pay years a structure is costed in (a period or a
# projection window), with every grade and point the employer's data can cost in all of those
# years. Everything is read from the bundled data through pay_scales' own APIs (employers,
# rules, grades, spine tables), never hard-coded, so new data (years, grades, employers)
# widens the draws by itself.

PAY_YEARS_TRIED = range(2000, 2031)
RANGE_GRADES = ["SCS1", "Grade 6", "Grade 7", "SEO", "HEO", "EO", "AO"]


def _covered(employer: pay_scales.Employer, rule: str, year: int) -> bool:
    """The employer's data can cost a salary under ``rule`` in ``year`` (and its spine, when it
    has one, has a table in force on 1 April)."""
    try:
        if employer.spine is not None:
            employer.spine.table_date(pay_scales.pay_year_start(year))
        employer.cost_of_salary(Decimal(25_000), year, rule=rule)
    except pay_scales.PayScaleError:
        return False
    return True


@functools.cache
def covered_years(employer_key: str, rule: str) -> tuple[int, ...]:
    """The pay years ``rule`` of a bundled employer can cost (from its data)."""
    employer = pay_scales.load_employer(employer_key)
    return tuple(y for y in PAY_YEARS_TRIED if _covered(employer, rule, y))


@functools.cache
def bases_available() -> tuple[tuple[str, str, tuple[int, ...]], ...]:
    """(employer, rule, the runs of consecutive pay years it covers) of every bundled employer
    and rule that covers at least one pay year."""
    found = []
    for key in pay_scales.bundled_employers():
        employer = pay_scales.load_employer(key)
        for rule in sorted(employer.rules):
            years = covered_years(key, rule)
            if years:
                found.append((key, rule, years))
    return tuple(found)


def spine_points_on(employer: pay_scales.Employer, day: dt.date) -> list[int]:
    """The points of the spine table in force on ``day`` (none without a spine)."""
    if employer.spine is None:
        return []
    effective = employer.spine.table_date(day)
    return sorted(scp for (when, scp) in employer.spine.points if when == effective)


def carried_point(employer: pay_scales.Employer, scp: int | None, base_year: int, year: int,
                  point: str) -> int | None:
    """The point a post of ``base_year`` stands at in ``year`` (the 2019 spine change moves an
    old point to its published new one), as the documented rule says."""
    if scp is None or point != "actual" or year == base_year:
        return scp
    return employer.carry_scp(scp, base_year, year)


@functools.cache
def costable_grades(employer_key: str, rule: str, point: str, rates_on: dt.date | None,
                    base_year: int, years: tuple[int, ...]) -> dict[str, tuple[int | None, ...]]:
    """Every grade of the employer with the points (None: no point given) it can be costed at
    in every one of ``years`` on this basis (pay_scales lookups only)."""
    employer = pay_scales.load_employer(employer_key)
    day = rates_on or pay_scales.pay_year_start(base_year)
    found: dict[str, tuple[int | None, ...]] = {}
    for grade in employer.grades.names:
        good = []
        for scp in [None, *spine_points_on(employer, day)]:
            try:
                for year in years:
                    employer.unit_cost(grade, carried_point(employer, scp, base_year, year,
                                                            point),
                                       year, point=point, rule=rule,
                                       rates_on=rates_on if year == base_year else None)
            except pay_scales.PayScaleError:
                continue
            good.append(scp)
        if good:
            found[grade] = tuple(good)
    return found


@frozen
class Market:
    """A pay basis and the pay years costed on it, with what can be costed in all of them."""

    basis: PayBasis
    years: tuple[int, ...]
    grades: dict[str, tuple[int | None, ...]]

    @classmethod
    def of(cls, basis: PayBasis, years: tuple[int, ...]) -> Market:
        """The market of ``basis`` over ``years`` (the first is the basis's pay year)."""
        return cls(basis, years, costable_grades(basis.employer, basis.rule, basis.point,
                                                 basis.rates_on, basis.pay_year, years))

    @property
    def first_day(self) -> dt.date:
        return pay_scales.pay_year_start(self.years[0])

    @property
    def last_day(self) -> dt.date:
        return pay_scales.pay_year_end(self.years[-1])

    @property
    def employer(self) -> pay_scales.Employer:
        return pay_scales.load_employer(self.basis.employer)

    @property
    def full_time_hours(self) -> Decimal | None:
        """The basis's full-time hours a week, None when the employer states none (posts in
        hours cannot be costed there: none are drawn)."""
        try:
            return self.basis.full_time_hours()
        except pay_scales.PayScaleError:
            return None


def spine_employers() -> list[str]:
    """The bundled employers with a pay spine (whose posts move up points)."""
    return [key for key in pay_scales.bundled_employers()
            if pay_scales.load_employer(key).spine is not None]


@st.composite
def markets(draw: st.DrawFn, max_years: int = 3, employers: list[str] | None = None,
            rates_on: bool = True, points: tuple[str, ...] = pay_scales.POINTS) -> Market:
    """Any bundled employer (or one of ``employers``) and rule, a pay year its data cover
    (either NJC spine), a costing point, sometimes ``rates_on`` a date inside the pay year, and
    1 to ``max_years`` consecutive covered pay years from it."""
    choices = [b for b in bases_available() if employers is None or b[0] in employers]
    key = draw(st.sampled_from(sorted({b[0] for b in choices})))  # each employer as often
    rule, years = draw(st.sampled_from([b[1:] for b in choices if b[0] == key]))
    base = draw(st.sampled_from(years))
    changes = mid_year_tables(key, years)
    if rates_on and changes and draw(st.booleans()):  # rates on a mid-year table
        change = draw(st.sampled_from(changes))
        base = pay_scales.pay_year_of(change)
    span = [base]
    while len(span) < max_years and span[-1] + 1 in years and draw(st.booleans()):
        span.append(span[-1] + 1)
    point = draw(st.sampled_from(points))
    day = None
    if rates_on and draw(st.booleans()):
        low = pay_scales.pay_year_start(base)
        if draw(st.booleans()):  # on or after a table that changes inside the pay year
            low = max([low, *(d for d in changes if pay_scales.pay_year_of(d) == base)])
        day = draw(st.dates(low, pay_scales.pay_year_end(base)))
        if not _covered_on(key, rule, base, day):
            day = None
    basis = PayBasis(key, pay_year=base, rule=rule, point=point, rates_on=day,
                     range_point=draw(st.sampled_from(RANGE_POINTS)),
                     costed_rates=draw(st.booleans()),
                     round_to=draw(st.sampled_from([None, "pound", "penny"])))
    return Market.of(basis, tuple(span))


def mid_year_tables(key: str, years: tuple[int, ...]) -> list[dt.date]:
    """Spine tables of the employer that take effect inside a pay year (not on 1 April), in
    ``years``: the dates a ``rates_on`` changes the salary."""
    employer = pay_scales.load_employer(key)
    if employer.spine is None:
        return []
    return [d for d in employer.spine.effective_dates
            if pay_scales.pay_year_of(d) in years and d != pay_scales.pay_year_start(
                pay_scales.pay_year_of(d))]


def _covered_on(key: str, rule: str, year: int, day: dt.date) -> bool:
    employer = pay_scales.load_employer(key)
    if employer.spine is None:
        return True
    try:
        employer.spine.table_date(day)
    except pay_scales.PayScaleError:
        return False
    return True


pence_amounts = st.integers(0, 15_000_000).map(lambda p: Decimal(p) / 100)
credit_amounts = st.integers(-50_000_000, 50_000_000).map(lambda p: Decimal(p) / 100)


def exact_ftes(places: int = 4, most: int = 5) -> st.SearchStrategy[Decimal]:
    """fte with up to ``places`` decimals, above 0 and at most ``most``; often a plain one."""
    unit = 10 ** places
    return st.one_of(
        st.sampled_from([Decimal(1), Decimal("0.5"), Decimal("0.8"), Decimal(2)]),
        st.integers(1, most * unit).map(lambda n: (Decimal(n) / unit).normalize()))


@st.composite
def priced_posts(draw: st.DrawFn, market: Market, reference: str | None = None,
                 fte: st.SearchStrategy[Decimal] | None = None, graded: int = 3) -> Post:
    """A post of any shape the employer can cost in every pay year of ``market``: a grade at
    one of its points (or none), an explicit cost per fte, a salary, a pay range or unpriced;
    dates inside, across or outside the market's years. ``graded``: the weight of posts with
    a grade and point (against 1 for each other shape)."""
    kinds = ["cost", "salary", "range", "unpriced"] + ["grade"] * graded * bool(market.grades)
    kind = draw(st.sampled_from(kinds))
    fields: dict[str, object] = {}
    if kind == "grade":
        grade = draw(st.sampled_from(sorted(market.grades)))
        points = market.grades[grade]
        scp = draw(st.sampled_from(points)) if graded < 8 or len(points) == 1 else \
            draw(st.sampled_from([p for p in points if p is not None]))
        fields.update(grade=grade, scp=scp)
    else:
        names = sorted(market.grades) or RANGE_GRADES
        fields["grade"] = draw(st.sampled_from(["", *names])) if kind != "range" else \
            draw(st.sampled_from(names))
    if kind == "cost":
        fields["cost_per_fte"] = draw(pence_amounts)
    elif kind == "salary":
        fields["salary"] = draw(pence_amounts)
    elif kind == "range":
        low, high = sorted(draw(st.lists(pence_amounts, min_size=2, max_size=2)))
        fields.update(salary_min=low, salary_max=high)
    elif kind == "unpriced":
        fields["unpriced"] = draw(st.sampled_from(["not disclosed", "none"]))
    if not fields["grade"] and kind not in ("cost", "salary"):
        fields["grade"] = "Unpriced"
    start, end = draw(line_dates(market))
    size = "fte" if fte is not None else draw(st.sampled_from(["fte", "fte6", "hours"]))
    if size == "hours" and market.full_time_hours is not None:  # exactly hours / full time
        fields["hours"] = draw(st.integers(1, 7_400).map(lambda n: (Decimal(n) / 100)
                                                           .normalize()))
        fte = st.none()
    elif size == "fte6":  # typed to six places: 0.540541
        fte = exact_ftes(places=6, most=3)
    return Post(title=draw(titles), fte=draw(fte if fte is not None else exact_ftes()),
                team=draw(st.sampled_from(TEAMS)), funding=draw(fundings()), start=start,
                end=end, status=draw(st.sampled_from(["filled", "vacant"])),
                reference=reference, **fields)


@st.composite
def line_dates(draw: st.DrawFn, market: Market) -> tuple[dt.date | None, dt.date | None]:
    """Start and end of a line: open, inside the market's years, or reaching past them."""
    low = market.first_day - dt.timedelta(days=400)
    high = market.last_day + dt.timedelta(days=400)
    start = draw(st.one_of(st.none(), st.dates(low, high)))
    end = draw(st.one_of(st.none(), st.dates(start or low, high)))
    return start, end


@st.composite
def priced_payments(draw: st.DrawFn, market: Market) -> Payment:
    """A payment (or a credit: a negative amount) per year or in total, dated around the
    market's years."""
    per = draw(st.sampled_from(["year", "total"]))
    start, end = draw(line_dates(market))
    if per == "total":  # a lump sum is paid over a stated span
        start = start or (market.first_day if end is None else min(end, market.first_day))
        end = end or start + dt.timedelta(days=draw(st.integers(0, 500)))
    return Payment(title=draw(st.sampled_from(["Honorarium", "Allowance", "Recharge"])),
                   amount=draw(credit_amounts), per=per, start=start, end=end,
                   funding=draw(fundings()))


@st.composite
def increment_days(draw: st.DrawFn, most: int = 200) -> list[dt.date]:
    """0 to ``most`` distinct increment days (any day of a leap year, 29 February included)."""
    count = draw(st.one_of(st.integers(0, 8), st.integers(0, most)))
    offsets = draw(st.lists(st.integers(0, 365), min_size=count, max_size=count, unique=True))
    return [dt.date(2000, 1, 1) + dt.timedelta(days=d) for d in offsets]


@st.composite
def priced_structures(draw: st.DrawFn, market: Market, max_posts: int = 300,
                      max_payments: int = 3, max_increment_days: int = 200,
                      fte: st.SearchStrategy[Decimal] | None = None, graded: int = 3
                      ) -> Structure:
    """0 to ``max_posts`` posts costable on ``market`` (distinct references), payments and
    credits, and 0 to ``max_increment_days`` distinct increment days among the posts.

    A large structure is built from up to 12 drawn posts varied by a drawn random generator
    (fte, dates, status, increment day), so 300 posts cost little to draw. ``graded``: as
    :func:`priced_posts` (8 or more: posts at a grade always give a point)."""
    count = draw(st.integers(0, max_posts))
    templates = draw(st.lists(priced_posts(market, fte=fte, graded=graded), min_size=1,
                              max_size=max(1, min(count, 12))))
    days = draw(increment_days(min(max_increment_days, max(count, 0))))
    rnd = draw(st.randoms(use_true_random=False))
    items = []
    for index in range(count):
        post = templates[index] if index < len(templates) else _varied(
            templates[rnd.randrange(len(templates))], rnd, market)
        increment = days[index % len(days)] if days and (index < len(days) or rnd.random()
                                                        < 0.7) else None
        items.append(post.evolve(reference=f"P{index + 1}", increment_date=increment))
    extra = draw(st.lists(priced_payments(market), max_size=max_payments))
    return Structure("generated", items, extra)


def _varied(post: Post, rnd: random.Random, market: Market) -> Post:
    """``post`` with another fte, dates and status, chosen by ``rnd``."""
    if post.hours is not None:  # a post in hours keeps them; its fte comes from them
        fte, hours = None, (Decimal(rnd.randint(1, 7_400)) / 100 if rnd.random() < 0.5
                            else post.hours)
    else:
        fte = Decimal(rnd.randint(1, 50_000)) / 10_000 if rnd.random() < 0.5 else post.fte
        fte, hours = fte.normalize(), None
    low = market.first_day - dt.timedelta(days=400)
    span = (market.last_day - low).days + 400
    start = None if rnd.random() < 0.5 else low + dt.timedelta(days=rnd.randrange(span))
    end = None
    if rnd.random() < 0.4:
        end = (start or low) + dt.timedelta(days=rnd.randrange(span))
    return post.evolve(fte=fte, hours=hours, start=start, end=end,
                       status=rnd.choice(["filled", "vacant"]))
