"""The line frame's rules, stated exactly (establishment.model.frame): the focused file the
mutation run uses for that module (``benchmarks/mutation.py frame``). Each assertion is a rule
the engine relies on: the integer encoding of every column (pence, fte numerators over one
denominator, hours x 10**6, the NONE sentinel for "not given"), an fte from hours exact, a
refused figure's message in full, and structure -> frame -> structure losing nothing."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

import pay_scales
from establishment import PayBasis, Structure
from establishment.engine.costing import cost
from establishment.errors import Location
from establishment.model.frame import (
    FTE_SCALE,
    HOURS_SCALE,
    NONE,
    POST_COLUMNS,
    common_denominator,
    exact_fte,
    fte_e4,
    fte_fraction,
    lines_frame,
    pence,
    posts_from_frame,
    resolve_hours,
)
from establishment.model.post import Payment, Post

D = Decimal
START = dt.date(2024, 4, 1)
END = dt.date(2025, 3, 31)


def clerk(**changes) -> Post:
    fields = dict(title="Clerk", fte=D("0.5"), grade="A", scp=5, team="Office",
                  reference="P1", cost_per_fte=D("30000.50"), salary=D("15000.25"),
                  salary_min=D("14000.00"), salary_max=D("16000.75"), start=START,
                  end=END, status="vacant", reports_to="Boss",
                  increment_date=dt.date(2024, 10, 1), notes="n", headcount=2,
                  funding=[("core", 60), ("grant", 40)])
    fields.update(changes)
    return Post(**fields)


def line(**fields) -> Post:
    """A post of grade A unless said otherwise (a post needs a grade or its pay)."""
    return Post(**{"grade": "A", **fields})


def honorarium(**changes) -> Payment:
    fields = dict(title="Hon", amount=D("-12.34"), per="total", team="Office",
                  start=START, end=END, reference="H1", notes="once",
                  funding=[("core", 100)])
    fields.update(changes)
    return Payment(**fields)


def full_time(value="37"):
    """A full-time hours callable that counts how often it is asked."""
    asked = []

    def answer():
        asked.append(1)
        return D(value)
    return answer, asked


def numbers(array) -> list[int]:
    return [int(v) for v in array]


# --- pence -----------------------------------------------------------------------------------

def test_pence_is_the_exact_integer_of_pounds():
    assert pence(D("42625.50")) == 4262550
    assert pence(D("-12.34")) == -1234
    assert pence(D("0")) == 0
    assert pence(D("3E+2")) == 30000
    assert type(pence(D("1.10"))) is int


def test_no_money_is_the_none_sentinel_below_every_figure():
    assert pence(None) == NONE == -(2 ** 63)
    assert NONE < -(10 ** 16)


def test_a_third_decimal_place_is_refused_in_full():
    with pytest.raises(ValueError) as caught:
        pence(D("1.005"))
    assert str(caught.value) == "money 1.005 has more than 2 decimal places"


def test_the_scales():
    assert FTE_SCALE == 10_000
    assert HOURS_SCALE == 1_000_000


# --- fte_e4 and the common denominator -------------------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [
    (D("0.5"), 5000), (D("1"), 10000), (D("2.25"), 22500), (Fraction(1, 3), 3333),
    (Fraction(2, 3), 6667), (Fraction(20, 37), 5405), (Fraction(1, 20000), 1),
    (Fraction(3, 20000), 2), (Fraction(1, 20001), 0), (Fraction(19999, 20000), 10000),
    (D("0.00005"), 1), (D("0.00004999"), 0)])
def test_fte_e4_rounds_half_up_to_ten_thousandths(value, expected):
    assert fte_e4(value) == expected


def test_the_common_denominator_keeps_ten_thousandths_and_widens_for_finer_fte():
    assert common_denominator([]) == 10_000
    assert common_denominator([None, D("0.5"), D("0.25")]) == 10_000
    assert common_denominator([D("0.12345")]) == 20_000
    assert common_denominator([None, D("0.5"), Fraction(20, 37)]) == 370_000


# --- lines_frame: every column's encoding ----------------------------------------------------

def test_a_post_and_a_payment_encode_every_column():
    frame = lines_frame([clerk()], [honorarium()])
    assert list(frame.columns) == POST_COLUMNS
    post, payment = (frame.iloc[i].to_dict() for i in range(2))
    assert {k: post[k] for k in ("kind", "reference", "title", "team", "grade", "status",
                                 "reports_to", "notes", "per", "unpriced")} == {
        "kind": "post", "reference": "P1", "title": "Clerk", "team": "Office", "grade": "A",
        "status": "vacant", "reports_to": "Boss", "notes": "n", "per": "", "unpriced": ""}
    assert {k: int(post[k]) for k in ("scp", "fte_e4", "cost_per_fte_pence", "salary_pence",
                                      "salary_min_pence", "salary_max_pence", "fte_num",
                                      "fte_den", "hours_e6", "headcount",
                                      "annual_hours_e6")} == {
        "scp": 5, "fte_e4": 5000, "cost_per_fte_pence": 3000050, "salary_pence": 1500025,
        "salary_min_pence": 1400000, "salary_max_pence": 1600075, "fte_num": 5000,
        "fte_den": 10000, "hours_e6": NONE, "headcount": 2, "annual_hours_e6": NONE}
    assert [s.source for s in post["funding"]] == ["core", "grant"]
    assert post["start"] == pd.Timestamp("2024-04-01")
    assert post["end"] == pd.Timestamp("2025-03-31")
    assert post["increment_date"] == pd.Timestamp("2024-10-01")
    assert {k: payment[k] for k in ("kind", "reference", "title", "team", "grade", "status",
                                    "reports_to", "notes", "per", "unpriced")} == {
        "kind": "payment", "reference": "H1", "title": "Hon", "team": "Office", "grade": "",
        "status": "filled", "reports_to": None, "notes": "once", "per": "total",
        "unpriced": ""}
    assert {k: int(payment[k]) for k in ("scp", "fte_e4", "cost_per_fte_pence",
                                         "salary_pence", "salary_min_pence",
                                         "salary_max_pence", "fte_num", "fte_den",
                                         "hours_e6", "headcount", "annual_hours_e6")} == {
        "scp": NONE, "fte_e4": 10000, "cost_per_fte_pence": -1234, "salary_pence": NONE,
        "salary_min_pence": NONE, "salary_max_pence": NONE, "fte_num": 10000,
        "fte_den": 10000, "hours_e6": NONE, "headcount": NONE, "annual_hours_e6": NONE}
    assert pd.isna(payment["increment_date"])


def test_column_dtypes():
    frame = lines_frame([clerk(), line(title="Assistant", hours=D("20"))], [honorarium()])
    for column in ("scp", "fte_e4", "cost_per_fte_pence", "salary_pence", "salary_min_pence",
                   "salary_max_pence", "fte_num", "fte_den", "hours_e6", "headcount",
                   "annual_hours_e6"):
        assert frame[column].dtype == np.int64, column
    for column in ("start", "end", "increment_date"):
        assert str(frame[column].dtype) == "datetime64[s]", column
    for column in ("kind", "reference", "title", "team", "grade", "status", "reports_to",
                   "notes", "per", "unpriced"):
        assert frame[column].dtype == object, column
    # a missing text stays None (never NaN), a missing date NaT
    assert frame["reference"].tolist() == ["P1", None, "H1"]
    assert frame["reports_to"].tolist() == ["Boss", None, None]
    assert frame["end"].isna().tolist() == [False, True, False]


def test_hours_and_unknown_fields_encode_as_none():
    week = line(title="Assistant", hours=D("20.5"), team="Office", cost_per_fte=D("24000"))
    year = line(title="Caretaker", annual_hours=D("500.25"))
    frame = lines_frame([week, year])
    assert numbers(frame["hours_e6"]) == [20_500_000, NONE]
    assert numbers(frame["annual_hours_e6"]) == [NONE, 500_250_000]
    assert numbers(frame["fte_num"]) == [0, 0]
    assert numbers(frame["fte_den"]) == [0, 0]  # no fte until costed
    assert numbers(frame["fte_e4"]) == [0, 0]
    assert numbers(frame["scp"]) == [NONE, NONE]
    assert numbers(frame["headcount"]) == [NONE, NONE]
    assert numbers(frame["cost_per_fte_pence"]) == [2400000, NONE]


def test_one_denominator_for_the_frame_and_payments_at_one_fte():
    frame = lines_frame([clerk(fte=D("0.12345")), clerk(fte=D("1.5"), reference="P2")],
                        [honorarium()])
    assert numbers(frame["fte_den"]) == [20000, 20000, 20000]
    assert numbers(frame["fte_num"]) == [2469, 30000, 20000]
    assert numbers(frame["fte_e4"]) == [1235, 15000, 10000]


def test_an_unpriced_post_is_priced_at_nothing():
    frame = lines_frame([line(title="Chair", fte=D("1"), unpriced="not disclosed"),
                         line(title="Clerk", fte=D("1"), cost_per_fte=D("0"))])
    assert numbers(frame["cost_per_fte_pence"]) == [0, 0]
    assert frame["unpriced"].tolist() == ["not disclosed", ""]


# --- exact_fte and fte_fraction --------------------------------------------------------------

def test_exact_fte_of_a_frame_with_one_denominator():
    frame = lines_frame([clerk(), clerk(fte=D("0.25"), reference="P2")])
    num, den = exact_fte(frame)
    assert (numbers(num), den) == ([5000, 2500], 10000)
    assert num.dtype == np.int64
    assert fte_fraction(frame, 1) == Fraction(1, 4)


def test_exact_fte_of_a_frame_laid_out_before_exact_fte():
    frame = lines_frame([clerk(), clerk(fte=D("0.25"))]).drop(columns=["fte_num", "fte_den"])
    num, den = exact_fte(frame)
    assert (numbers(num), den) == ([5000, 2500], 10000)
    assert fte_fraction(frame, 0) == Fraction(1, 2)
    assert fte_fraction(frame, 1) == Fraction(1, 4)


def test_exact_fte_of_no_lines():
    num, den = exact_fte(lines_frame([]))
    assert (len(num), den) == (0, 1)


def test_exact_fte_refuses_a_post_in_hours_not_yet_resolved():
    frame = lines_frame([clerk(), line(title="Assistant", hours=D("20"))])
    with pytest.raises(ValueError) as caught:
        exact_fte(frame)
    assert str(caught.value) == ("a post given in hours alone has no fte until its employer's "
                                 "full-time hours are known (resolve_hours)")


def test_exact_fte_of_frames_joined_with_several_denominators():
    joined = pd.concat([lines_frame([clerk()]), lines_frame([clerk(fte=D("0.12345"))]),
                        lines_frame([clerk(fte=D("0.75"))])], ignore_index=True)
    assert numbers(joined["fte_den"]) == [10000, 20000, 10000]
    num, den = exact_fte(joined)
    assert (numbers(num), den) == ([10000, 2469, 15000], 20000)
    assert num.dtype == np.int64  # int64 holds them: no Python integers
    assert [fte_fraction(joined, i) for i in range(3)] == [
        Fraction(1, 2), Fraction(2469, 20000), Fraction(3, 4)]


def test_exact_fte_of_one_line_and_one_denominator():
    frame = pd.DataFrame({"fte_num": [3], "fte_den": [7]})
    num, den = exact_fte(frame)
    assert (numbers(num), den) == ([3], 7)


def raw(nums, dens) -> pd.DataFrame:
    return pd.DataFrame({"fte_num": np.array(nums, dtype=np.int64),
                         "fte_den": np.array(dens, dtype=np.int64)})


def test_exact_fte_with_a_denominator_too_wide_for_int64_goes_to_python_integers():
    # lcm 3 x 2**61 (above 2**62): the factors are Python integers, the numerators too
    num, den = exact_fte(raw([1, 1], [2 ** 61, 3]))
    assert den == 3 * 2 ** 61
    assert [int(v) for v in num] == [3, 2 ** 61]
    assert num.dtype == object
    # lcm 5 x 2**62 (above int64 itself): still exact
    num, den = exact_fte(raw([1, 2], [2 ** 62, 5]))
    assert den == 5 * 2 ** 62
    assert [int(v) for v in num] == [5, 2 ** 63]
    assert all(type(v) is int for v in num)


def test_exact_fte_with_numerators_too_wide_for_int64_goes_to_python_integers():
    # lcm 2**40 x 3 (fits), but 2**30 x 2**40 would overflow once widened
    num, den = exact_fte(raw([2 ** 30, 1], [3, 2 ** 40]))
    assert den == 3 * 2 ** 40
    assert [int(v) for v in num] == [2 ** 70, 3]
    assert num.dtype == object
    # just under the bound: int64
    num, den = exact_fte(raw([2 ** 21 - 1, 1], [3, 2 ** 40]))
    assert [int(v) for v in num] == [(2 ** 21 - 1) * 2 ** 40, 3]
    assert num.dtype == np.int64


def test_exact_fte_at_the_bound_of_the_widest_numerator():
    # widest = |num| x (lcm / smallest denominator) = 2**62 exactly: Python integers
    num, _ = exact_fte(raw([2 ** 22, 1], [3, 2 ** 40]))
    assert [int(v) for v in num] == [2 ** 62, 3]
    assert num.dtype == object
    num, _ = exact_fte(raw([-(2 ** 22), 1], [3, 2 ** 40]))
    assert [int(v) for v in num] == [-(2 ** 62), 3]
    assert num.dtype == object


# --- resolve_hours ---------------------------------------------------------------------------

def test_a_frame_without_hours_is_returned_as_it_is_and_full_time_hours_not_asked():
    frame = lines_frame([clerk()], [honorarium()])
    ask, asked = full_time()
    resolved, conflicts = resolve_hours(frame, ask)
    assert resolved is frame and conflicts == [] and asked == []
    empty = lines_frame([])
    assert resolve_hours(empty, ask)[0] is empty and asked == []
    old = frame.drop(columns=["hours_e6", "annual_hours_e6"])
    assert resolve_hours(old, ask)[0] is old and asked == []


def test_posts_in_hours_a_week_and_a_year_get_their_exact_fte():
    frame = lines_frame([clerk(), line(title="Assistant", hours=D("20")),
                         line(title="Caretaker", annual_hours=D("500"))], [honorarium()])
    ask, asked = full_time()
    resolved, conflicts = resolve_hours(frame, ask, lambda: D("1924"))
    assert conflicts == []
    assert len(asked) == 1
    common = 1_924_000_000
    assert numbers(resolved["fte_den"]) == [common] * 4
    assert numbers(resolved["fte_num"]) == [common // 2, common * 20 // 37, common * 500 // 1924,
                                            common]
    assert numbers(resolved["fte_e4"]) == [5000, 5405, 2599, 10000]
    assert [fte_fraction(resolved, i) for i in range(4)] == [
        Fraction(1, 2), Fraction(20, 37), Fraction(125, 481), Fraction(1)]
    assert resolved["fte_num"].dtype == np.int64
    # the frame given is not changed
    assert numbers(frame["fte_den"]) == [10000, 0, 0, 10000]


def test_only_the_basis_a_line_needs_is_asked():
    frame = lines_frame([line(title="Caretaker", annual_hours=D("481"))])

    def never():
        raise AssertionError("full-time hours asked for hours a year only")
    resolved, _ = resolve_hours(frame, never, lambda: D("1924"))
    assert fte_fraction(resolved, 0) == Fraction(1, 4)
    assert numbers(resolved["fte_e4"]) == [2500]
    week = lines_frame([line(title="Assistant", hours=D("18.5"))])
    resolved, _ = resolve_hours(week, full_time()[0])  # no annual basis needed
    assert fte_fraction(resolved, 0) == Fraction(1, 2)
    assert numbers(resolved["fte_den"]) == [37_000_000]
    assert numbers(resolved["fte_num"]) == [18_500_000]


def test_hours_a_year_without_the_annual_basis_is_refused_in_full():
    frame = lines_frame([line(title="Caretaker", annual_hours=D("500"))])
    with pytest.raises(ValueError) as caught:
        resolve_hours(frame, full_time()[0])
    assert str(caught.value) == "posts in hours a year need the rule's annual hours basis"


def test_a_typed_fte_beside_hours_agrees_or_is_a_conflict_and_hours_win():
    frame = lines_frame([line(title="A", fte=D("0.54"), hours=D("20")),
                         line(title="B", fte=D("0.55"), hours=D("20")),
                         line(title="C", fte=D("0.5"))])
    resolved, conflicts = resolve_hours(frame, full_time()[0])
    assert conflicts == [(1, Fraction(11, 20), Fraction(20, 37))]
    assert [fte_fraction(resolved, i) for i in range(3)] == [
        Fraction(20, 37), Fraction(20, 37), Fraction(1, 2)]
    assert numbers(resolved["fte_e4"]) == [5405, 5405, 5000]
    assert numbers(resolved["fte_den"]) == [37_000_000] * 3


def test_hours_whose_common_denominator_passes_2_62_give_python_integers():
    # a 12-place fte (10**12) beside 5.000001 full-time hours: lcm 5,000,001 x 10**12
    frame = lines_frame([line(title="A", fte=D("0.123456789011")),
                         line(title="B", hours=D("2"))])
    resolved, _ = resolve_hours(frame, lambda: D("5.000001"))
    assert numbers(resolved["fte_den"]) == [5_000_001 * 10 ** 12] * 2
    assert fte_fraction(resolved, 0) == Fraction(D("0.123456789011"))
    assert fte_fraction(resolved, 1) == Fraction(2_000_000, 5_000_001)
    assert resolved["fte_num"].dtype == object
    num, den = exact_fte(resolved)
    assert den == 5_000_001 * 10 ** 12
    assert [int(v) for v in num] == [123456789011 * 5_000_001, 2 * 10 ** 18]


def test_a_wide_typed_fte_beside_hours_keeps_its_exact_fte():
    # Fixed: only the hours lines were checked against int64, so a typed 999,999.123456789011
    # fte widened to 37 x 10**13 overflowed (OverflowError, exit 70); and exact_fte read the
    # Python integers resolve_hours made back as int64 (OverflowError)
    frame = lines_frame([line(title="Big", fte=D("999999.123456789011")),
                         line(title="B", hours=D("20"))])
    resolved, _ = resolve_hours(frame, full_time()[0])
    assert resolved["fte_num"].dtype == object
    assert fte_fraction(resolved, 0) == Fraction(D("999999.123456789011"))
    assert fte_fraction(resolved, 1) == Fraction(20, 37)
    num, den = exact_fte(resolved)
    assert den == 37 * 10 ** 12
    assert [int(v) for v in num] == [999999123456789011 * 37, 20 * 10 ** 12]
    assert num.dtype == object
    # a typed fte int64 holds once widened stays int64
    frame = lines_frame([line(title="Big", fte=D("124649.646145")),
                         line(title="B", hours=D("20"))])
    resolved, _ = resolve_hours(frame, full_time()[0])
    assert numbers(resolved["fte_num"]) == [124649646145 * 37_000_000 // 10 ** 6,
                                            20 * 10 ** 6]
    assert resolved["fte_num"].dtype == np.int64


def test_a_wide_typed_fte_beside_hours_costs():
    basis = PayBasis("nottinghamshire", 2019, rule="salary-only", round_to="penny")
    posts = [Post("Big", grade="Grade 5", scp=20, fte="999999.123456789011"),
             Post("Clerk", grade="Grade 5", scp=20, hours=20)]
    # 25,295 x (999,999.123456789011 + 20/37), to the penny
    assert cost(Structure("s", posts), basis).full_year == Decimal("25294991500.81")


def test_an_annual_basis_of_more_than_six_places_is_exact():
    # Fixed: the basis was cut to 6 places (37 x 52.1428571 = 1,929.2857127 -> 1,929.285712)
    frame = lines_frame([line(title="Caretaker", annual_hours=D("500")),
                         line(title="Assistant", hours=D("20"))])
    resolved, _ = resolve_hours(frame, lambda: D("37.0000001"),
                                lambda: D("37") * D("52.1428571"))
    assert fte_fraction(resolved, 0) == Fraction(500) / Fraction(D("1929.2857127"))
    assert fte_fraction(resolved, 1) == Fraction(20) / Fraction(D("37.0000001"))
    assert numbers(resolved["fte_e4"]) == [2592, 5405]


# --- posts_from_frame: structure -> frame -> structure ---------------------------------------

def test_the_round_trip_loses_nothing():
    posts = [clerk(), clerk(reference=None, scp=None, fte=D("0.12345"), grade="", start=None,
                            end=None, increment_date=None, reports_to=None, salary=None,
                            salary_min=None, salary_max=None, headcount=None, funding=(),
                            status="filled", notes=""),
             line(title="Assistant", hours=D("20.5"), team="Office", cost_per_fte=D("24000")),
             line(title="Caretaker", annual_hours=D("500"), cost_per_fte=D("0")),
             line(title="Chair", fte=D("1"), unpriced="not disclosed"),
             line(title="Vice", fte=D("1"), unpriced="none", cost_per_fte=D("0"))]
    payments = [honorarium(), Payment(title="Allowance", amount=D("500"))]
    back_posts, back_payments = posts_from_frame(lines_frame(posts, payments))
    assert back_posts == posts[:4] + [posts[4], posts[5].evolve(cost_per_fte=None)]
    assert back_payments == payments
    assert back_posts[1].fte == D("0.12345")
    assert back_posts[3].cost_per_fte == D("0")
    assert back_posts[0].cost_per_fte == D("30000.50")
    assert back_posts[0].salary == D("15000.25")
    assert back_payments[0].amount == D("-12.34")
    assert back_posts[2].hours == D("20.5") and back_posts[2].fte is None
    assert back_posts[0].headcount == 2 and back_posts[1].headcount is None


def test_sources_go_to_their_rows_and_the_rest_have_none():
    here = Location("a.toml", line=3)
    posts, payments = posts_from_frame(lines_frame([clerk(), clerk(reference="P2")],
                                                   [honorarium()]), [here])
    assert posts[0].source == here
    assert posts[1].source is None and payments[0].source is None
    posts, payments = posts_from_frame(lines_frame([clerk()], [honorarium()]))
    assert posts[0].source is None and payments[0].source is None


def test_light_views_instead_of_records():
    posts, payments = posts_from_frame(lines_frame([clerk()], [honorarium()]),
                                       post=SimpleNamespace, payment=SimpleNamespace)
    assert posts[0].title == "Clerk" and posts[0].fte == D("0.5")
    assert posts[0].funding[1].source == "grant" and posts[0].funding[1].percent == D(40)
    assert payments[0].amount == D("-12.34") and payments[0].per == "total"
    assert payments[0].team == "Office" and payments[0].notes == "once"
    assert payments[0].reference == "H1"
    assert payments[0].start == START and payments[0].end == END
    assert payments[0].funding[0].source == "core"


def test_a_resolved_post_in_hours_comes_back_in_hours_with_its_decimal_fte():
    frame = lines_frame([line(title="A", hours=D("18.5")), line(title="B", hours=D("20"))])
    resolved, _ = resolve_hours(frame, full_time()[0])
    posts, _ = posts_from_frame(resolved)
    assert posts[0].fte == D("0.5") and posts[0].hours == D("18.5")
    assert posts[1].fte is None and posts[1].hours == D("20")  # 20/37 is no decimal


def test_a_frame_laid_out_before_the_newer_columns_still_reads():
    frame = lines_frame([clerk(headcount=None)]).drop(
        columns=["fte_num", "fte_den", "hours_e6", "headcount", "annual_hours_e6",
                 "unpriced"])
    posts, _ = posts_from_frame(frame)
    assert posts == [clerk(headcount=None)]
    assert posts[0].fte == D("0.5") and posts[0].unpriced == ""


def test_a_missing_text_read_as_nan_is_none_and_a_cost_of_none_is_none():
    frame = lines_frame([clerk(), clerk(reference="P2", cost_per_fte=None)])
    frame["reference"] = pd.Series([np.nan, "P2"], dtype=object)
    frame["reports_to"] = pd.Series([np.nan, None], dtype=object)
    frame.loc[0, "unpriced"] = None
    posts, _ = posts_from_frame(frame)
    assert posts[0].reference is None and posts[0].reports_to is None
    assert posts[1].reference == "P2" and posts[1].reports_to is None
    assert posts[0].unpriced == ""
    assert posts[1].cost_per_fte is None


def test_a_basis_of_many_places_has_a_denominator_past_int64():
    # Fixed (this change): 37 x 52.142857142857 (365/7 to 12 places) x 10**6 has a
    # 16-digit numerator: with a typed fte's 10**4 the frame's denominator passes int64 and
    # is kept as a Python integer (it was an OverflowError once the basis was exact)
    frame = lines_frame([line(title="Clerk", annual_hours=D("500")),
                         line(title="Aide", fte=D("0.5"))])
    basis = D("37") * D("52.142857142857")
    resolved, _ = resolve_hours(frame, full_time()[0], lambda: basis)
    common = 1929285714285709 * 10 ** 4
    assert [int(v) for v in resolved["fte_den"]] == [common, common]
    assert resolved["fte_den"].dtype == object
    assert fte_fraction(resolved, 0) == Fraction(500) / Fraction(basis)
    assert fte_fraction(resolved, 1) == Fraction(1, 2)
    num, den = exact_fte(resolved)
    assert den == common
    assert [int(v) for v in num] == [5 * 10 ** 18, common // 2]


def test_a_basis_of_many_places_costs(tmp_path):
    folder = tmp_path / "council"
    shutil.copytree(Path(pay_scales.__file__).parent / "data" / "employers" / "nottinghamshire",
                    folder)
    with (folder / "employer.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[rules.weeks]\ndescription = "salary only, 365/7 weeks"\nni = false\n'
                     'oncosts = []\nweeks_a_year = "52.142857142857"\nround_to = "penny"\n'
                     'basis = "stated"\nsource = "a test"\n')
    basis = PayBasis(str(folder), pay_year=2025, rule="weeks")
    posts = [Post("Clerk", annual_hours=500, salary=24000, reference="C1"),
             Post("Aide", fte="0.5", salary=24000, reference="A1")]
    # 24,000 x 500 / 1,929.285714285709 = 6,219.9185... -> 6,219.92; + 12,000
    assert cost(Structure("s", posts), basis).full_year == Decimal("18219.92")


def test_columns_held_as_python_integers_are_read_as_int64():
    frame = pd.DataFrame({"fte_num": pd.Series([1, 3], dtype=object),
                          "fte_den": pd.Series([2, 4], dtype=object)})
    num, den = exact_fte(frame)
    assert ([int(v) for v in num], den) == ([2, 3], 4)
    old = pd.DataFrame({"fte_e4": pd.Series([5000, 2500], dtype=object)})
    num, den = exact_fte(old)
    assert (num.dtype, numbers(num), den) == (np.int64, [5000, 2500], 10000)


def test_exact_fte_stays_int64_just_below_the_bound():
    # widest 2**62 - 2 (int64 holds every sum of two): int64
    num, den = exact_fte(raw([2 ** 61 - 1, 1], [1, 2]))
    assert (numbers(num), den) == ([2 ** 62 - 2, 1], 2)
    assert num.dtype == np.int64


def test_numerators_past_2_62_after_resolving_are_python_integers():
    # 999,999.123456789011 over 7 x 10**12 (full-time hours 7): 6.99...e18, inside int64 but
    # past 2**62, where a sum of two would overflow: Python integers
    frame = lines_frame([line(title="Big", fte=D("999999.123456789011")),
                         line(title="B", hours=D("1"))])
    resolved, _ = resolve_hours(frame, lambda: D("7"))
    assert resolved["fte_num"].dtype == object
    assert [int(v) for v in resolved["fte_num"]] == [999999123456789011 * 7, 10 ** 12]


def test_a_typed_numerator_widened_past_int64_stays_exact():
    # 2,500 fte over 10**4, widened by 370,000,000,001 (full-time hours 37.0000000001):
    # 9.25e18, past int64: exact, not wrapped
    frame = lines_frame([line(title="Many", fte=D("2500")), line(title="B", hours=D("37"))])
    resolved, _ = resolve_hours(frame, lambda: D("37.0000000001"))
    assert fte_fraction(resolved, 0) == 2500
    assert fte_fraction(resolved, 1) == Fraction(370000000000, 370000000001)


def test_a_typed_fte_over_a_denominator_of_one_is_still_typed():
    frame = pd.DataFrame({"fte_num": [1, 2], "fte_den": [1, 1], "fte_e4": [10000, 20000],
                          "hours_e6": [37_000_000, 37_000_000]})
    resolved, conflicts = resolve_hours(frame, full_time()[0])
    assert conflicts == [(1, Fraction(2), Fraction(1))]
    assert numbers(resolved["fte_e4"]) == [10000, 10000]


def test_a_payment_s_source_goes_to_the_payment():
    here, there = Location("a.toml", line=3), Location("a.toml", line=9)
    posts, payments = posts_from_frame(lines_frame([clerk()], [honorarium()]), [here, there])
    assert posts[0].source == here and payments[0].source == there


def test_a_free_line_without_the_unpriced_column_keeps_its_cost_of_nothing():
    frame = lines_frame([clerk(cost_per_fte=D("0"))]).drop(columns=["unpriced"])
    posts, _ = posts_from_frame(frame)
    assert posts[0].cost_per_fte == D("0")


def test_int32_columns_are_widened_to_int64_before_the_arithmetic():
    # 2**20 over 1 and 1 over 4,096: 2**32 once widened, which int32 cannot hold
    frame = pd.DataFrame({"fte_num": np.array([2 ** 20, 1], dtype=np.int32),
                          "fte_den": np.array([1, 4096], dtype=np.int32)})
    num, den = exact_fte(frame)
    assert (numbers(num), den) == ([2 ** 32, 1], 4096)
    # denominators 2**30 and 3: the lcm 3 x 2**30 is past int32
    frame = pd.DataFrame({"fte_num": np.array([1, 1], dtype=np.int32),
                          "fte_den": np.array([2 ** 30, 3], dtype=np.int32)})
    num, den = exact_fte(frame)
    assert (numbers(num), den) == ([3, 2 ** 30], 3 * 2 ** 30)


def test_resolved_columns_are_int64():
    frame = lines_frame([clerk(), line(title="Assistant", hours=D("20"))])
    resolved, _ = resolve_hours(frame, full_time()[0])
    for column in ("fte_num", "fte_den", "fte_e4"):
        assert resolved[column].dtype == np.int64, column


def test_a_frame_in_hours_alone_has_the_full_time_hours_as_its_denominator():
    frame = lines_frame([line(title="A", hours=D("20")), line(title="B", hours=D("1"))])
    resolved, _ = resolve_hours(frame, lambda: D("37.000001"))
    assert numbers(resolved["fte_den"]) == [37_000_001] * 2
    assert numbers(resolved["fte_num"]) == [20_000_000, 1_000_000]


def test_a_week_and_a_year_over_one_denominator_exactly():
    # the common denominator 19,292,857,127,000,000 is past a float's 2**53: each
    # numerator is put over it in whole numbers (a float would be 1 out)
    frame = lines_frame([line(title="Clerk", annual_hours=D("500")),
                         line(title="Aide", hours=D("20.000001"))])
    resolved, _ = resolve_hours(frame, full_time()[0], lambda: D("37") * D("52.1428571"))
    assert numbers(resolved["fte_den"]) == [19_292_857_127_000_000] * 2
    assert fte_fraction(resolved, 0) == Fraction(500) / Fraction(D("1929.2857127"))
    assert fte_fraction(resolved, 1) == Fraction(20_000_001, 37_000_000)
    assert numbers(resolved["fte_num"])[1] == 10_428_571_941_428_571


def test_a_denominator_between_2_63_and_2_64_is_a_python_integer_not_unsigned():
    # 12 places beside 10.000001 full-time hours: 10,000,001 x 10**12 = 1.0000001e19
    frame = lines_frame([line(title="A", fte=D("0.123456789011")),
                         line(title="B", hours=D("5"))])
    resolved, _ = resolve_hours(frame, lambda: D("10.000001"))
    common = 10_000_001 * 10 ** 12
    assert 2 ** 63 < common < 2 ** 64
    assert resolved["fte_den"].dtype == object
    num, den = exact_fte(resolved)
    assert den == common
    assert [int(v) for v in num] == [123456789011 * 10_000_001, 5 * 10 ** 18]


def test_int32_columns_come_back_int64():
    # one denominator: the numerators are returned as they are, so as int64
    frame = pd.DataFrame({"fte_num": np.array([1, 3], dtype=np.int32),
                          "fte_den": np.array([4, 4], dtype=np.int32)})
    num, den = exact_fte(frame)
    assert (numbers(num), den, num.dtype) == ([1, 3], 4, np.int64)
    frame = pd.DataFrame({"fte_num": np.array([1, 0], dtype=np.int32),
                          "fte_den": np.array([2, 0], dtype=np.int32),
                          "fte_e4": np.array([5000, 0], dtype=np.int32),
                          "hours_e6": np.array([NONE, 37_000_000], dtype=np.int64)})
    resolved, _ = resolve_hours(frame, full_time()[0])
    for column in ("fte_num", "fte_den", "fte_e4"):
        assert resolved[column].dtype == np.int64, column
    assert numbers(resolved["fte_e4"]) == [5000, 10000]
