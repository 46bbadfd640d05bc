"""``read_report``: a committee report (text, Word or PDF) read into a :class:`Reading`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs

from establishment.reading.extract import Reader, merged
from establishment.reading.patterns import Patterns, date_of, load_patterns
from establishment.reading.records import FigureItem, Note, PostItem, Reading, Source
from establishment.reading.source import Paragraph, paragraphs, report_lines


def read_report(path: str | Path, *, date: dt.date | None = None,
                patterns: str | Path | None = None) -> Reading:
    """Read the report at ``path`` (``.txt``, ``.docx`` or ``.pdf``).

    ``date`` overrides the report's date (and so its pay year) when the text's is wrong or
    missing; ``patterns`` is a pattern file of your own (``patterns.toml``'s layout).
    """
    rules = load_patterns(None if patterns is None else str(patterns))
    lines = report_lines(path)
    blocks = paragraphs(lines)
    reader = Reader(rules)
    for block in blocks:
        reader.read(block)
    posts, nameless = merged(reader.posts)
    posts, incomplete = completed(posts)
    stated, date_source = report_date(blocks, rules)
    when = date or stated
    effective, effective_source = effective_date(blocks, rules, when)
    posts = dated(posts, effective, reader.temporary_end)
    payments = tuple(attrs.evolve(p, start=effective) if effective and p.start is None else p
                     for p in reader.payments)
    payments = tuple(p if p.start and p.end else attrs.evolve(p, per="year")
                     for p in payments)
    figures = resting_on_appendices(reader.figures, reader.appendices)
    unread = list(reader.unread) + nameless + incomplete
    if when is None:
        unread.insert(0, Note(None, "the report's date is not in its opening lines: give "
                              "--date (it sets the pay year)"))
    return Reading(str(path), when, "given" if date else date_source, tuple(posts),
                   payments, tuple(reader.budgets), figures,
                   tuple(reader.money), tuple(unread), tuple(reader.ambiguities),
                   reader.point, reader.point_source, reader.on_costs, reader.on_costs_source,
                   effective, effective_source, tuple(reader.appendices),
                   text="\n".join(line.text for line in lines))


def report_date(blocks: list[Paragraph], rules: Patterns) -> tuple[dt.date | None, str]:
    """The first date before the first numbered paragraph (the report's heading)."""
    for block in blocks:
        if block.label:
            break
        for line in block.lines:
            found = rules.date.search(line.text)
            day = date_of(found) if found else None
            if day is not None:
                return day, f"line {line.number}"
    return None, ""


def effective_date(blocks: list[Paragraph], rules: Patterns, day: dt.date | None
                   ) -> tuple[dt.date | None, Source | None]:
    """When the decision takes effect: the first "from 1 July 2018" or "as at 1st October
    2020" on or after the report's date."""
    for block in blocks:
        if not block.label:
            continue
        for line in block.lines:
            for found in rules.effective.finditer(line.text):
                when = date_of(found)
                if when is not None and (day is None or when >= day):
                    return when, Source(block.name, line.number, found.group(0))
    return None, None


def dated(posts: list[PostItem], effective: dt.date | None, temporary_end: dt.date | None
          ) -> list[PostItem]:
    """Posts established take effect on the decision's date; posts made permanent end, until
    the decision, when the report says their temporary basis ends."""
    out = []
    for post in posts:
        if post.kind == "establish" and effective and post.start is None and (
                post.end is None or effective <= post.end):
            post = attrs.evolve(post, start=effective)
        if post.kind == "make-permanent" and post.end is None and temporary_end:
            post = attrs.evolve(post, end=temporary_end)
        out.append(post)
    return out


def resting_on_appendices(figures: list[FigureItem], appendices: list[Source]
                          ) -> tuple[FigureItem, ...]:
    """A change in the cost of the whole structure ("reduce staffing costs by about £45,000",
    "no additional cost") when the structure is in an appendix the text does not give: not
    derivable from the text, a status of its own (never a mismatch)."""
    if not appendices:
        return tuple(figures)
    where = next((a for a in appendices if "structure" in a.text.lower()), appendices[0])
    note = (f"the figure covers the whole structure, which the report gives in an appendix "
            f"(\"{where.text[:120]}\", {where.paragraph}), not in its text; the statements the "
            f"text does give are costed in the change table, not claimed to equal it")
    return tuple(attrs.evolve(f, expect="not-derivable", note=note)
                 if f.metric == "changes_full_year" else f for f in figures)


WHAT_IS_NEW = {"regrade": ("new_grade", "grade"), "change-fte": ("new_fte", "fte"),
               "extend": ("new_end", "end date")}


def completed(posts: list[PostItem]) -> tuple[list[PostItem], list[Note]]:
    """A regrade, fte change or extension whose new grade, fte or end the text does not give
    is listed as not read (the post stays, as it is), never guessed."""
    out, notes = [], []
    for post in posts:
        field, what = WHAT_IS_NEW.get(post.kind or "", ("", ""))
        if field and getattr(post, field) is None:
            notes.append(Note(post.sources[0], f"{post.title}: {post.kind} with no new {what} "
                              "the reader can find: the post is kept as it is, the change is "
                              "not read"))
            post = attrs.evolve(post, kind="existing")
        out.append(post)
    return out, notes
