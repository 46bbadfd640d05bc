"""The reader's patterns, built from ``patterns.toml`` (data: how councils write posts, grades,
points, decisions and budgets). A new spelling is a line in that file, not code; a different
file can be given (``read_report(..., patterns=PATH)``)."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from attrs import frozen

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")
DATE = (r"(?:(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+)?(?P<month>" + "|".join(MONTHS)
        + r")\s+(?P<year>\d{4})")
MONEY = re.compile(r"£\s?(?P<whole>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<pence>\d{1,3}))?"
                   r"(?P<unit>\s?(?:m|bn|k)\b)?", re.IGNORECASE)
UNITS = {"k": 1000, "m": 1_000_000, "bn": 1_000_000_000}


def alternatives(words: list[str]) -> str:
    """A regular expression matching any of ``words`` (longest first), as whole words."""
    ordered = sorted(words, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered) + r")(?!\w)"


def money_value(match: re.Match[str]) -> Decimal:
    """The amount a money match stands for (£0.924m is 924000)."""
    whole = match.group("whole").replace(",", "")
    value = Decimal(whole + ("." + match.group("pence") if match.group("pence") else ""))
    unit = (match.group("unit") or "").strip().lower()
    return value * UNITS[unit] if unit else value


def date_of(match: re.Match[str], *, end_of_month: bool = False) -> dt.date | None:
    """The date a DATE match names; a month alone is its first day (or last, for an end).
    None when the words name no day ("31 February 2020", year 0): text that is not a date,
    never a crash."""
    year, month = int(match.group("year")), MONTHS.index(match.group("month").lower()) + 1
    try:
        if match.group("day"):
            return dt.date(year, month, int(match.group("day")))
        if end_of_month:
            following = dt.date(year + month // 12, month % 12 + 1, 1)
            return following - dt.timedelta(days=1)
        return dt.date(year, month, 1)
    except (ValueError, OverflowError):
        return None


@frozen
class Patterns:
    """The compiled patterns (see ``patterns.toml`` for what each list means)."""

    data: dict[str, Any]
    post: re.Pattern[str]
    grade: re.Pattern[str]
    scp: re.Pattern[str]
    verbs: tuple[tuple[str, re.Pattern[str]], ...]
    past: re.Pattern[str]
    payment: re.Pattern[str]
    total: re.Pattern[str]
    date: re.Pattern[str]
    effective: re.Pattern[str]
    end: re.Pattern[str]
    grade_words: tuple[str, ...]

    def words(self, *keys: str) -> re.Pattern[str]:
        """Any of the words listed under ``keys`` (e.g. ``("budgets", "shortfall")``)."""
        value: Any = self.data
        for key in keys:
            value = value[key]
        return re.compile(alternatives(value), re.IGNORECASE)

    def grade_name(self, text: str) -> str:
        """A grade as the employer's data spell it: the pattern's words, then the rest in
        capitals ("hay band a" is "Hay Band A")."""
        for word in sorted(self.grade_words, key=len, reverse=True):
            if text.lower().startswith(word.lower()):
                return word + " " + text[len(word):].strip().upper()
        return text


def build(data: dict[str, Any]) -> Patterns:
    """Compile the pattern data."""
    capword = r"[A-Z][\w'&/-]*"
    joiner = alternatives(data["title_joiners"])
    title = rf"{capword}(?:(?:\s+|,\s+)(?:{joiner}\s+)*{capword})*"
    fte = alternatives(data["fte_words"])
    hours = alternatives(data["hours_words"])
    posts = alternatives(data["post_words"])
    post = re.compile(
        rf"(?P<number>\d+(?:\.\d+)?)\s*(?:(?P<fte>{fte})|(?P<hours>{hours})|(?P<count>posts?)\s+of)"
        rf"\s*(?:\((?P<before>[^)]*)\)\s*)?(?:{posts}\s+of\s+)?(?P<title>(?-i:{title}))"
        rf"(?:\s+{posts})?(?:\s*\((?P<paren>[^)]*)\))?(?:\s+{posts})?"
        rf"(?P<after>\s*[-:]?\s*£[\d,]+(?:\.\d\d)?)?", re.IGNORECASE)
    grade_words = tuple(data["grade_words"])
    spelled = "|".join(re.escape(w).replace(r"\ ", r"\s+")
                       for w in sorted(grade_words, key=len, reverse=True))
    grade = re.compile(rf"(?<!\w)(?P<grade>{spelled})"
                       r"\s*(?P<step>\d{1,2}[A-Z]?|[A-Z])(?!\w)", re.IGNORECASE)
    scp = re.compile(rf"{alternatives(data['scp_words'])}\s*(?P<scp>\d{{1,2}})(?!\d)",
                     re.IGNORECASE)
    verbs = tuple((kind, re.compile(r"(?<!\w)" + alternatives(words), re.IGNORECASE))
                  for kind, words in data["verbs"].items())
    past = re.compile(alternatives(data["past_words"]) + r"\s+(?:\w+\s+)?$", re.IGNORECASE)
    payment = re.compile(rf"(?P<kind>{alternatives(data['payment_words'])})(?:\s+payment)?"
                         rf"\s+of\s+(?=£)", re.IGNORECASE)
    total = re.compile(alternatives(data["total_words"]) + r"[^£.]{0,40}(?=£)", re.IGNORECASE)
    date = re.compile(DATE, re.IGNORECASE)
    effective = re.compile(alternatives(data["effective_words"]) + r"\s+" + DATE, re.IGNORECASE)
    end = re.compile(alternatives(data["end_words"]) + r"\s+" + DATE, re.IGNORECASE)
    return Patterns(data, post, grade, scp, verbs, past, payment, total, date, effective, end,
                    grade_words)


@lru_cache(maxsize=4)
def load_patterns(path: str | None = None) -> Patterns:
    """The bundled patterns, or those of the TOML file at ``path``."""
    if path is None:
        text = (resources.files("establishment.reading") / "patterns.toml").read_text("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    return build(tomllib.loads(text))
