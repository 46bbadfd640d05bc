"""Options shared by commands: output format, pay basis, period."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from establishment.errors import EstablishmentError, ValidationError
from establishment.pay_basis import PayBasis
from establishment.tables.render import FORMATS, render
from establishment.tables.table import Table
from pay_scales.dates import parse_pay_year
from pay_scales.employer import POINTS


class CliError(EstablishmentError):
    """A bad command-line argument (exit 2)."""


def add_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", "-f", default="plain", choices=FORMATS,
                        help="output format (default: plain)")


def add_basis(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("pay basis (defaults: the file's [basis], else the "
                                      "employer's default rule)")
    group.add_argument("--employer", help="bundled employer key or employer folder")
    group.add_argument("--pay-year", help="pay year, e.g. 2018 or 2018/19")
    group.add_argument("--basis", choices=POINTS, dest="point",
                       help="cost at each post's scp (actual), or every grade's top or bottom")
    group.add_argument("--rule", help="the employer's on-cost rule (see its employer.toml)")
    group.add_argument("--from", dest="period_from", metavar="DATE",
                       help="period start (ISO date) for an in-period cost")
    group.add_argument("--to", dest="period_to", metavar="DATE",
                       help="period end (ISO date, inclusive)")


def _date(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CliError(f"{option} must be an ISO date such as 2019-03-31 (got {text!r})") from None


def basis_from_args(args: argparse.Namespace, default: PayBasis | None) -> PayBasis:
    basis = default or PayBasis()
    changes = {}
    if args.employer:
        changes["employer"] = args.employer
    if args.pay_year:
        try:
            changes["pay_year"] = parse_pay_year(args.pay_year)
        except ValueError as err:
            raise CliError(f"--pay-year: {err}") from None
        changes["rates_on"] = None
    if args.point:
        changes["point"] = args.point
    if args.rule:
        changes["rule"] = args.rule
    try:
        return basis.evolve(**changes) if changes else basis
    except ValidationError as err:
        raise CliError(str(err)) from None


def period_from_args(args: argparse.Namespace) -> tuple[dt.date, dt.date] | None:
    if not args.period_from and not args.period_to:
        return None
    if not (args.period_from and args.period_to):
        raise CliError("--from and --to go together: give both dates of the period")
    start, end = _date(args.period_from, "--from"), _date(args.period_to, "--to")
    if end < start:
        raise CliError(f"--to {end} is before --from {start}")
    return start, end


def write_text(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def emit_tables(args: argparse.Namespace, tables: list[Table], *, heading: str = "") -> None:
    """Write ``tables`` in ``args.format`` to standard output (every command's output path)."""
    body = "\n\n".join(render(t, args.format) for t in tables)
    write_text(f"{heading}\n\n{body}" if heading else body)
