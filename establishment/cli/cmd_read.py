"""``establishment read REPORT -o scenario.toml``: a committee report read into a scenario."""

from __future__ import annotations

import argparse
import re
import sys

from establishment.cli.options import CliError, cli_date

EXAMPLES = """examples:
  establishment read report.txt --employer nottinghamshire -o decision.toml
  establishment read report.docx --employer nottinghamshire --rule council-2018 -o d.toml
  establishment read report.pdf --employer nottinghamshire --date 2018-06-18
"""


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "read", help="read a committee report (.txt, .docx, .pdf) into a scenario file",
        description="Read the staffing statements and published figures out of a committee "
        "report and write them as a scenario file, each item with the paragraph and words it "
        "came from; what cannot be read is listed, located (docs/audit.md).",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_read_options(parser)
    parser.add_argument("--output", "-o", metavar="PATH", default=None,
                        help="write the scenario file here (default: standard output)")
    parser.set_defaults(run=run)


def add_read_options(parser: argparse.ArgumentParser) -> None:
    """The options ``read`` and ``audit`` share."""
    parser.add_argument("report", help="the report: text (.txt), Word (.docx) or PDF (.pdf)")
    parser.add_argument("--employer", default=None,
                        help="the employer whose pay data cost the posts (default: the one "
                        "the report names, if the pay data know it)")
    parser.add_argument("--rule", default=None,
                        help="the on-cost rule the report was costed on (reports rarely say; "
                        "default: what the text states, else the employer's default)")
    parser.add_argument("--date", default=None, metavar="YYYY-MM-DD",
                        help="the report's date (and so its pay year), if the text's is "
                        "wrong or missing")
    parser.add_argument("--patterns", default=None, metavar="TOML",
                        help="your own pattern file (the layout of establishment/reading/"
                        "patterns.toml)")


def reading_from_args(args: argparse.Namespace):  # noqa: ANN201 - a Reading
    from establishment.reading import read_report

    date = cli_date(args.date, "--date", args) if args.date else None
    reading = read_report(args.report, date=date, patterns=args.patterns)
    if reading.date is None:
        raise CliError(f"{args.report}: the report's date is not in its opening lines: give "
                       "--date YYYY-MM-DD (it sets the pay year)")
    return reading


def employer_from_args(args: argparse.Namespace, reading) -> str:  # noqa: ANN001
    """``--employer``, else the bundled employer whose name the report's text holds."""
    from pay_scales.employer import bundled_employers, load_employer

    if args.employer:
        return args.employer
    for key in bundled_employers():
        name = load_employer(key).name
        if re.search(rf"(?i)\b({re.escape(name)}|{re.escape(key)})\b", reading.text):
            return key
    raise CliError(f"{args.report}: the report names no employer the pay data know: give "
                   f"--employer (bundled: {', '.join(bundled_employers())})")


def run(args: argparse.Namespace) -> int:
    from establishment.io.atomic import atomic_write
    from establishment.reading import scenario_toml, summary

    reading = reading_from_args(args)
    employer = employer_from_args(args, reading)
    try:
        text = scenario_toml(reading, employer, rule=args.rule)
    except ValueError as err:
        raise CliError(f"{args.report}: {err}") from None
    if args.output and args.output != "-":
        with atomic_write(args.output, "w", encoding="utf-8") as handle:
            handle.write(text)
        print(summary(reading), file=sys.stderr)
    else:
        sys.stdout.write(text)
        print(summary(reading), file=sys.stderr)
    return 0
