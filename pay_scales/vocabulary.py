"""The closed vocabularies of the pay data's rule keys, each defined once as a ``Literal``
type with the tuple of its words made from it (``typing.get_args``).

They live here, not in ``establishment``, because ``pay_scales`` validates its own rule files
and imports nothing of ``establishment``; :mod:`establishment.model.vocabulary` re-exports
them, and the command line's ``choices`` are these tuples. ``tests/test_one_rule.py`` fails
when any of these word sets is written out anywhere else.
"""

from __future__ import annotations

from typing import Literal, get_args

RoundTo = Literal["pound", "penny"]
"""The unit of the one rounding rule: whole pounds, or pence."""
ROUND_TO: tuple[RoundTo, ...] = get_args(RoundTo)

NiBasis = Literal["fte", "person"]
"""How employer NI is taken: on a full-time salary x fte (budgets), or per person (payroll)."""
NI_BASES: tuple[NiBasis, ...] = get_args(NiBasis)

ThresholdForm = Literal["annual", "monthly", "weekly"]
"""Which of HMRC's secondary-threshold figures a rule's NI is taken on."""
THRESHOLD_FORMS: tuple[ThresholdForm, ...] = get_args(ThresholdForm)

CostingPoint = Literal["top", "bottom", "actual"]
"""Which point of a grade a post is costed at: its top, its bottom, or the post's own scp."""
POINTS: tuple[CostingPoint, ...] = get_args(CostingPoint)
