"""Records validate themselves: every message names the field, what was expected, what was got."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from establishment import Payment, Post, Structure, ValidationError


class TestPost:
    def test_fte_is_exact(self):
        assert Post("Officer", "1.5", "Grade 3").fte == Decimal("1.5")
        assert Post("Officer", 2, "Grade 3").fte == 2

    @pytest.mark.parametrize("fte, message", [
        (0, "post Officer: 'fte' must be > 0 (got Decimal('0'))"),
        ("-1", "post Officer: 'fte' must be > 0 (got Decimal('-1'))"),
        ("0.1234567890123", "'fte' must be a number with at most 12 decimal places"),
        (1.5, "'fte' must be a Decimal, int or str such as '1.5' (never a float) (got 1.5)"),
        ("one", "'fte' must be a number such as 1 or 0.5 (no commas, £, _ separators, "
                "exponents or spaces) (got 'one')"),
    ])
    def test_bad_fte(self, fte, message):
        with pytest.raises(ValidationError) as info:
            Post("Officer", fte, "Grade 3")
        assert message in str(info.value)
        assert info.value.field == "fte"

    def test_end_before_start(self):
        with pytest.raises(ValidationError, match=r"post R1: 'end' must be on or after start "
                           r"\(2019-01-01\) \(got '2018-12-31'\)"):
            Post("Officer", 1, "Grade 3", start="2019-01-01", end="2018-12-31", reference="R1")

    def test_bad_status(self):
        with pytest.raises(ValidationError, match="'status' must be 'filled' or 'vacant' "
                           "\\(got 'empty'\\)"):
            Post("Officer", 1, "Grade 3", status="empty")

    @pytest.mark.parametrize("scp", [0, "x", 1.0])
    def test_bad_scp(self, scp):
        with pytest.raises(ValidationError, match="'scp' must be a"):
            Post("Officer", 1, "Grade 3", scp=scp)

    def test_blank_title_and_grade(self):
        with pytest.raises(ValidationError, match="'title' must be a non-empty title"):
            Post(" ", 1, "Grade 3")
        with pytest.raises(ValidationError, match="'grade' must be a grade name"):
            Post("Officer", 1, "")

    def test_funding_must_sum_to_100(self):
        with pytest.raises(ValidationError, match=r"'funding' must be percentages summing to "
                           r"100 \(got '60 \+ 30 = 90'\)"):
            Post("Officer", 1, "Grade 3", funding={"Core": 60, "Grant": 30})

    def test_funding_forms(self):
        one = Post("Officer", 1, "Grade 3", funding="Core")
        assert [(s.source, s.percent) for s in one.funding] == [("Core", 100)]
        two = Post("Officer", 1, "Grade 3", funding={"Core": "62.5", "Grant": "37.5"})
        assert [str(s) for s in two.funding] == ["Core 62.5%", "Grant 37.5%"]

    def test_pay_range_order(self):
        with pytest.raises(ValidationError, match="'salary_min' must be <= salary_max"):
            Post("Officer", 1, "G7", salary_min=50000, salary_max=40000)

    def test_temporary_and_active(self):
        post = Post("Officer", 1, "Grade 3", start=dt.date(2018, 7, 1), end=dt.date(2019, 3, 31))
        assert post.temporary
        assert post.active_on(dt.date(2018, 7, 1)) and not post.active_on(dt.date(2019, 4, 1))

    def test_posts_are_immutable(self):
        post = Post("Officer", 1, "Grade 3")
        with pytest.raises(AttributeError):
            post.fte = Decimal(2)  # type: ignore[misc]
        assert post.evolve(fte=2).fte == 2 and post.fte == 1

    def test_an_unpriced_post_keeps_its_cost_per_fte_and_is_priced_at_nothing(self):
        """It no longer rewrites its own cost_per_fte after it is made: the engine prices it
        at £0, and a frame-backed copy of it is the same post."""
        from establishment import PayBasis, cost
        from establishment.model.frame import lines_frame
        post = Post("Director", 1, "Hay Band A", reference="D", unpriced="not disclosed")
        assert post.cost_per_fte is None
        assert Post("Director", 1, "Hay Band A", cost_per_fte=0, unpriced="none"
                    ).cost_per_fte == 0
        paid = Post("Officer", 1, "Hay Band A", scp=34, reference="O")
        structure = Structure("s", [post, paid])
        assert int(lines_frame([post])["cost_per_fte_pence"].iloc[0]) == 0
        basis = PayBasis("nottinghamshire", pay_year=2018, rule="njc")
        assert cost(structure, basis).full_year == cost(Structure("s", [paid]), basis).full_year
        assert Structure.from_lines(structure.to_frame(), "s").posts == structure.posts

    def test_a_text_field_refuses_what_is_not_text_naming_it(self):
        assert Post("Officer", 1, 4).grade == "4"  # a number a file gave for a grade
        for bad in ([1], {"a": 1}, True, dt.date(2019, 4, 1)):
            with pytest.raises(ValidationError) as caught:
                Post("Officer", 1, bad)
            assert caught.value.field == "grade"


class TestPayment:
    def test_total_needs_dates(self):
        with pytest.raises(ValidationError, match="'start' must be set, with end, for a "
                           "payment per 'total'"):
            Payment("Honorarium", 3161, per="total")

    def test_pence_only(self):
        with pytest.raises(ValidationError, match="'amount' must be pounds and pence"):
            Payment("Allowance", "10.001")

    def test_bad_per(self):
        with pytest.raises(ValidationError, match="'per' must be 'year' or 'total'"):
            Payment("Allowance", 100, per="month")


class TestStructure:
    def test_duplicate_reference(self):
        with pytest.raises(ValidationError, match="'reference' must be unique among the "
                           "posts of a structure \\(got 'A'\\)"):
            Structure("s", [Post("X", 1, "Grade 3", reference="A"),
                            Post("Y", 1, "Grade 3", reference="A")])

    def test_duplicate_payment_reference(self):
        with pytest.raises(ValidationError, match="'reference' must be unique among the "
                           "payments of a structure \\(got 'H'\\)"):
            Structure("s", payments=[Payment("A", 1, reference="H"),
                                     Payment("B", 2, reference="H")])

    def test_only_records(self):
        with pytest.raises(ValidationError, match="'posts' must be Post records"):
            Structure("s", [{"title": "X"}])

    def test_as_of_drops_ended_and_future_posts(self):
        structure = Structure("s", [
            Post("Old", 1, "Grade 3", end="2018-06-30"),
            Post("Now", 1, "Grade 3"),
            Post("Later", 1, "Grade 3", start="2019-01-01"),
        ])
        assert [p.title for p in structure.as_of(dt.date(2018, 7, 1)).posts] == ["Now"]
        assert structure.fte == 3


class TestPayBasis:
    @pytest.mark.parametrize("field, value, message", [
        ("rule", [], "'rule' must be an on-cost rule name (text) (got [])"),
        ("employer", 3, "'employer' must be an employer key or folder (text) (got 3)"),
        ("costed_rates", "yes", "'costed_rates' must be true or false (got 'yes')"),
        ("point", "middle", "'point' must be top | bottom | actual (got 'middle')"),
    ])
    def test_bad_fields_are_named(self, field, value, message):
        from establishment import PayBasis

        with pytest.raises(ValidationError) as info:
            PayBasis(**{field: value})
        assert message in str(info.value)
