"""``establishment register ...``: the establishment register (decisions as a dated ledger).

Subcommands: init, basis, limit, record, revoke, verify, as-of, log, history, expiring, cost,
check, export, demo. Refusals: a decision that does not fit (or would stop a later one
applying) exits 2 listing every conflict; a decision that breaks a team limit exits 1 naming
each limit, unless recorded with ``--override "reason"``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from typing import Any

import pay_scales
from establishment.cli.options import (
    CliError,
    add_award,
    add_format,
    add_input_options,
    awards_from_args,
    cli_date,
    emit_tables,
    load_from_args,
)
from establishment.errors import LoadError, Problem, ValidationError
from establishment.model.pay_basis import NI_BASES, RANGE_POINTS, ROUND_TO, PayBasis
from establishment.register import (
    Limit,
    LimitError,
    Register,
    add_window,
    expiring,
    export,
    history,
    in_force,
    limit_checks,
    period_cost,
)
from establishment.register.queries import assimilation, log_and_head, money_unit
from establishment.register.store import sqlite_errors
from establishment.register.tables import (
    expiring_table,
    history_table,
    limits_table,
    log_table,
    posts_table,
    segments_table,
)
from pay_scales.dates import parse_pay_year
from pay_scales.employer import POINTS

EXAMPLES = """examples:
  establishment register init council.db --employer nottinghamshire --pay-year 2018/19 \\
      --rule njc --from posts.toml --on 2018-04-01
  establishment register basis council.db --pay-year 2019/20 --employer nottinghamshire --rule njc
  establishment register record council.db changes.toml --effective 2018-07-01 \\
      --approved 2018-06-18 --approved-by "Children and Young People's Committee" \\
      --reference "CYP 18 June 2018"
  establishment register as-of council.db 2018-10-01
  establishment register expiring council.db --on 2018-10-01 --within 6m
  establishment register history council.db RO
  establishment register limit council.db --team ICDS --pay-year 2018/19 --fte 12
  establishment register verify council.db
  establishment register demo demo.db
