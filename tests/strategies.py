"""Hypothesis strategies that generate valid records, shared by every test module.

Grades and points are drawn from what the bundled employer can cost in 2018/19 (old spine) and
2019/20 onwards (new spine), so generated structures always cost on the default bases.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import strategies as st

from establishment import Payment, Post, Structure

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
