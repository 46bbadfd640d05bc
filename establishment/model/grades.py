"""Grades by canonical name: "Band D", "Hay Band D" and "HB D" are one grade.

An employer's alias table (``employer.toml`` ``[aliases]``) names each grade's other
spellings. Every grouping, table and diff compares grades by the canonical name, so a
spelling-only change is no change and ``--by grade`` has one row per grade. A name the
employer does not know is kept as written (costing reports it, located).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from establishment.model.pay_basis import PayBasis
from pay_scales.errors import PayScaleError


def canonical_names(names: Iterable[str], basis: PayBasis) -> dict[str, str]:
    """Each distinct name -> its canonical grade name on ``basis``'s employer (as written when
    unknown or empty, or when the employer cannot be loaded)."""
    distinct = [n for n in dict.fromkeys(names) if isinstance(n, str)]
    try:
        grades = basis.load_employer().grades
    except PayScaleError:
        return {n: n for n in distinct}
    found = {}
    for name in distinct:
        try:
            found[name] = grades.resolve(name) if name.strip() else name
        except PayScaleError:
            found[name] = name
    return found


def canonical_grades(column: pd.Series | np.ndarray, basis: PayBasis) -> np.ndarray:
    """A column of grade names as canonical names (object array, same order); the aliases
    are resolved once per distinct name, so a million rows cost a few lookups."""
    # an object array, not a Series: pandas 3 would infer its string dtype, a copy of each cell
    codes, uniques = pd.factorize(np.asarray(column, dtype=object), use_na_sentinel=True)
    mapping = canonical_names(list(uniques), basis)
    resolved = np.array([mapping.get(u, u) for u in uniques] + [None], dtype=object)
    return resolved[codes]
