"""A :class:`Reading` written as a scenario file (the format of ``scenarios/data/``).

The reader lives in ``establishment`` and writes the scenario's TOML text itself: it needs
nothing of the ``scenarios`` package, which loads and runs the file (the arrows of
docs/architecture.md hold). Every item is written with its source as a comment (paragraph,
line, the words), every published figure as a ``[[published]]`` target, and what was not read
as comments at the end, so the file is a reviewable working paper as well as an input.

How the decision is written: posts a report only establishes are the structure (``[[post]]``,
as the 2018 scenario); when it also deletes, regrades, extends or makes posts permanent, the
posts it acts on are the base and the decision is a change list (``[[change]]``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path

from establishment.errors import CostingError
from establishment.reading.extract import title_key
from establishment.reading.records import FigureItem, PostItem, Reading, Source
from pay_scales.dates import pay_year_label, pay_year_of, pay_year_start

BASE_KINDS = ("disestablish", "make-permanent", "regrade", "extend", "change-fte", "existing")


def q(value: object) -> str:
    """A TOML value."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(q(v) for v in value) + "]"
    return str(value)


def comment(source: Source) -> str:
    return f"# {source.paragraph}, line {source.line}: {source.text[:160]}"


def references(posts: tuple[PostItem, ...], payments: tuple) -> dict[int, str]:
    """A short reference per item (the title's initials), made unique."""
    out: dict[int, str] = {}
    taken: set[str] = set()
    for index, title in enumerate([p.title for p in posts] + [p.title for p in payments]):
        base = "".join(w[0] for w in re.findall(r"[A-Za-z][\w']*", title) if w[0].isupper())
        base = base or "P"
        ref, n = base, 2
        while ref in taken:
            ref, n = f"{base}{n}", n + 1
        taken.add(ref)
        out[index] = ref
    return out


def period_of(reading: Reading) -> tuple[dt.date, dt.date] | None:
    """The period the decision runs in its first year: from its effective date to the posts'
    end or the pay year's end; for posts made permanent, the pay year after their temporary
    end (what making them permanent changes)."""
    ends = [p.end for p in reading.posts if p.kind == "make-permanent" and p.end]
    if ends and all(p.kind in ("make-permanent", "existing") for p in reading.posts):
        year = pay_year_of(max(ends) + dt.timedelta(days=1))
        start = pay_year_start(year)
        return start, pay_year_start(year + 1) - dt.timedelta(days=1)
    if reading.effective is None:
        return None
    year_end = pay_year_start(pay_year_of(reading.effective) + 1) - dt.timedelta(days=1)
    post_ends = [p.end for p in reading.statements if p.end]
    return reading.effective, min([year_end, *post_ends])


def post_fields(post: PostItem, team: str | None) -> list[str]:
    lines = [f"title = {q(post.title)}"]
    if post.fte is not None:
        lines.append(f"fte = {q(post.fte)}")
    if post.hours is not None:
        lines.append(f"hours = {q(post.hours)}")
    for key in ("grade", "scp", "status", "start", "end"):
        value = getattr(post, key)
        if value is not None:
            lines.append(f"{key} = {q(value)}")
    if post.team or team:
        lines.append(f"team = {q(post.team or team)}")
    lines.append("notes = " + q("read from " + "; ".join(
        f"{s.paragraph} (line {s.line}): {s.text}" for s in post.sources)))
    return lines


def basis_lines(name: str, label: str, employer: str, pay_year: str, point: str,
                rule: str | None, rates_on: dt.date | None) -> list[str]:
    lines = [f"[bases.{q(name)}]", f"label = {q(label)}", f"employer = {q(employer)}",
             f"pay_year = {q(pay_year)}", f"point = {q(point)}"]
    if rule:
        lines.append(f"rule = {q(rule)}")
    if rates_on:
        lines.append(f"rates_on = {q(rates_on)}")
    return lines + [""]


