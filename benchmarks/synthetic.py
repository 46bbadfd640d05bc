"""Synthetic establishments for the benchmark, built directly as engine frames.

A fixed seed makes every run cost the same posts. The frame is built in the engine's integer
form (``establishment.model.frame.POST_COLUMNS``: fte in ten-thousandths, money in pence, dates as
``datetime64[s]``) from numpy arrays, not from a million ``Post`` objects, because that is how
a large HR export reaches the engine in practice (a DataFrame from a file or a database).

Mix: every grade of the bundled employer that can be costed on the new spine in 2019/20 (each
post at a point of its grade), fte 1 / 0.5 / 1.5 / 0.8 / 0.6, 30% temporary (an end date inside
the year), 10% vacant, 5 funding sources, about 20 posts a team.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from establishment.model.frame import NONE, POST_COLUMNS
from establishment.model.funding import FundingShare

SEED = 20180618
PAY_YEAR = 2019


def costable_points(pay_year: int = PAY_YEAR, employer: str = "nottinghamshire",
                    width: int = 5) -> dict[str, list[int]]:
    """Grade -> the scps a post of it may hold in ``pay_year``, read from the employer's data
    (so the benchmark covers every grade the bundled employer can cost, and follows its data):
    a grade with no known bottom takes the ``width`` points up to its top; one with no known
    top runs to the spine's highest point. Grades with no known range are left out."""
    import datetime as dt

    import pay_scales

    council = pay_scales.load_employer(employer)
    day = dt.date(pay_year, 4, 1)
    table_points = [scp for (effective, scp) in council.spine.points
                    if effective == council.spine.table_date(day)]
    points = {}
    for grade in council.grades.names:
        try:
            found = council.grade_range(grade, day)
        except pay_scales.PayScaleError:  # no range on this spine and date
            continue
        if found.scp_min is None and found.scp_max is None:
            continue
        top = found.scp_max if found.scp_max is not None else max(table_points)
        low = found.scp_min if found.scp_min is not None else top - width + 1
        points[grade] = list(range(low, top + 1))
    return points


GRADES = costable_points()
SOURCES = ["Core budget", "Grant", "Health", "Public health", "Contingency"]
FTES = np.array([10_000, 5_000, 15_000, 8_000, 6_000])
FTE_WEIGHTS = np.array([0.6, 0.15, 0.1, 0.1, 0.05])
TITLES = np.array(["Social Worker", "Team Manager", "Assessment Officer", "Business Support",
                   "Reviewing Officer", "Commissioning Officer"], dtype=object)


def _funding_tuples() -> list[tuple[FundingShare, ...]]:
    from decimal import Decimal

    return [(FundingShare(name, Decimal(100)),) for name in SOURCES]


