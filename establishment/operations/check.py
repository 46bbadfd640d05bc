"""Checking posts against an employer's pay data, before costing them.

Loading checks what a file can say on its own (numbers, dates, required fields); whether a
grade exists and an scp lies inside its grade depends on the employer and pay year, so it is
checked here against a :class:`PayBasis`. Each check asks the same question the costing engine
will ask (:func:`establishment.engine.costing.unit_cost_for_key`), so a structure that passes can be
costed on that basis, and each failure is a located :class:`Problem` naming the grade, the
closest known grade names or the grade's range.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import pay_scales
from establishment.engine.costing import unit_cost_for_key
from establishment.errors import Problem
from establishment.model.frame import NONE
from establishment.model.pay_basis import PayBasis
from establishment.model.structure import Structure


def _pence(value: Decimal | None) -> int:
    if value is None:
        return NONE
    return int(value * 100)


class PostChecker:
    """Answers "can a post with these grade/scp/cost fields be costed on this basis?",
    once per distinct combination."""

    def __init__(self, basis: PayBasis) -> None:
        """Raises PayScaleError when the basis itself cannot cost anything (an unknown
        employer or on-cost rule, a rule outside its pay years): that is one problem of the
        options, not one per post blamed on each post's grade."""
        self.basis = basis
        self.employer = basis.load_employer()
        self.employer.rule(basis.rule).check_pay_year(basis.pay_year)
        self.employer.check_spine_covers(basis.pay_year, basis.rule)
        self.answers: dict[tuple, tuple[str, str] | None] = {}

    def check(self, values: Mapping[str, Any]) -> tuple[str, str] | None:
        """``(field, message)`` when the post cannot be costed, else None. An unpriced post
        (``unpriced`` given) is priced at £0 and never looked up."""
        if values.get("unpriced"):
            return None
        scp = values.get("scp")
        key = (values.get("grade") or "", NONE if scp is None else scp,
               _pence(values.get("cost_per_fte")), _pence(values.get("salary")),
               _pence(values.get("salary_min")), _pence(values.get("salary_max")))
        if key not in self.answers:
            try:
                unit_cost_for_key(self.employer, self.basis, key, self.basis.pay_year)
                self.answers[key] = None
            except pay_scales.PayScaleError as err:
                field = err.field if err.field in ("grade", "scp") else "grade"
                self.answers[key] = (field, err.message)
            except (ValueError, ArithmeticError) as err:
                self.answers[key] = ("grade", str(err))
        return self.answers[key]


def check_structure(structure: Structure, basis: PayBasis, *, where: str = "",
                    lines: Sequence[int | None] = ()) -> list[Problem]:
    """Every post that cannot be costed on ``basis``, as ``file:line: [grade|scp] message``.

    ``lines`` gives each post's line (or sheet row) in the file it came from; without it,
    each post's own ``source`` (where it was read) says.
    """
    where = where or structure.name or "structure"
    try:
        checker = PostChecker(basis)
    except pay_scales.PayScaleError as err:
        return [Problem(where, None, str(err), err.field or "employer")]
    failed: dict[tuple[str, str], list[tuple[int | None, str]]] = {}
    for index, post in enumerate(structure.posts):
        found = checker.check({k: getattr(post, k) for k in (
            "grade", "scp", "cost_per_fte", "salary", "salary_min", "salary_max", "unpriced")})
        if found is not None:
            line = lines[index] if index < len(lines) else (
                post.source.line if post.source is not None else None)
            failed.setdefault(found, []).append((line, post.label))
    return [_problem(where, found, posts) for found, posts in failed.items()]


def _problem(where: str, found: tuple[str, str], posts: list[tuple[int | None, str]]
             ) -> Problem:
    """One problem per cause: a missing year of pay data stops every post alike, and is said
    once at the first post's line, naming how many more it stops."""
    line, label = posts[0]
    if len(posts) == 1:
        return Problem(where, line, f"{label}: {found[1]}", found[0])
    others = ", ".join(str(n) for n, _ in posts[1:4] if n is not None)
    more = f" (and line{'s' if len(posts) > 2 else ''} {others}" + (
        f" and {len(posts) - 4} more" if len(posts) > 4 else "") + ")" if others else ""
    return Problem(where, line, f"{label} and {len(posts) - 1} more post"
                   f"{'s' if len(posts) > 2 else ''}{more}: {found[1]}", found[0])
