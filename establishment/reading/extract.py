"""Staffing statements and figures out of a report's paragraphs.

The reader works sentence by sentence inside each paragraph:

- a **post** is a number with an fte word (or hours, or "posts of"), a title of capitalised
  words, and the brackets after it (grade, scp, a cost): ``2 fte Reviewing Officers (Hay Band A
  scp 34 - £40,702 with on-costs)``;
- its **decision** is the nearest decision word before it in the sentence ("to disestablish"),
  else after it ("will be established"), else the lead-in of the list it sits in ("approval is
  sought for the establishment of the following posts:"); history ("were established in 2012")
  is not a decision;
- the same post named in several paragraphs (the body, the financial implications, the
  recommendations) is one post with several sources;
- **payments**, **totals** ("the additional cost of the posts will be £X"), and, under a
  financial heading only, **budgets**, shortfalls, savings and "no additional cost" statements.

Every money figure in the text is accounted for: read (a target, a payment, a budget) or listed
as unread with its paragraph and the reason. A cost that could be per fte or for the line is
read one way by a stated rule and the ambiguity is listed. A figure resting on an appendix or a
structure chart the text does not give is "not derivable from the text".
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import attrs

from establishment.reading.patterns import MONEY, Patterns, date_of, money_value
from establishment.reading.records import (
    BudgetItem,
    FigureItem,
    MoneyItem,
    Note,
    PaymentItem,
    PostItem,
    Source,
)
from establishment.reading.source import BULLETS, ITEM, Line, Paragraph

SENTENCE_END = re.compile(r"(?<=[.;:])\s+(?=[A-Z\d(£])|\n")
PRECEDENCE = {None: 0, "establish": 1}


@attrs.define
class Span:
    """A paragraph's text (list items on lines of their own) and the line of each offset."""

    paragraph: Paragraph
    text: str
    marks: list[tuple[int, int]]  # (offset, line number), in order

    def line_at(self, offset: int) -> int:
        line = self.marks[0][1]
        for start, number in self.marks:
            if start > offset:
                break
            line = number
        return line

    def source(self, start: int, end: int) -> Source:
        words = " ".join(self.text[start:end].split())
        return Source(self.paragraph.name, self.line_at(start), words)


def span_of(paragraph: Paragraph, patterns: Patterns) -> Span:
    """The paragraph as one text; a table row is rewritten as a post line by its columns."""
    text, marks, columns = "", [], None
    for line in paragraph.lines:
        if line.cells is not None:
            columns, row = table_row(line, columns, patterns)
            if row is None:
                continue
            part, item = row, True
        else:
            part = line.text.strip()
            item = bool(ITEM.match(part)) or part[:1] in BULLETS
            part = part.lstrip(BULLETS + " ")
        text += ("\n" if item and text else " " if text else "")
        marks.append((len(text), line.number))
        text += part
    return Span(paragraph, text, marks or [(0, paragraph.lines[0].number)])


def table_row(line: Line, columns: dict[str, Any] | None, patterns: Patterns
              ) -> tuple[dict[str, Any] | None, str | None]:
    """A Word or PDF table row: a header gives the columns (``table_columns`` in the pattern
    data); a row under one becomes ``2 fte Title (Grade scp N - £X)`` for the post reader."""
    cells = line.cells or ()
    roles = {}
    for index, cell in enumerate(cells):
        for role, words in patterns.data["table_columns"].items():
            if role not in roles and re.fullmatch(r"(?i)\W*(" + "|".join(map(re.escape, words))
                                                  + r")\b.*", cell.strip()):
                roles[role] = index
                break
    if "title" in roles and not any(re.search(r"\d", c) for c in cells):
        header: dict[str, Any] = dict(roles)
        if "cost" in roles:
            header["cost_header"] = cells[roles["cost"]]
        return header, None
    if columns is None or "title" not in columns:
        return columns, line.text

    def cell(role: str) -> str:
        index = columns.get(role)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    number = cell("fte") or cell("hours")
    unit = "fte" if cell("fte") else "hours"
    # a cost column headed per fte goes in the brackets (per fte), a total after them
    header = columns.get("cost_header", "")
    per_line = "total" in str(header).lower() or "line" in str(header).lower()
    cost = f"- {cell('cost')}" if cell("cost") and not per_line else ""
    on = patterns.words("conventions", "with_oncosts").search(str(header))
    off = patterns.words("conventions", "salary_only").search(str(header))
    cost += (" with on-costs" if on else " before on-costs" if off else "") if cost else ""
    inside = " ".join(x for x in (cell("grade"), f"scp {cell('scp')}" if cell("scp") else "",
                                  cost) if x)
    row = f"{number} {unit} {cell('title')}" + (f" ({inside})" if inside else "")
    return columns, row + (f" {cell('cost')}" if per_line and cell("cost") else "")