def uncostable(reading: Reading, employer: str, rule: str | None, pay_year: str,
               point: str) -> dict[str, str]:
    """Posts the employer's pay data cannot cost (a grade with no known range): title ->
    the pay data's reason. They are named in ``not_costable``, never priced by a guess."""
    from establishment.engine.costing import cost
    from establishment.model.pay_basis import PayBasis
    from establishment.model.post import Post
    from establishment.model.structure import Structure

    basis = PayBasis(employer, pay_year, point=point, rule=rule, rates_on=reading.date)
    out = {}
    for post in reading.posts:
        try:
            cost(Structure("", [Post(post.title, post.fte if post.fte is not None else 1,
                                     post.grade, scp=post.scp)]), basis)
        except CostingError as err:
            out[post.title] = err.problems[-1].message
        except (ValueError, TypeError) as err:
            out[post.title] = str(err)
    return out


def scenario_toml(reading: Reading, employer: str, *, rule: str | None = None,
                  name: str | None = None, bases: dict[str, dict[str, object]] | None = None
                  ) -> str:
    """The scenario file's text (see the module docstring). ``rule`` is the on-cost rule the
    report was costed on (reports rarely name one: it is the user's); without it, the rule the
    text states ("before on-costs": salary-only), else the employer's default. ``bases`` adds
    more bases (name -> PayBasis fields) beside the stated one, which is primary."""
    if reading.date is None:
        raise ValueError("the report's date is not in its text: give one (--date)")
    pay_year = pay_year_label(pay_year_of(reading.date))
    rule = rule or reading.on_costs
    name = name or Path(reading.path).stem
    refs = references(reading.posts, reading.payments)
    post_ref = {title_key(post.title): refs[i] for i, post in
                enumerate(reading.posts) if post.kind != "existing"}
    pay_ref = {title_key(p.title): refs[len(reading.posts) + i]
               for i, p in enumerate(reading.payments)}
    changes = any(p.kind in BASE_KINDS for p in reading.posts)
    cannot = uncostable(reading, employer, rule, pay_year, reading.point)
    out = head(reading, name, pay_year, employer, rule, cannot, refs)
    out += basis_lines("stated", "As the report states it", employer, pay_year, reading.point,
                       rule, reading.date)
    for extra, fields in (bases or {}).items():
        out += basis_lines(extra, str(fields.get("label", extra)), str(fields["employer"]),
                           str(fields["pay_year"]), str(fields.get("point", reading.point)),
                           fields.get("rule"), fields.get("rates_on", reading.date))
    out += posts_and_changes(reading, refs, changes)
    out += budgets(reading)
    figures_ok = published(reading, post_ref, pay_ref, changes)
    out += figures_ok
    out += unread_comments(reading)
    return "\n".join(out) + "\n"


def head(reading: Reading, name: str, pay_year: str, employer: str, rule: str | None,
         cannot: dict[str, str], refs: dict[int, str]) -> list[str]:
    out = [f"# Read from {Path(reading.path).name} by `establishment read`: every item below "
           "gives the paragraph and words it came from;",
           "# what the reader could not read is listed at the end. Check it before relying on "
           "it.", "",
           f"name = {q(name)}",
           f"title = {q(reading.title or 'Read from ' + Path(reading.path).name)}",
           f"report = {q(Path(reading.path).name + ', dated ' + reading.date.isoformat())}",
           f"decided = {q(reading.date)}", 'primary_basis = "stated"']
    notes = [f"Report date {reading.date.isoformat()} ({reading.date_source}): pay year "
             f"{pay_year}; employer {employer}, rule {rule or 'the employer default'}."]
    if reading.point_source:
        notes.append(f"Costed at the {reading.point} of the grade: {reading.point_source}")
    if reading.on_costs_source:
        notes.append(f"Salary only, before on-costs: {reading.on_costs_source}")
    notes += [f"Ambiguous: {n.source}: {n.message}" for n in reading.ambiguities]
    out.append("notes = [\n" + "".join(f"  {q(n)},\n" for n in notes) + "]")
    uncosted = [refs[i] for i, p in enumerate(reading.posts) if p.title in cannot]
    if uncosted:
        out.append(f"not_costable = {q(uncosted)}")
        out.append("not_costable_reason = " + q("; ".join(sorted(set(cannot.values())))))
    period = period_of(reading)
    if period:
        out += ["", "[period]", f"start = {q(period[0])}", f"end = {q(period[1])}"]
    return out + [""]