def synthetic_frame(posts: int, seed: int = SEED, categorical: bool = True) -> pd.DataFrame:
    """``posts`` post lines in the engine's frame form (deterministic for a seed).

    Text columns with few distinct values (grade, team, title, status...) are pandas
    categoricals by default: integer codes, the integer form of text, as a frame read from a
    large file should hold them; ``categorical=False`` gives plain object columns."""
    rng = np.random.default_rng(seed)
    grade_names = np.array(list(GRADES), dtype=object)
    grade_index = rng.integers(0, len(grade_names), posts)
    scp = np.empty(posts, dtype=np.int64)
    for index, points in enumerate(GRADES.values()):
        rows = grade_index == index
        scp[rows] = rng.choice(points, rows.sum())
    fte = rng.choice(FTES, posts, p=FTE_WEIGHTS)
    teams = max(posts // 20, 1)
    team_names = np.array([f"Team {i:06d}" for i in range(teams)], dtype=object)
    team = team_names[np.sort(rng.integers(0, teams, posts))]
    funding_values = np.empty(len(SOURCES), dtype=object)
    funding_values[:] = _funding_tuples()
    funding = funding_values[rng.integers(0, len(SOURCES), posts)]
    year_start = np.datetime64(f"{PAY_YEAR}-04-01", "D")
    temporary = rng.random(posts) < 0.30
    vacant = rng.random(posts) < 0.10
    late_start = rng.random(posts) < 0.10
    start = np.where(late_start, year_start + rng.integers(0, 180, posts),
                     np.datetime64("NaT", "D"))
    end_offset = rng.integers(200, 365, posts)
    end = np.where(temporary, year_start + end_offset, np.datetime64("NaT", "D"))
    frame = pd.DataFrame({
        "kind": np.full(posts, "post", dtype=object),
        "reference": np.array([f"P{i:07d}" for i in range(posts)], dtype=object),
        "title": TITLES[rng.integers(0, len(TITLES), posts)],
        "team": team,
        "grade": grade_names[grade_index],
        "scp": scp,
        "fte_e4": fte.astype(np.int64),
        "funding": funding,
        "start": start.astype("datetime64[s]"),
        "end": end.astype("datetime64[s]"),
        "status": np.where(vacant, "vacant", "filled").astype(object),
        "cost_per_fte_pence": np.full(posts, NONE, dtype=np.int64),
        "salary_pence": np.full(posts, NONE, dtype=np.int64),
        "salary_min_pence": np.full(posts, NONE, dtype=np.int64),
        "salary_max_pence": np.full(posts, NONE, dtype=np.int64),
        "reports_to": np.full(posts, None, dtype=object),
        "increment_date": np.full(posts, np.datetime64("NaT"), dtype="datetime64[s]"),
        "notes": np.full(posts, "", dtype=object),
        "per": np.full(posts, "", dtype=object),
        # exact fte: numerators over one denominator (ten-thousandths here)
        "fte_num": fte.astype(np.int64),
        "fte_den": np.full(posts, 10_000, dtype=np.int64),
        "hours_e6": np.full(posts, NONE, dtype=np.int64),
        "annual_hours_e6": np.full(posts, NONE, dtype=np.int64),
        "headcount": np.full(posts, NONE, dtype=np.int64),
    })
    for column in POST_COLUMNS:  # a column added to the frame layout later: a plain default
        if column not in frame:
            frame[column] = np.full(posts, "", dtype=object)
    if categorical:
        for column in ("kind", "title", "team", "grade", "status", "per", "notes"):
            frame[column] = frame[column].astype("category")
    return frame[POST_COLUMNS]


def changed_copy(frame: pd.DataFrame, share: float = 0.10, seed: int = SEED + 1) -> pd.DataFrame:
    """A copy with ``share`` of posts changed: a quarter each regraded (one grade up, top
    point), fte changed, disestablished (removed) and new (added at the end)."""
    rng = np.random.default_rng(seed)
    posts = len(frame)
    chosen = rng.permutation(posts)[: int(posts * share)]
    regrade, refte, remove, add = np.array_split(chosen, 4)
    after = frame.copy()
    names = list(GRADES)
    up = {g: names[min(i + 1, len(names) - 2)] for i, g in enumerate(names)}
    grades = after["grade"].to_numpy(dtype=object).copy()
    scps = after["scp"].to_numpy().copy()
    for row in regrade:
        grades[row] = up[grades[row]]
        scps[row] = GRADES[grades[row]][-1]
    after["grade"] = grades
    after["scp"] = scps
    fte = after["fte_e4"].to_numpy().copy()
    fte[refte] = np.where(fte[refte] == 10_000, 5_000, 10_000)
    after["fte_e4"] = fte
    after["fte_num"] = fte
    new = frame.iloc[add].copy()
    new["reference"] = [f"N{i:07d}" for i in range(len(new))]
    after = after.drop(index=frame.index[remove])
    return pd.concat([after, new], ignore_index=True)


EXPORT_HEADER = ["kind", "reference", "title", "fte", "grade", "scp", "team", "funding", "start",
                 "end", "status", "cost_per_fte", "salary", "salary_min", "salary_max",
                 "reports_to", "increment_date", "notes", "amount", "per"]


def export_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """An engine frame as the text cells of an HR export in this library's own columns (what
    ``write_structure_csv`` writes), built column-wise: a million ``Post`` objects would take
    longer than the benchmark they feed."""
    def text(column: str) -> np.ndarray:
        return frame[column].astype(object).to_numpy()

    fte = frame["fte_e4"].to_numpy()
    whole, part = np.divmod(fte, 10_000)
    fte_text = np.where(part == 0, whole.astype(str),
                        np.char.add(np.char.add(whole.astype(str), "."),
                                    np.char.rstrip(np.char.zfill(part.astype(str), 4), "0")))

    def dates(column: str) -> np.ndarray:
        values = frame[column]
        return np.where(values.isna(), "", values.dt.strftime("%Y-%m-%d").fillna("")).astype(
            object)

    funding = np.array([shares[0].source if shares else "" for shares in
                        frame["funding"].to_numpy(dtype=object)], dtype=object)
    blank = np.full(len(frame), "", dtype=object)
    scp = frame["scp"].to_numpy()
    return pd.DataFrame({
        "kind": text("kind"), "reference": text("reference"), "title": text("title"),
        "fte": fte_text.astype(object), "grade": text("grade"),
        "scp": np.where(scp == NONE, "", scp.astype(str)).astype(object), "team": text("team"),
        "funding": funding, "start": dates("start"), "end": dates("end"),
        "status": text("status"), "cost_per_fte": blank, "salary": blank, "salary_min": blank,
        "salary_max": blank, "reports_to": blank, "increment_date": blank, "notes": blank,
        "amount": blank, "per": blank,
    }, columns=EXPORT_HEADER)


def write_export_csv(frame: pd.DataFrame, path: str) -> None:
    """The frame as a CSV export (UTF-8 with Excel's byte-order mark, as the library writes)."""
    export_frame(frame).to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")