def sentences(text: str) -> list[tuple[int, int]]:
    """Start and end of each sentence (a list item, or a lead-in ending in a colon, is one)."""
    out, start = [], 0
    for match in SENTENCE_END.finditer(text):
        out.append((start, match.start()))
        start = match.end()
    out.append((start, len(text)))
    return [(s, e) for s, e in out if text[s:e].strip()]


def decisions(sentence: str, patterns: Patterns) -> list[tuple[int, int, str]]:
    """The decision words of a sentence: (start, end, kind), history left out."""
    found = []
    for kind, pattern in patterns.verbs:
        for match in pattern.finditer(sentence):
            if any(s <= match.start() < e for s, e, _ in found):
                continue
            if patterns.past.search(sentence[max(0, match.start() - 30):match.start()]):
                continue
            found.append((match.start(), match.end(), kind))
    return sorted(found)


def singular(title: str, fte: Decimal | None) -> str:
    """A plural title ("2 fte Reviewing Officers") as one post's ("Reviewing Officer")."""
    words = title.split(" ")
    last = words[-1]
    if fte is not None and fte > 1 and last.endswith("s") and not last.endswith("ss"):
        words[-1] = last[:-1]
    return " ".join(words)


def grade_and_scp(text: str, patterns: Patterns) -> tuple[str | None, int | None]:
    grade = patterns.grade.search(text)
    scp = patterns.scp.search(text)
    name = patterns.grade_name(grade.group("grade") + " " + grade.group("step")) if grade \
        else None
    return name, int(scp.group("scp")) if scp else None


def title_key(title: str) -> str:
    return " ".join(title.lower().replace(",", " ").split())