def posts_and_changes(reading: Reading, refs: dict[int, str], changes: bool) -> list[str]:
    out: list[str] = []
    for index, post in enumerate(reading.posts):
        in_base = post.kind in BASE_KINDS or not changes
        if in_base:
            out += [comment(s) for s in post.sources]
            out += ["[[post]]", f"reference = {q(refs[index])}"]
            out += post_fields(post, None) + [""]
    for index, payment in enumerate(reading.payments):
        out += [comment(s) for s in payment.sources]
        out += ["[[payment]]", f"reference = {q(refs[len(reading.posts) + index])}",
                f"title = {q(payment.title)}", f"amount = {q(payment.amount)}",
                f"per = {q(payment.per)}"]
        out += [f"{k} = {q(getattr(payment, k))}" for k in ("start", "end")
                if getattr(payment, k) is not None]
        out.append("")
    if changes:
        for index, post in enumerate(reading.posts):
            out += change_lines(post, refs[index])
    return out


def change_lines(post: PostItem, ref: str) -> list[str]:
    if post.kind == "existing":
        return []
    out = [comment(s) for s in post.sources] + ["[[change]]", f"id = {q(ref)}"]
    if post.kind == "establish":
        return out + ['kind = "establish"', "[change.post]", f"reference = {q(ref)}"] \
            + post_fields(post, None) + [""]
    out += [f"kind = {q(post.kind)}", f"target = {q(ref)}"]
    if post.kind == "regrade" and post.new_grade:
        out.append(f"grade = {q(post.new_grade)}")
    if post.kind == "change-fte" and post.new_fte is not None:
        out.append(f"fte = {q(post.new_fte)}")
    if post.kind == "extend":
        out[out.index('kind = "extend"')] = 'kind = "change-end"'
        if post.new_end:
            out.append(f"end = {q(post.new_end)}")
    return out + [""]


def budgets(reading: Reading) -> list[str]:
    out: list[str] = []
    for budget in reading.budgets:
        out += [comment(s) for s in budget.sources]
        out += ["[[budget]]", f"name = {q(budget.name)}", f"amount = {q(budget.amount)}"]
        if budget.temporary:
            out.append(f"temporary = {q(budget.temporary)}")
        if budget.cost is not None:
            out += [f"cost = {q(budget.cost)}", "cost_source = " + q(
                "input: the report's figure, taken as given (its posts are not all in the "
                "text)")]
        out.append("")
    return out


def figure_line(figure: FigureItem, post_ref: dict[str, str], pay_ref: dict[str, str]
                ) -> str | None:
    if figure.metric.startswith("budget_"):
        return figure.subject
    if figure.subject is None:
        return None
    return post_ref.get(figure.subject) or pay_ref.get(figure.subject)


def published(reading: Reading, post_ref: dict[str, str], pay_ref: dict[str, str],
              changes: bool) -> list[str]:
    out: list[str] = []
    base_titles = {title_key(p.title) for p in reading.posts
                   if p.kind == "disestablish"}
    for figure in reading.figures:
        out += [comment(s) for s in figure.sources]
        out += ["[[published]]", f"label = {q(figure.label)}", f"metric = {q(figure.metric)}"]
        line = figure_line(figure, post_ref, pay_ref)
        if line is not None:
            out.append(f"line = {q(line)}")
        out += ['basis = "stated"', f"amount = {q(figure.amount)}",
                "source = " + q(", ".join(dict.fromkeys(s.paragraph for s in figure.sources)))]
        if figure.expect != "match":
            out.append(f"expect = {q(figure.expect)}")
        if figure.note:
            out.append(f"note = {q(figure.note)}")
        if changes and figure.subject in base_titles:
            out.append('of = "base"')
        out.append("")
    return out


def unread_comments(reading: Reading) -> list[str]:
    if not reading.unread:
        return ["# Nothing in the text was left unread."]
    out = ["# NOT READ (located; check these by hand):"]
    for note in reading.unread:
        where = f"{note.source.paragraph} (line {note.source.line})" if note.source else \
            "report"
        out.append(f"# - {where}: {note.message}")
    return out
