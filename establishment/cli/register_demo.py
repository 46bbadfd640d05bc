"""``establishment register demo``: an example register of the bundled committee decisions.

It reads the ``scenarios`` package, so it lives in the command-line layer. The seeds are not
one history (different teams; the same references mean different posts in different years), so
each decision is recorded against its own team's base: the base posts are established first
(on the decision's date, as "the establishment the report starts from"), then the decision's
changes; every reference is namespaced by its team (``ICDS-RO``). A report that establishes its
posts outright (no changes) is recorded as that establishment. The pay basis of each report's
year is the one its published figures reconcile against; the years between are stated
explicitly as the employer's NJC rule at each post's own point.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path
from typing import Any

import attrs

from establishment.model.pay_basis import PayBasis
from establishment.model.post import Post
from establishment.operations.changes import AddPayment, Change, Establish, Target
from establishment.register import Register
from scenarios.scenario import Scenario, list_scenarios, load_scenario

BETWEEN_YEARS_RULE = "njc"


def team_code(team: str) -> str:
    """Initials of a team's words (``Integrated Children's Disability Service`` -> ICDS);
    an acronym in the name is kept whole."""
    words = [w for w in re.split(r"[\s,]+", team) if w and w.lower() not in ("and", "of", "the")]
    return "".join(w if w.isupper() else w[0].upper() for w in words) or "TEAM"


class Namespacer:
    """Prefixes every reference with its post's team code (codes kept unique)."""

    def __init__(self) -> None:
        self.codes: dict[str, str] = {}

    def code(self, team: str) -> str:
        if team not in self.codes:
            code, n = team_code(team), 1
            while code in self.codes.values():
                n += 1
                code = f"{team_code(team)}{n}"
            self.codes[team] = code
        return self.codes[team]

    def ref(self, team: str, reference: str | None) -> str | None:
        return f"{self.code(team)}-{reference}" if reference else None


def _decided(scenario: Scenario) -> dt.date:
    data = tomllib.loads(Path(scenario.path).read_text(encoding="utf-8"))
    return data["decided"]


def _priced(post: Post, scenario: Scenario) -> Post:
    """A post the scenario says the pay data cannot cost, recorded as unpriced (pay not
    disclosed: kept and counted, costed at £0) with the scenario's reason: the register
    refuses a decision it cannot cost."""
    if post.reference not in scenario.not_costable:
        return post
    return post.evolve(unpriced="not disclosed", scp=None,
                       notes=scenario.not_costable_reason or post.notes)


def _base_changes(scenario: Scenario, names: Namespacer) -> list[Change]:
    structure = scenario.structure
    posts = [Establish(_priced(p, scenario).evolve(reference=names.ref(p.team, p.reference)))
             for p in structure.posts]
    payments = [AddPayment(p.evolve(reference=names.ref(p.team, p.reference)))
                for p in structure.payments]
    return [*posts, *payments]


def _decision_changes(scenario: Scenario, names: Namespacer) -> list[Change]:
    teams = {p.reference: p.team for p in scenario.structure.posts if p.reference}
    teams |= {p.reference: p.team for p in scenario.structure.payments if p.reference}
    out: list[Change] = []
    for item in scenario.changes:
        change: Any = item.change
        if isinstance(change, Establish):
            post = change.post
            change = attrs.evolve(change, post=_priced(post, scenario).evolve(
                reference=names.ref(post.team, post.reference)))
        elif isinstance(change, AddPayment):
            payment = change.payment
            change = attrs.evolve(change, payment=payment.evolve(
                reference=names.ref(payment.team, payment.reference)))
        elif getattr(change, "target", None) is not None and change.target.reference:
            reference = change.target.reference
            change = attrs.evolve(change, target=Target(
                reference=names.ref(teams.get(reference, ""), reference)))
        out.append(change)
    return out


def _bases(scenarios: list[Scenario]) -> list[PayBasis]:
    """Each report's own basis for its year; the years between stated explicitly."""
    own = {}
    for scenario in scenarios:
        basis = scenario.basis
        own.setdefault(basis.pay_year, basis.evolve(rule=basis.load_employer().rule(
            basis.rule).name))
    first, last = min(own), max(own) + 1
    employer = scenarios[0].basis.employer
    return [own.get(year) or PayBasis(employer=employer, pay_year=year, point="actual",
                                      rule=BETWEEN_YEARS_RULE) for year in range(first,
                                                                                 last + 1)]


def build_demo(path: str | Path) -> Register:
    """Make the example register at ``path`` (which must not exist) and return it open."""
    scenarios = sorted((load_scenario(name) for name in list_scenarios()), key=_decided)
    bases = _bases(scenarios)
    opened = dt.date(bases[0].pay_year, 4, 1)
    register = Register.create(path, bases[0], opened_on=opened)
    for basis in bases[1:]:
        register.set_basis(basis)
    names = Namespacer()
    for scenario in scenarios:
        decided = _decided(scenario)
        committee, _, meeting = scenario.report.partition(",")
        common = {"effective": decided, "approved": decided, "approved_by": committee,
                  "reference": meeting.strip() or scenario.report}
        if scenario.changes:
            register.record(_base_changes(scenario, names), **common,
                            note=f"the establishment the report starts from: {scenario.title}")
            register.record(_decision_changes(scenario, names), **common, note=scenario.title)
        else:
            register.record(_base_changes(scenario, names), **common,
                            note=scenario.title)
    return register