"""


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("register", help="the establishment register: decisions over time",
                            description="The establishment register: an SQLite file holding "
                            "an opening establishment and every decision since, as an "
                            "append-only, hash-chained ledger. See docs/register.md.",
                            epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="register_command", metavar="SUBCOMMAND")
    commands.required = True
    for add in (_init, _basis, _limit, _record, _assimilate, _revoke, _verify, _as_of, _log,
                _history, _expiring, _cost, _check, _export, _demo):
        add(commands)


def _guarded(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """``run`` with SQLite's errors (a lock held too long, a damaged file) as register errors:
    a clear message and exit 2, never a traceback."""
    def guarded(args: argparse.Namespace) -> int:
        with sqlite_errors(args.register_file):
            return run(args)
    guarded.__doc__ = run.__doc__
    return guarded


def _file(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("register_file", metavar="FILE.db", help="the register")


def _day(text: str | None, option: str) -> dt.date:
    """A date on the command line, read as every command reads one (:func:`cli_date`)."""
    return cli_date(str(text), option)


def _pay_year(text: str) -> int:
    try:
        return parse_pay_year(text)
    except ValueError as err:
        raise CliError(f"--pay-year: {err}") from None


def _basis_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--employer", required=True, help="bundled employer key or folder")
    parser.add_argument("--pay-year", required=True, help="pay year, e.g. 2018/19")
    parser.add_argument("--basis", choices=POINTS, dest="point",
                        help="cost at each post's scp (actual, the default), or every "
                        "grade's top or bottom")
    parser.add_argument("--rule", help="the employer's on-cost rule (default: the "
                        "employer's default rule, stored by name)")
    parser.add_argument("--round-to", choices=ROUND_TO,
                        help="round every cost to whole pounds or to the penny (default: the "
                        "rule's)")
    parser.add_argument("--ni-basis", choices=NI_BASES,
                        help="employer NI per fte or per person (default: the rule's)")
    parser.add_argument("--whole-pay-bill", action="store_true", default=None,
                        help="the establishment is the employer's whole pay bill (the "
                        "apprenticeship levy allowance applies)")
    parser.add_argument("--range-point", choices=RANGE_POINTS,
                        help="where in a published pay range to cost (default: midpoint)")
    add_award(parser)


# options of the basis commands, by the PayBasis field each sets
BASIS_OPTIONS = {"employer": "employer", "point": "point", "rule": "rule",
                 "round_to": "round_to", "ni_basis": "ni_basis",
                 "whole_pay_bill": "whole_pay_bill", "range_point": "range_point"}


def _basis_from(args: argparse.Namespace, found: PayBasis | None = None) -> PayBasis:
    """The basis to store: ``found`` (the opening structure file's ``[basis]``, every field
    of it) with the options given on top; the rule stated by name (the default rule's)."""
    pay_year = _pay_year(args.pay_year)
    base = found or PayBasis()
    changes: dict[str, Any] = {field: getattr(args, option)
                               for option, field in BASIS_OPTIONS.items()
                               if getattr(args, option, None) is not None}
    if base.pay_year != pay_year:  # a date of the file's own pay year belongs to it alone
        changes["rates_on"] = None
    awards = awards_from_args(args)
    if awards:  # --award on top of the file's own assumptions
        changes["awards"] = awards
    try:
        basis = base.evolve(pay_year=pay_year, label="", **changes)
        employer = basis.load_employer()
        rule = employer.rule(basis.rule).name  # the default, stated by name
    except ValidationError as err:
        raise CliError(str(err)) from None
    except pay_scales.PayScaleError as err:
        raise CliError(str(err)) from None
    try:
        # a year the pay data do not reach, with no award assumed for it, cannot be costed:
        # refused now, not when the register is first costed in that year
        employer.check_spine_covers(basis.pay_year, rule)
    except pay_scales.PayScaleError as err:
        raise CliError(f"--pay-year: {err.message}") from None
    return basis.evolve(rule=rule)


def _basis_said(basis: PayBasis) -> str:
    conventions = basis.conventions()
    return (f"{basis.employer}, rule {basis.rule}, {basis.point}"
            + (f"; {conventions}" if conventions else "")
            + ("; the whole pay bill" if basis.whole_pay_bill else ""))


# --- writing ---------------------------------------------------------------------------


def _init(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("init", help="make a new register")
    _file(parser)
    _basis_options(parser)
    parser.add_argument("--from", dest="structure", metavar="STRUCTURE",
                        help="the opening establishment (a structure file, read with the "
                        "input options below as every command reads one)")
    parser.add_argument("--on", metavar="DATE", help="the opening date (required with "
                        "--from; default: the first day of --pay-year)")
    add_input_options(parser)
    parser.set_defaults(run=_guarded(run_init))


def run_init(args: argparse.Namespace) -> int:
    if args.structure and not args.on:
        raise CliError("--from needs --on DATE: the day the opening establishment is of")
    loaded = load_from_args(args, name="structure") if args.structure else None
    basis = _basis_from(args, loaded.basis if loaded is not None else None)
    opened = _day(args.on, "--on") if args.on else pay_scales.pay_year_start(basis.pay_year)
    opening = loaded.structure if loaded is not None else None
    with Register.create(args.register_file, basis, opening=opening, opened_on=opened) as reg:
        count = len(reg.opening().posts)
        print(f"{args.register_file}: register opened on {opened.isoformat()} with {count} "
              f"posts; basis {pay_scales.pay_year_label(basis.pay_year)}: "
              f"{_basis_said(basis)}; head {reg.head()}")
    return 0


def _basis(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("basis", help="store the pay basis of a pay year")
    _file(parser)
    _basis_options(parser)
    parser.set_defaults(run=_guarded(run_basis))


def run_basis(args: argparse.Namespace) -> int:
    basis = _basis_from(args)
    with Register.open(args.register_file) as reg:
        reg.set_basis(basis)
    print(f"{args.register_file}: basis for {pay_scales.pay_year_label(basis.pay_year)} "
          f"stored: {_basis_said(basis)}")
    return 0


def _limit(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("limit", help="store a team's limits for a pay year")
    _file(parser)
    parser.add_argument("--team", required=True)
    parser.add_argument("--pay-year", required=True)
    parser.add_argument("--fte", help="most fte the team may hold")
    parser.add_argument("--headcount", help="most posts (people) the team may hold")
    parser.add_argument("--budget", help="the team's staffing budget (full year)")
    parser.add_argument("--temporary", help="the temporary part of the budget")
    parser.set_defaults(run=_guarded(run_limit))


def run_limit(args: argparse.Namespace) -> int:
    try:
        limit = Limit(args.team, _pay_year(args.pay_year), args.fte, args.headcount,
                      args.budget, args.temporary)
    except (ValidationError, ValueError) as err:
        raise CliError(f"register limit: {err}") from None
    with Register.open(args.register_file) as reg:
        reg.set_limit(limit)
    print(f"{args.register_file}: limits stored for {limit.team!r} in "
          f"{pay_scales.pay_year_label(limit.pay_year)}")
    return 0


def _record(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("record", help="record a decision (a changes file or a "
                                 "target structure)")
    _file(parser)
    parser.add_argument("content", metavar="CHANGES_OR_STRUCTURE.toml",
                        help="a changes file ([[change]] tables) or a target structure "
                        "([[post]] tables: stored as the changes from the state on the "
                        "effective date)")
    parser.add_argument("--effective", required=True, metavar="DATE")
    parser.add_argument("--approved", required=True, metavar="DATE")
    parser.add_argument("--approved-by", required=True)
    parser.add_argument("--reference", required=True, help="report title or number")
    parser.add_argument("--note", default="")
    parser.add_argument("--override", metavar="REASON",
                        help="record even though it breaks a team limit (the reason is "
                        "recorded with the decision)")
    parser.set_defaults(run=_guarded(run_record))


def read_content(path: str) -> Any:
    """A decision's content: the changes of a changes file, or a structure."""
    from establishment.io import load_structure, read_bytes
    from establishment.io.changes_file import parse_changes_text
    from establishment.io.toml_file import load_toml

    text = read_bytes(path).decode("utf-8", errors="replace")
    try:  # load_toml: deep nesting and huge integers are located errors, not a traceback
        keys = set(load_toml(text, path, allow_empty=True))
    except LoadError:
        keys = {"change"}  # the changes reader reports the TOML error, located
    if "change" in keys:
        return list(parse_changes_text(text, path).changes)
    if "post" in keys or "payment" in keys:
        return load_structure(path)
    raise LoadError([Problem(path, None, "neither a changes file ([[change]] tables) nor a "
                             "structure ([[post]] tables)")])


def run_record(args: argparse.Namespace) -> int:
    content = read_content(args.content)
    with Register.open(args.register_file) as reg:
        try:
            entry = reg.record(content, effective=_day(args.effective, "--effective"),
                               approved=_day(args.approved, "--approved"),
                               approved_by=args.approved_by, reference=args.reference,
                               note=args.note, override=args.override)
        except LimitError as err:
            print(f"establishment: {err}", file=sys.stderr)
            return err.exit_status
    override = f" (limits overridden: {entry.override})" if entry.override else ""
    print(f"{args.register_file}: recorded decision {entry.id}, effective "
          f"{entry.effective.isoformat()}{override}; head {entry.hash}")
    return 0


def _assimilate(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("assimilate", help="record the move of every post's point "
                                 "to a new pay spine on 1 April (the 2019 NJC restructure)")
    _file(parser)
    parser.add_argument("--pay-year", required=True,
                        help="the first pay year on the new spine, e.g. 2019/20 (its basis "
                        "must be stored)")
    parser.add_argument("--approved", required=True, metavar="DATE")
    parser.add_argument("--approved-by", required=True)
    parser.add_argument("--reference", required=True, help="report title or number")
    parser.add_argument("--note", default="")
    parser.set_defaults(run=_guarded(run_assimilate))


def run_assimilate(args: argparse.Namespace) -> int:
    """One decision, effective 1 April of the pay year, regrading each post whose point
    moves (old scp 34 to new 28), so every later cost is on the spine of its year."""
    pay_year = _pay_year(args.pay_year)
    regrades = assimilation(args.register_file, pay_year)
    label = pay_scales.pay_year_label(pay_year)
    if not regrades:
        print(f"{args.register_file}: no post needs a new point for {label} (the spine is "
              f"unchanged, or the move is recorded): nothing recorded")
        return 0
    with Register.open(args.register_file) as reg:
        entry = reg.record(regrades, effective=pay_scales.pay_year_start(pay_year),
                           approved=_day(args.approved, "--approved"),
                           approved_by=args.approved_by, reference=args.reference,
                           note=args.note or f"assimilation to the {label} spine")
    moves = ", ".join(f"{r.target} scp {r.scp}" for r in regrades)
    print(f"{args.register_file}: recorded decision {entry.id}, effective "
          f"{entry.effective.isoformat()}: {len(regrades)} posts to their {label} points "
          f"({moves}); head {entry.hash}")
    return 0


def _revoke(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("revoke", help="remove a decision from replay (recorded)")
    _file(parser)
    parser.add_argument("id", type=int, metavar="ID")
    parser.add_argument("--reason", required=True)
    parser.add_argument("--approved-by", default="")
    parser.add_argument("--reference", default="")
    parser.set_defaults(run=_guarded(run_revoke))


def run_revoke(args: argparse.Namespace) -> int:
    with Register.open(args.register_file) as reg:
        entry = reg.revoke(args.id, reason=args.reason, approved_by=args.approved_by,
                           reference=args.reference)
    print(f"{args.register_file}: decision {args.id} revoked by entry {entry.id}; head "
          f"{entry.hash}")
    return 0


def _verify(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("verify", help="check the hash chain; print the head hash")
    _file(parser)
    parser.add_argument("--deep", action="store_true", help="also replay the whole ledger "
                        "and check every stored snapshot against it")
    parser.add_argument("--head", metavar="HASH", help="a head hash recorded elsewhere (a "
                        "committee minute): it must be in the chain (detects a deleted last "
                        "entry, or a chain rewritten whole)")
    parser.set_defaults(run=_guarded(run_verify))


def run_verify(args: argparse.Namespace) -> int:
    with Register.open(args.register_file, check=False) as reg:
        head = reg.verify(deep=args.deep, head=args.head)
        entries = reg.entries()
    since = ""
    if args.head and args.head != head:
        later = [e for e in entries if e.id > next(
            (e.id for e in entries if e.hash == args.head), 0)]
        since = f"; the recorded head is followed by {len(later)} entries"
    elif args.head:
        since = "; the recorded head is the head"
    print(f"{args.register_file}: ok, {len(entries)} entries; head {head}{since}")
    return 0


# --- queries ---------------------------------------------------------------------------


def _query(commands: argparse._SubParsersAction, name: str, help: str) -> argparse.ArgumentParser:
    parser = commands.add_parser(name, help=help)
    _file(parser)
    return parser


def _as_of(commands: argparse._SubParsersAction) -> None:
    parser = _query(commands, "as-of", "the establishment in force on a date")
    parser.add_argument("date", metavar="DATE")
    add_format(parser)
    parser.set_defaults(run=_guarded(run_as_of))


def run_as_of(args: argparse.Namespace) -> int:
    day = _day(args.date, "DATE")
    found = in_force(args.register_file, day)
    emit_tables(args, [posts_table(found, f"Establishment as of {day.isoformat()}")])
    return 0


def _log(commands: argparse._SubParsersAction) -> None:
    parser = _query(commands, "log", "every decision and revocation")
    add_format(parser)
    parser.set_defaults(run=_guarded(run_log))


def run_log(args: argparse.Namespace) -> int:
    lines, head = log_and_head(args.register_file)
    emit_tables(args, [log_table(lines, head=head)])
    return 0


def _history(commands: argparse._SubParsersAction) -> None:
    parser = _query(commands, "history", "what happened to one post")
    parser.add_argument("reference", metavar="REF")
    add_format(parser)
    parser.set_defaults(run=_guarded(run_history))


def run_history(args: argparse.Namespace) -> int:
    emit_tables(args, [history_table(history(args.register_file, args.reference),
                                     args.reference)])
    return 0


def _expiring(commands: argparse._SubParsersAction) -> None:
    parser = _query(commands, "expiring", "temporary posts ending soon, and the cost of "
                    "making each permanent")
    parser.add_argument("--within", default="6m", help="window: 6m, 90d, 2w, 1y (default 6m)")
    parser.add_argument("--on", metavar="DATE", help="from this date (default: today)")
    add_format(parser)
    parser.set_defaults(run=_guarded(run_expiring))


def run_expiring(args: argparse.Namespace) -> int:
    on = _day(args.on, "--on") if args.on else dt.date.today()
    try:
        until = add_window(on, args.within)
    except ValidationError as err:
        raise CliError(f"--within: {err}") from None
    found = expiring(args.register_file, on, args.within)
    emit_tables(args, [expiring_table(found, on, until, money_unit(args.register_file))])
    return 0


def _cost(commands: argparse._SubParsersAction) -> None:
    parser = _query(commands, "cost", "the cost of a period as the establishment changed")
    parser.add_argument("--from", dest="period_from", required=True, metavar="DATE")
    parser.add_argument("--to", dest="period_to", required=True, metavar="DATE")
    add_format(parser)
    parser.set_defaults(run=_guarded(run_cost))


def run_cost(args: argparse.Namespace) -> int:
    start, end = _day(args.period_from, "--from"), _day(args.period_to, "--to")
    if end < start:
        raise CliError(f"--to {end} is before --from {start}")
    segments = period_cost(args.register_file, start, end)
    emit_tables(args, [segments_table(segments, start, end, money_unit(args.register_file))])
    return 0


def _check(commands: argparse._SubParsersAction) -> None:
    parser = _query(commands, "check", "teams against their limits (exit 1 on a breach)")
    parser.add_argument("--on", metavar="DATE", help="default: today")
    add_format(parser)
    parser.set_defaults(run=_guarded(run_check))


def run_check(args: argparse.Namespace) -> int:
    on = _day(args.on, "--on") if args.on else dt.date.today()
    checks = limit_checks(args.register_file, on)
    emit_tables(args, [limits_table(checks, on)])
    broken = [str(b) for c in checks for b in c.breaches]
    for breach in broken:
        print(f"establishment: breach: {breach}", file=sys.stderr)
    return 1 if broken else 0


def _export(commands: argparse._SubParsersAction) -> None:
    parser = _query(commands, "export", "write the establishment on a date as a structure "
                    "file")
    parser.add_argument("date", metavar="DATE")
    parser.add_argument("--output", "-o", required=True, metavar="FILE.toml")
    parser.set_defaults(run=_guarded(run_export))


def run_export(args: argparse.Namespace) -> int:
    if not args.output.endswith(".toml"):
        raise CliError("--output must name a .toml structure file")
    found = export(args.register_file, _day(args.date, "DATE"), args.output)
    print(f"{args.output}: {len(found.structure.posts)} posts, {found.fte} fte",
          file=sys.stderr)
    return 0


def _demo(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("demo", help="make an example register of the bundled "
                                 "decisions")
    _file(parser)
    parser.set_defaults(run=_guarded(run_demo))


def run_demo(args: argparse.Namespace) -> int:
    from establishment.cli.register_demo import build_demo

    reg = build_demo(args.register_file)
    with reg:
        decisions = sum(e.kind == "decision" for e in reg.entries())
        print(f"{args.register_file}: {decisions} decisions recorded; head {reg.head()}")
    return 0

