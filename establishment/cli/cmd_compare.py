"""``establishment compare A B ...``: options side by side, each against the first."""

from __future__ import annotations

import argparse

from establishment.cli.cmd_diff import draw_chart, shared_basis
from establishment.cli.options import (
    CliError,
    add_basis,
    add_format,
    add_input_options,
    emit_document,
    load_from_args,
    output_format,
    period_from_args,
)

EXAMPLES = """examples:
  establishment compare current.toml option-a.toml option-b.toml
  establishment compare current.toml option-a.toml --pay-year 2019/20 --format github
  establishment compare current.toml option-a.toml --from 2019-06-01 --to 2020-03-31
  establishment compare current.toml option-a.toml --vacancy-factor 3% --format csv
  establishment compare current.toml option-a.toml --chart options.png
"""


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("compare", help="compare options side by side",
                            description="Cost several structure files on one basis and show "
                            "them side by side: fte, full-year cost, in-period cost (with "
                            "--from/--to), the change against the first file (the base) and "
                            "what each funding source pays.", epilog=EXAMPLES,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+", metavar="FILE",
                        help="structure files (.toml, .csv, .xlsx); the first is the base")
    parser.add_argument("--vacancy-factor", metavar="RATE",
                        help="a vacancy factor for every option, shown as its own column, "
                        "e.g. 3%% or 0.03 (a bare 3 is refused as ambiguous)")
    parser.add_argument("--chart", metavar="PATH",
                        help="also draw a bar chart of the options (.png or .svg)")
    parser.add_argument("--label", metavar="FILE=TEXT", action="append", default=[],
                        help="the name an option is shown by (tables and chart), e.g. "
                        "--label a.toml=\"Option A\" (default: the file's name = \"...\", "
                        "else its file name)")
    add_input_options(parser)
    add_format(parser)
    add_basis(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from establishment.errors import ValidationError
    from establishment.model.vacancy import VacancyFactor
    from establishment.operations.compare import compare
    from establishment.tables.charts import comparison_figure
    from establishment.tables.comparison_table import options_table
    from establishment.tables.document import Document

    if len(args.files) < 2:
        raise CliError("compare needs at least two files: the base and an option")
    loaded = []
    for path in args.files:
        args.current_file = path
        loaded.append(load_from_args(args, name="current_file"))
    names = [item.structure.name or path for item, path in zip(loaded, args.files)]
    if len(set(names)) != len(names):
        names = _distinct(list(args.files))
    names = _labelled(names, list(args.files), args.label)
    vacancy = None
    if args.vacancy_factor is not None:
        try:
            vacancy = VacancyFactor(args.vacancy_factor)
        except ValidationError as err:
            raise CliError(f"--vacancy-factor: {err}") from None
    basis = shared_basis(args, loaded, list(args.files))
    comparison = compare(loaded[0].structure,
                         [(n, item.structure) for n, item in zip(names[1:], loaded[1:])],
                         basis, period=period_from_args(args), base_name=names[0],
                         vacancy=vacancy)
    bars = [(o.name, o.full_year) for o in comparison.options]
    if args.chart:
        draw_chart(args.chart, "comparison_chart", bars, CHART_TITLE)
    blocks: list = [options_table(comparison)]
    if output_format(args) in ("html", "docx"):  # the same chart in the document
        blocks.append(comparison_figure(bars, CHART_TITLE))
    emit_document(args, Document("", tuple(blocks)))
    return 0


CHART_TITLE = "Full-year cost of each option"


def _labelled(names: list[str], files: list[str], labels: list[str]) -> list[str]:
    """Each ``--label FILE=TEXT`` names its file's option; a label for no file given, or
    two options of one name, is a located error."""
    given = {}
    for text in labels:
        path, sep, label = text.partition("=")
        if not sep or not label.strip() or path not in files:
            raise CliError(f"--label {text}: expected FILE=TEXT with FILE one of the files "
                           f"compared ({', '.join(files)})")
        given[path] = label.strip()
    names = [given.get(path, name) for path, name in zip(files, names)]
    if len(set(names)) != len(names):
        raise CliError("--label: two options would have the same name: give each its own")
    return names


def _distinct(names: list[str]) -> list[str]:
    """Option names made distinct with " (2)", " (3)"...: comparing a file with itself (a
    check that an edit changed nothing) is a fair question, not a naming error."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out
