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