@attrs.define
class Reader:
    """The state of one report's reading (see the module docstring)."""

    patterns: Patterns
    posts: list[PostItem] = attrs.Factory(list)
    payments: list[PaymentItem] = attrs.Factory(list)
    budgets: list[BudgetItem] = attrs.Factory(list)
    figures: list[FigureItem] = attrs.Factory(list)
    money: list[MoneyItem] = attrs.Factory(list)
    unread: list[Note] = attrs.Factory(list)
    ambiguities: list[Note] = attrs.Factory(list)
    appendices: list[Source] = attrs.Factory(list)
    point: str = "actual"
    point_source: Source | None = None
    on_costs: str | None = None
    on_costs_source: Source | None = None
    temporary_end: dt.date | None = None
    used: set[int] = attrs.Factory(set)  # offsets of money read in the current paragraph
    pending: list[Note] = attrs.Factory(list)  # statements with no post, until the end

    # ------------------------------------------------------------------ paragraphs
    def read(self, paragraph: Paragraph) -> None:
        span = span_of(paragraph, self.patterns)
        self.used = set()
        financial = bool(self.patterns.words("financial_headings").search(paragraph.heading))
        lead: str | None = None
        statements_before = len(self.posts)
        self.pending = []
        lead_end: dt.date | None = None
        for start, end in sentences(span.text):
            before = len(self.posts)
            lead = self.sentence(span, start, end, lead, financial)
            lead_end = self.end_dates(span, start, end, before, lead_end)
        if len(self.posts) == statements_before:  # a lead-in whose list was read is not one
            self.unread.extend(self.pending)
        self.account_money(span, financial)

    def sentence(self, span: Span, start: int, end: int, lead: str | None,
                 financial: bool) -> str | None:
        text = span.text[start:end]
        verbs = decisions(text, self.patterns)
        self.conventions(span, start, end)
        if self.patterns.words("appendix_words").search(text):
            self.appendices.append(span.source(start, end))
        mentions = list(self.patterns.post.finditer(text))
        for match in mentions:
            self.post(span, start, match, verbs, lead)
        if verbs and not mentions and re.search(r"(?i)\bposts?\b", text):
            self.pending.append(Note(span.source(start, end), "a staffing statement with no "
                                    "post the reader can take apart (number, fte and title)"))
        self.payment(span, start, text)
        self.total(span, start, text)
        if financial:
            self.financial(span, start, text)
        return verbs[-1][2] if verbs else lead

    def conventions(self, span: Span, start: int, end: int) -> None:
        text = span.text[start:end]
        for point in ("top", "bottom"):
            if self.point_source is None and self.patterns.words("conventions", point).search(
                    text):
                self.point, self.point_source = point, span.source(start, end)
        if self.on_costs_source is None and self.patterns.words(
                "conventions", "salary_only").search(text):
            self.on_costs, self.on_costs_source = "salary-only", span.source(start, end)

    # ------------------------------------------------------------------ posts
    def post(self, span: Span, offset: int, match: re.Match[str],
             verbs: list[tuple[int, int, str]], lead: str | None) -> None:
        text = span.text[offset:]
        before = [v for v in verbs if v[1] <= match.start()]
        after = [v for v in verbs if v[0] >= match.end()]
        verb = before[-1] if before else after[0] if after else None
        kind = verb[2] if verb else lead
        number = Decimal(match.group("number"))
        fte = None if match.group("hours") else number
        title = singular(match.group("title").strip(), fte)
        inside = " ".join(filter(None, (match.group("before"), match.group("paren"))))
        grade, scp = grade_and_scp(inside, self.patterns)
        between = text[verb[1]:match.start()] if verb and verb[1] <= match.start() else ""
        vacant = self.patterns.words("vacant_words").search(between + " " + inside)
        rest = text[match.end():match.end() + 200]
        source = span.source(offset + match.start(), offset + match.end())
        item = PostItem(kind, title, fte, number if match.group("hours") else None, grade, scp,
                        team_after(rest), "vacant" if vacant else None, sources=(source,))
        item = self.changed_to(item, rest)
        self.posts.append(item)
        self.cost_of_post(span, offset, match, item, source)
        self.implied_total(span, offset, match, item, rest)

    def changed_to(self, item: PostItem, rest: str) -> PostItem:
        """What a regrade, fte change or extension makes of the post."""
        if item.kind == "regrade":
            found = re.match(r"\s*(?:from\s+[^,;]{0,30}?\s+)?to\s+(.{0,30})", rest)
            grade, _ = grade_and_scp(found.group(1), self.patterns) if found else (None, None)
            return attrs.evolve(item, new_grade=grade)
        if item.kind == "change-fte":
            found = re.match(r"\s*(?:from\s+[\d.]+\s*\w*\s+)?to\s+(\d+(?:\.\d+)?)", rest)
            return attrs.evolve(item, new_fte=Decimal(found.group(1)) if found else None)
        if item.kind == "extend":
            found = self.patterns.end.search(rest)
            return attrs.evolve(item, new_end=date_of(found, end_of_month=True) if found
                                else None)
        return item

    def cost_of_post(self, span: Span, offset: int, match: re.Match[str], item: PostItem,
                     source: Source) -> None:
        """The cost written with a post: in its brackets (per fte) or after them (the line)."""
        paren = match.group("paren") or ""
        inside = MONEY.search(paren)
        after = MONEY.search(match.group("after") or "")
        found = inside or after
        if found is None:
            return
        amount = money_value(found)
        where = (match.start("paren") if inside else match.start("after")) + found.start()
        self.used.add(offset + where)
        tail = span.text[offset + match.end():offset + match.end() + 20].lower()
        per_fte = bool(inside) or "per fte" in tail or "each" in tail
        on = self.oncost_words(paren + " " + tail)
        label = f"{item.fte if item.fte is not None else ''} fte {item.title}".strip()
        label += f" ({item.grade})" if item.grade else ""
        metric = "unit_cost" if per_fte else "line_full_year"
        label += ", cost per fte" if per_fte else ", cost of the line"
        self.figures.append(FigureItem(label + on, metric, amount, title_key(item.title),
                                       sources=(source,)))
        if item.fte is not None and item.fte != 1 and "per fte" not in tail:
            why = ("it sits in the brackets with the grade, which describe one post"
                   if per_fte else "it follows the brackets, as the line's figure")
            read_as = "the cost per fte" if per_fte else f"the cost of all {item.fte} fte"
            self.ambiguities.append(Note(source, f"£{amount:,} read as {read_as}: {why}; the "
                                         "text does not say per fte or for the line"))

    def oncost_words(self, text: str) -> str:
        if self.patterns.words("conventions", "with_oncosts").search(text):
            return " with on-costs"
        if self.patterns.words("conventions", "salary_only").search(text):
            return " before on-costs"
        return ""

    def implied_total(self, span: Span, offset: int, match: re.Match[str], item: PostItem,
                      rest: str) -> None:
        """"... 4 fte Service Organiser posts, giving a total of 5 such posts": 1 exists."""
        found = re.match(r"[^.;]{0,40}?(?:giving|making|bringing)\s+(?:a|the)\s+total\s+"
                         r"(?:of|to)\s+(\d+(?:\.\d+)?)\s+such\s+posts", rest)
        if not found or item.fte is None or Decimal(found.group(1)) <= item.fte:
            return
        source = span.source(offset + match.start(), offset + match.end() + found.end())
        self.posts.append(attrs.evolve(item, kind="existing", fte=Decimal(found.group(1))
                                       - item.fte, status=None, sources=(source,)))

    # ------------------------------------------------------------------ payments, totals
    def payment(self, span: Span, offset: int, text: str) -> None:
        for match in self.patterns.payment.finditer(text):
            money = MONEY.match(text, match.end())
            if money is None:
                continue
            self.used.add(offset + money.start())
            source = span.source(offset + match.start(), offset + money.end())
            title = match.group("kind").strip().capitalize()
            holder = re.search(r"\bfor\s+an?\s+(existing\s+[A-Z][\w ]*?[A-Z]\w+)", text)
            title += f" ({holder.group(1)})" if holder else ""
            end = self.patterns.end.search(text)
            self.payments.append(PaymentItem(title, money_value(money), "total", None,
                                             date_of(end, end_of_month=True) if end else None,
                                             sources=(source,)))
            self.figures.append(FigureItem(title, "line_full_year", money_value(money),
                                           title_key(title), sources=(source,)))
            self.ambiguities.append(Note(source, f"the {title.lower()} is read as a sum for "
                                         "the period (per = total) when the text gives its end, "
                                         "else as a year's: the text does not say which"))

    def total(self, span: Span, offset: int, text: str) -> None:
        for match in self.patterns.total.finditer(text):
            money = MONEY.match(text, match.end())
            if money is None or offset + money.start() in self.used:
                continue
            self.used.add(offset + money.start())
            source = span.source(offset + match.start(), offset + money.end())
            near = text[max(0, match.start() - 40):money.end() + 40]
            in_year = self.patterns.words("in_year_words").search(near)
            metric = "period" if in_year else "full_year"
            self.figures.append(FigureItem("Total cost of the posts" + (
                " (in year)" if in_year else ""), metric, money_value(money), None,
                sources=(source,)))
            if not in_year and not self.patterns.words("full_year_words").search(near):
                self.ambiguities.append(Note(source, f"£{money_value(money):,} is read as a "
                                             "full year's cost: the text does not say full "
                                             "year or in the year (the audit shows both)"))

    # ------------------------------------------------------------------ budgets
    def financial(self, span: Span, offset: int, text: str) -> None:
        """Budgets, the structure cost, shortfalls, savings, "no additional cost"."""
        cost = self.figure_after(span, offset, text, ("budgets", "structure_cost"))
        budgets = self.budget_amounts(span, offset, text)
        if cost is not None and budgets:
            self.budgets[budgets[-1]] = attrs.evolve(self.budgets[budgets[-1]], cost=cost[0])
            self.add_budget_figure("Cost of the revised structure", "budget_cost", cost[0],
                                   self.budgets[budgets[-1]].name, cost[1], "input")
        temporary = re.search(r"(?i)(?:includes|including|of which)\s+(£[\d,]+)\s+"
                              + self.patterns.words("budgets", "temporary").pattern, text)
        if temporary and self.budgets:
            found = MONEY.match(temporary.group(1))
            self.used.add(offset + temporary.start(1))
            budget = self.budgets[-1]
            self.budgets[-1] = attrs.evolve(budget, temporary=money_value(found))
            self.add_budget_figure("of which temporary funding", "budget_temporary",
                                   money_value(found), budget.name,
                                   span.source(offset + temporary.start(), offset
                                               + temporary.end()), "input")
        shortfall = self.figure_after(span, offset, text, ("budgets", "shortfall"))
        if shortfall and self.budgets:
            self.add_budget_figure("Shortfall against the budget", "budget_shortfall",
                                   shortfall[0], self.budgets[-1].name, shortfall[1], "match")
        saving = self.figure_after(span, offset, text, ("budgets", "saving"))
        if saving:
            self.change_figure("Reduction in the cost of staffing", -saving[0], saving[1])
        neutral = self.patterns.words("budgets", "neutral").search(text)
        if neutral:
            self.change_figure("Additional cost (none)", Decimal(0),
                               span.source(offset + neutral.start(), offset + neutral.end()))

    def figure_after(self, span: Span, offset: int, text: str, keys: tuple[str, ...]
                     ) -> tuple[Decimal, Source] | None:
        match = self.patterns.words(*keys).search(text)
        if not match:
            return None
        money = MONEY.search(text, match.end())
        if money is None or money.start() - match.end() > 80 or offset + money.start() in \
                self.used:
            return None
        self.used.add(offset + money.start())
        return money_value(money), span.source(offset + match.start(), offset + money.end())

    def budget_amounts(self, span: Span, offset: int, text: str) -> list[int]:
        """``a staffing budget of £X``, ``the Team's existing budget (£X)``: the indexes of the
        budgets (a budget stated twice is one, with both sources)."""
        found = []
        pattern = r"(?i)\bbudget\s*(?:of\s+|is\s+|\(\s*(?:currently\s+)?)(?=£)"
        for match in re.finditer(pattern, text):
            money = MONEY.match(text, match.end())
            if money is None or offset + money.start() in self.used:
                continue
            self.used.add(offset + money.start())
            name = budget_name(text[:match.start()]) + "budget"
            source = span.source(offset + match.start(), offset + money.end())
            found.append(self.add_budget(name, money_value(money), source))
        return found

    def add_budget(self, name: str, amount: Decimal, source: Source) -> int:
        for index, budget in enumerate(self.budgets):
            if budget.amount == amount:
                self.budgets[index] = attrs.evolve(budget, sources=budget.sources + (source,))
                self.add_budget_figure(budget.name, "budget_amount", amount, budget.name,
                                       source, "input")
                return index
        self.budgets.append(BudgetItem(name, amount, sources=(source,)))
        self.add_budget_figure(name, "budget_amount", amount, name, source, "input")
        return len(self.budgets) - 1

    def add_budget_figure(self, label: str, metric: str, amount: Decimal, budget: str,
                          source: Source, expect: str) -> None:
        self.add_figure(FigureItem(label, metric, amount, budget, expect, sources=(source,)))

    def change_figure(self, label: str, amount: Decimal, source: Source) -> None:
        self.add_figure(FigureItem(label, "changes_full_year", amount, None, "match",
                                   sources=(source,)))

    def add_figure(self, figure: FigureItem) -> None:
        """A figure stated again (the financial comments repeat the implications) is one
        figure with both sources."""
        for index, known in enumerate(self.figures):
            if (known.metric, known.amount, known.subject) == (figure.metric, figure.amount,
                                                               figure.subject):
                self.figures[index] = attrs.evolve(known, sources=known.sources
                                                   + figure.sources)
                return
        self.figures.append(figure)

    # ------------------------------------------------------------------ dates, money
    def end_dates(self, span: Span, start: int, end: int, first: int,
                  lead_end: dt.date | None) -> dt.date | None:
        """An end date ("until 31 March 2019") is the end of the posts its sentence
        establishes, or, in a lead-in ("... all on a temporary basis until 31 March 2019:"),
        of the list after it; a temporary end anywhere is the current end of posts a decision
        makes permanent. Returns the lead-in's date for the sentences that follow."""
        found = self.patterns.end.search(span.text, start, end)
        when = lead_end
        if found is not None:
            when = date_of(found, end_of_month=True)
            near = span.text[max(start, found.start() - 60):found.end()]
            if re.search(r"(?i)temporar", near) and self.temporary_end is None:
                self.temporary_end = when
            if len(self.posts) == first:
                return when
        for index in range(first, len(self.posts)):
            post = self.posts[index]
            if when and post.kind in (None, "establish") and post.end is None:
                self.posts[index] = attrs.evolve(post, end=when)
        return lead_end

    def account_money(self, span: Span, financial: bool) -> None:
        """Every money figure of the paragraph, read or listed with the reason it was not."""
        for money in MONEY.finditer(span.text):
            start, end = sentence_around(span.text, money.start())
            source = span.source(start, end)
            if money.start() in self.used:
                self.money.append(MoneyItem(money_value(money), money.group(0), source, "read"))
                continue
            heading = span.paragraph.heading or "the report's opening"
            reason = (f"under '{heading}', but not a post's cost, a payment, a total or a "
                      "budget the reader recognises" if financial else
                      f"context under '{heading}': not part of a staffing statement, a total "
                      "or a budget (budgets are read under a financial heading)")
            self.money.append(MoneyItem(money_value(money), money.group(0), source, "unread",
                                        reason))
            self.unread.append(Note(source, f"{money.group(0)} not read: {reason}"))


def sentence_around(text: str, offset: int) -> tuple[int, int]:
    for start, end in sentences(text):
        if start <= offset < end:
            return start, end
    return offset, offset + 1


def team_after(rest: str) -> str | None:
    found = re.match(r"\s*(?:posts?\s*)?,?\s*(?:in|within)\s+the\s+((?:[A-Z][\w'&-]*\s*)+)",
                     rest)
    return found.group(1).strip() if found else None


def budget_name(before: str) -> str:
    """The words naming a budget, back from "budget" to the article before them."""
    words = before.split()
    out: list[str] = []
    for word in reversed(words[-6:]):
        if word.lower() in ("the", "a", "an", "to", "of", "and", "with", "against") or \
                word.endswith((",", ".", ";", ":")):
            break
        out.insert(0, word)
    name = " ".join(out)
    return (name[:1].upper() + name[1:] + " ") if name else ""


def merged(posts: list[PostItem]) -> tuple[list[PostItem], list[Note]]:
    """One post per post: the same title (and fte and grade, where both give them) named in
    several paragraphs is one, with every source; the most specific decision wins
    (make-permanent over establish). A post no decision names is listed, not guessed."""
    out: list[PostItem] = []
    for item in posts:
        for index, known in enumerate(out):
            if same_post(known, item):
                out[index] = combine(known, item)
                break
        else:
            out.append(item)
    notes = [Note(p.sources[0], f"{p.title}: a post named with no decision (establish, "
                  "delete, regrade, ...): not read as a change") for p in out if p.kind is None]
    return [p for p in out if p.kind is not None], notes


def same_post(a: PostItem, b: PostItem) -> bool:
    if title_key(a.title) != title_key(b.title) or "existing" in (a.kind, b.kind):
        return False
    if a.kind is not None and b.kind is not None and a.kind != b.kind and \
            "establish" not in (a.kind, b.kind):
        return False
    return all(x is None or y is None or x == y for x, y in ((a.fte, b.fte),
                                                             (a.grade, b.grade),
                                                             (a.scp, b.scp)))


def combine(a: PostItem, b: PostItem) -> PostItem:
    kind = max((a.kind, b.kind), key=lambda k: PRECEDENCE.get(k, 2))
    values = {f.name: getattr(a, f.name) if getattr(a, f.name) is not None else getattr(b, f.name)
              for f in attrs.fields(PostItem) if f.name not in ("kind", "sources")}
    return PostItem(kind=kind, sources=a.sources + b.sources, **values)
