"""Options shared by commands: input files, output format and file, pay basis, period.

Output: ``--format`` (plain, github, html, latex, csv, xlsx) and ``--output PATH``; when only
``--output`` is given the format comes from its extension (``.md`` github, ``.tex`` latex,
``.html``, ``.csv``, ``.xlsx``, ``.txt`` plain). ``-`` (or no ``--output``) is standard output.
Files are written atomically. Input: a structure file (``.toml``, ``.csv``, ``.xlsx``) or ``-``
for standard input (``--input-format`` says which; TOML by default).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable
from typing import Any

import attrs

from establishment.errors import EstablishmentError, OutputError, ValidationError
from establishment.model.pay_basis import PayBasis
from establishment.model.style import Style
from establishment.tables.render import BINARY_FORMATS, FORMATS, format_for_path
from establishment.tables.table import Table
from establishment.tables.terminal import output_width, shown_lines
from pay_scales.dates import parse_pay_year
from pay_scales.errors import PayScaleError
from pay_scales.vocabulary import NI_BASES, POINTS, ROUND_TO


class CliError(EstablishmentError):
    """A bad command-line argument (exit 2)."""


class _FormatAction(argparse.Action):
    """Stores --format and remembers that it was given (else --output's extension decides)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                  values: Any, option_string: str | None = None) -> None:
        setattr(namespace, self.dest, values)
        namespace.format_given = True


def add_format(parser: argparse.ArgumentParser) -> None:
    """``--format``, ``--output``, ``--table`` and ``--negatives`` (every command that prints
    tables)."""
    parser.add_argument("--format", "-f", default="plain", choices=FORMATS,
                        action=_FormatAction,
                        help="output format (default: from --output's extension, else plain)")
    parser.add_argument("--output", "-o", metavar="PATH", default=None,
                        help="write to PATH (atomically) instead of standard output; '-' is "
                        "standard output; with csv, a directory (DIR/) gets one file per table")
    parser.add_argument("--table", metavar="NAME", default=None,
                        help="only the table NAME (csv writes the main table unless told)")
    parser.add_argument("--negatives", choices=("minus", "brackets"), default="minus",
                        help="show negative amounts as -£12,345 (default) or (£12,345)")
    parser.add_argument("--all", action="store_true", dest="all_lines",
                        help="on a terminal, show every line of a long table (a file or a "
                        "pipe always gets every line)")
    parser.add_argument("--page", choices=("a4", "letter"), default=None,
                        help="Word output: the page size (default a4, or the template's)")
    parser.add_argument("--template", metavar="FILE.docx", default=None,
                        help="Word output: a .docx whose styles (headings, fonts, table style "
                        "'Report Table', header and footer) the document uses")


def add_verbose(parser: argparse.ArgumentParser) -> None:
    """``--verbose``: the row counts go to standard error so piped tables stay clean."""
    parser.add_argument("--verbose", "-v", action="count", default=0,
                        help="report rows read, posts made and errors (on standard error)")


def add_input(parser: argparse.ArgumentParser, name: str = "file") -> None:
    """A structure file argument with the options for reading HR exports."""
    parser.add_argument(name, help="structure file (.toml, .csv, .xlsx, .parquet), '-' for "
                        "standard input, or a register on a day (FILE.db@DATE)")
    add_input_options(parser)


def add_input_options(parser: argparse.ArgumentParser) -> None:
    """The options for reading structure files, the same on every command that reads one
    (``cost``, ``check``, ``diff``, ``compare``, ``project``, ``staffing``)."""
    group = parser.add_argument_group("reading HR exports (CSV/XLSX)")
    group.add_argument("--input-format", choices=("toml", "csv", "xlsx", "parquet"),
                       help="type of the input (default: from its extension; TOML for '-')")
    group.add_argument("--column", action="append", default=[], metavar="HEADER=FIELD",
                       help="map an export's column to a field, e.g. "
                       "'Job Ref=reference' (repeatable)")
    group.add_argument("--columns", metavar="MAP.toml",
                       help="a TOML file of column mappings, one 'Header = \"field\"' a "
                       "line (or under [columns]; \"ignore\" leaves a column unread); "
                       "--column options win over it")
    group.add_argument("--ignore-column", action="append", default=[], metavar="HEADER",
                       help="leave the column HEADER unread (repeatable; the same as "
                       "'\"HEADER\" = \"ignore\"' in a column map)")
    group.add_argument("--show-mapping", action="store_true",
                       help="list every column of each input with the field it became and "
                       "how (on standard error; headers and fields only, never a cell)")
    group.add_argument("--dates", choices=("day-first", "month-first", "strict"),
                       default="day-first",
                       help="how to read 03/04/2019, in files and on the command line: "
                       "day-first (UK, default: 3 April), month-first (US), or strict "
                       "(report it as ambiguous)")
    group.add_argument("--encoding", metavar="NAME",
                       help="a text file's encoding (default: UTF-8, else Windows-1252 with "
                       "a note), e.g. utf-8 or windows-1252")


def add_basis(parser: argparse.ArgumentParser, *, pay_year: bool = True,
              period: bool = True) -> None:
    """``--employer``, ``--basis``, ``--rule`` and (unless the command decides them itself)
    ``--pay-year`` and the period ``--from``/``--to``."""
    group = parser.add_argument_group("pay basis (the file's [basis], with these options on "
                                      "top; an employer must be named; no pay year: today's)")
    group.add_argument("--employer", help="bundled employer key or employer folder")
    if pay_year:
        group.add_argument("--pay-year", help="pay year, e.g. 2018 or 2018/19")
    group.add_argument("--basis", choices=POINTS, dest="point",
                       help="cost at each post's scp (actual), or every grade's top or bottom")
    group.add_argument("--rule", help="the employer's on-cost rule (see its employer.toml)")
    group.add_argument("--round-to", choices=ROUND_TO,
                       help="round every cost to whole pounds or to the penny (default: the "
                       "rule's)")
    group.add_argument("--ni-basis", choices=NI_BASES,
                       help="employer NI per fte (full-time NI x fte) or per person (each "
                       "person's own pay above the whole threshold; default: the rule's)")
    add_award(group)
    if period:
        group.add_argument("--from", dest="period_from", metavar="DATE",
                           help="period start (2019-07-01 or 01/07/2019) for an in-period cost")
        group.add_argument("--to", dest="period_to", metavar="DATE",
                           help="period end (inclusive)")


def add_award(parser: Any) -> None:
    """``--award`` (repeatable): a pay-award assumption, the same on every money command."""
    parser.add_argument("--award", action="append", dest="award", metavar="AWARD",
                        help="a pay award assumed for a year the pay data do not reach: "
                        "2026/27=3.2%%, 2026/27=£1,925 (flat per point), '2026/27=3.2%% "
                        "agreed'; a bare 3.2%% is every year after the data; repeat for a "
                        "chain (figures resting on one are marked [a])")


def awards_from_args(args: argparse.Namespace) -> tuple[Any, ...]:
    """The ``--award`` options as awards (a bad one is a CLI error naming the option)."""
    from pay_scales.awards import parse_awards

    given = getattr(args, "award", None) or []
    if isinstance(given, str):
        given = [given]
    try:
        return parse_awards(list(given), "--award")
    except PayScaleError as err:
        raise CliError(str(err)) from None


def structure_command(sub: argparse._SubParsersAction, name: str, *, summary: str,
                      description: str, examples: str, run: Callable[[argparse.Namespace], int],
                      output: bool = True, basis: bool = True) -> argparse.ArgumentParser:
    """The parser of a command that reads one structure file, with the options every such
    command shares, in one place: the file and the input options (:func:`add_input`),
    ``--format``/``--output`` (when it prints tables), ``--verbose`` and the pay basis
    (:func:`add_basis`; ``basis=False`` when the command adds its own). The command adds its
    own options to the parser returned; ``run`` reads the file with :func:`read_with_basis`."""
    parser = sub.add_parser(name, help=summary, description=description, epilog=examples,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    add_input(parser)
    if output:
        add_format(parser)
    add_verbose(parser)
    if basis:
        add_basis(parser)
    parser.set_defaults(run=run)
    return parser


def read_with_basis(args: argparse.Namespace, *, name: str = "file", check: bool = True
                    ) -> tuple[Any, PayBasis]:
    """The structure ``args.<name>`` names, read with the input options
    (:func:`load_from_args`), and the pay basis to cost it on: the file's ``[basis]`` with the
    options on top (:func:`basis_from_args`)."""
    loaded = load_from_args(args, name=name, check=check)
    basis = basis_from_args(args, loaded.basis)
    if not check:  # unchecked posts: an unknown rule said now, where it was given
        _check_rule(args, basis, loaded.path)
    return loaded, basis


def _check_rule(args: argparse.Namespace, basis: PayBasis, where: str) -> None:
    from establishment.errors import LoadError, Problem

    if basis.rule is None:
        return
    try:
        basis.load_employer().rule(basis.rule)
    except PayScaleError as err:
        if getattr(args, "rule", None):
            raise CliError(f"--rule: {err}") from None
        raise LoadError([Problem(where, None, str(err), "rule")]) from None


def cli_date(text: str, option: str, args: argparse.Namespace | None = None) -> dt.date:
    """A date on the command line, read as dates in files are (ISO, or day-first UK dates
    such as 31/03/2019 unless ``--dates`` says otherwise)."""
    from establishment.io.dates import DateError, parse_date

    dayfirst = dayfirst_from_args(args) if args is not None else True
    try:
        return parse_date(text, dayfirst=dayfirst)
    except DateError as err:
        raise CliError(f"{option}: expected a date such as 2019-03-31 or 31/03/2019; "
                       f"{err}") from None


def basis_from_args(args: argparse.Namespace, default: PayBasis | None) -> PayBasis:
    """The file's basis (``default``) with each option given on the command line on top, so
    a user can re-cost a file in another year without editing it. A new ``--pay-year`` drops
    the file's ``rates_on``: that date belongs to the old year."""
    basis = default or PayBasis()
    changes: dict[str, object] = {}
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
    for name in ("round_to", "ni_basis"):
        if getattr(args, name, None):
            changes[name] = getattr(args, name)
    awards = awards_from_args(args)
    if awards:  # on top of the file's: one given for the same year wins
        changes["awards"] = tuple({a.pay_year: a for a in (*basis.awards, *awards)}.values())
    try:
        basis = (basis.evolve(**changes) if changes else basis).resolved()
    except ValidationError as err:
        raise CliError(_basis_message(err)) from None
    except PayScaleError as err:  # an unknown employer or rule: say where it was given
        raise CliError(_basis_source(err, args, changes)) from None
    if basis.pay_year_note and not getattr(args, "pay_year_noted", False):
        print(f"establishment: {basis.pay_year_note}", file=sys.stderr)
        args.pay_year_noted = True
    return basis


BASIS_OPTIONS = {"employer": "--employer", "pay_year": "--pay-year", "point": "--basis",
                 "rule": "--rule", "round_to": "--round-to", "ni_basis": "--ni-basis"}


def _basis_source(err: PayScaleError, args: argparse.Namespace, changes: dict[str, object]
                  ) -> str:
    """A pay-data refusal of the basis (``unknown employer 'x'``) said with where the user
    gave the value: the option, else the file's ``[basis]`` (the caller names the file)."""
    field = err.field if err.field in BASIS_OPTIONS else "employer"
    if field in changes:
        return f"{BASIS_OPTIONS[field]}: {err}"
    return f"{field}: {err} (or give {BASIS_OPTIONS[field]} on the command line)"


def _basis_message(err: ValidationError) -> str:
    """A basis that cannot be used, said for the command line: what is missing and how to
    give it (no employer or pay year is assumed)."""
    if err.found is None and err.field in ("employer", "pay_year"):
        return f"no {err.field.replace('_', ' ')} given: {err.field} must be {err.expected}"
    return str(err)


def period_from_args(args: argparse.Namespace) -> tuple[dt.date, dt.date] | None:
    """``--from``/``--to`` as an inclusive period, or None (full-year costs only). Both or
    neither: an open-ended period has no cost to show."""
    if not args.period_from and not args.period_to:
        return None
    if not (args.period_from and args.period_to):
        raise CliError("--from and --to go together: give both dates of the period")
    start = cli_date(args.period_from, "--from", args)
    end = cli_date(args.period_to, "--to", args)
    if end < start:
        raise CliError(f"--to {end} is before --from {start}")
    return start, end


def column_mapping(args: argparse.Namespace) -> dict[str, str]:
    """``--columns map.toml`` and then ``--column 'Job Ref=reference'`` options as one mapping
    (a ``--column`` wins); ``--column`` splits at the last ``=`` because export headers may
    themselves contain one ("Salary=Basic")."""
    mapping = columns_file(args.columns) if getattr(args, "columns", None) else {}
    for item in getattr(args, "column", None) or []:
        header, sep, field = item.rpartition("=")
        if not sep or not header.strip() or not field.strip():
            raise CliError(f"--column must be HEADER=FIELD, e.g. 'Job Ref=reference' "
                           f"(got {item!r})")
        mapping[header.strip()] = field.strip()
    for header in getattr(args, "ignore_column", None) or []:
        if not header.strip():
            raise CliError("--ignore-column needs a column's header")
        mapping[header.strip()] = "ignore"
    return mapping


def show_mapping(args: argparse.Namespace, source: str, counts: Any) -> None:
    """With ``--show-mapping``, every column of ``source`` and the field it became (from
    its load counts), on standard error: headers and field names only, never a cell."""
    if not getattr(args, "show_mapping", False):
        return
    mapping = getattr(counts, "mapping", ())
    if not mapping:
        print(f"establishment: {source}: no columns to map (fields by name)", file=sys.stderr)
        return
    print(f"establishment: {source}: column mapping:", file=sys.stderr)
    said = {"exact": "the header is its name", "map": "the column map",
            "guess": "guessed from the header"}
    for header, field, how in mapping:
        became = f"{field} ({said.get(how, how)})" if field else how
        print(f"  {header!r} -> {became}", file=sys.stderr)


def columns_file(path: str) -> dict[str, str]:
    """A column map file: TOML whose keys are an export's headers and whose values are
    fields, at the top level or under ``[columns]``::

        "Position No" = "reference"
        "Employee No" = "person"
    """
    import tomllib

    from establishment.errors import LoadError, Problem
    from establishment.io import read_bytes

    data = read_bytes(path)
    try:
        table = tomllib.loads(data.decode("utf-8-sig"))
    except (ValueError, RecursionError) as err:  # bad UTF-8 or TOML, deep nesting, huge ints
        raise LoadError([Problem(path, None, f"--columns: not a TOML column map: {err}")]
                        ) from None
    if isinstance(table.get("columns"), dict):
        table = table["columns"]
    bad = [Problem(path, None, f"--columns: {header!r} must map to a field name (a string), "
                   f"found {value!r}", header)
           for header, value in table.items() if not isinstance(value, str)]
    if bad:
        raise LoadError(bad)
    return dict(table)


def dayfirst_from_args(args: argparse.Namespace) -> bool | None:
    """``--dates`` as dateutil's ``dayfirst`` (None: report 03/04/2019 as ambiguous rather
    than guess, for exports whose convention is unknown)."""
    return {"day-first": True, "month-first": False, "strict": None}[
        getattr(args, "dates", "day-first") or "day-first"]


def _from_register(source: str, args: argparse.Namespace) -> Any:
    """The Loaded establishment of ``FILE.db@DATE`` (None when ``source`` is not one), with
    the register's basis for that day's pay year as the file's basis."""
    from establishment.io import LoadCounts, Loaded
    from establishment.register.queries import register_source

    found = register_source(source, dayfirst=dayfirst_from_args(args))
    if found is None:
        return None
    structure, basis = found
    if basis is None and hasattr(args, "employer") and not args.employer:
        _no_stored_basis(source, args)
    counts = LoadCounts(rows=len(structure.posts) + len(structure.payments),
                        posts=len(structure.posts), payments=len(structure.payments))
    return Loaded(structure, basis, source, counts)


def _no_stored_basis(source: str, args: argparse.Namespace) -> None:
    """A register day whose pay year has no stored basis, and no --employer: point at
    ``register basis`` (not "no employer given", which names nothing the user wrote)."""
    import pay_scales
    from establishment.register.queries import split_register_source

    path, day = split_register_source(source, dayfirst=dayfirst_from_args(args)) or ("", None)
    label = pay_scales.pay_year_label(pay_scales.pay_year_of(day)) if day else "that year"
    raise CliError(f"{source}: the register stores no pay basis for {label} (the pay year of "
                   f"{day}): add one with 'establishment register basis {path} --employer "
                   f"EMPLOYER --pay-year {label}', or give --employer and --pay-year here")


def load_from_args(args: argparse.Namespace, *, name: str = "file", check: bool = True
                   ) -> Any:
    """Load the structure named by ``args.<name>`` (a path or ``-``) with the reading options,
    checking grades against the pay basis the options and the file give; returns a
    :class:`~establishment.io.Loaded`. Prints counts with ``--verbose``; shows a progress bar
    for large files on a terminal."""
    from establishment.cli.progress import progress_for
    from establishment.io import CountedLoadError, input_format, parse_structure_bytes, read_bytes

    source = getattr(args, name)
    if "@" in str(source):  # FILE.db@DATE: a register's establishment on a day
        loaded = _from_register(source, args)
        if loaded is not None:
            return loaded
    fmt = getattr(args, "input_format", None)
    basis, unusable = _basis_chooser(args) if check else (None, [])
    options = {"columns": column_mapping(args), "dayfirst": dayfirst_from_args(args),
               "basis": basis, "encoding": encoding_from_args(args)}
    verbose = getattr(args, "verbose", 0)
    try:
        if source == "-":
            # a second '-' would read the rest of stdin (nothing): an empty structure, and a
            # diff or comparison that is wrong without a word
            if getattr(args, "stdin_taken", False):
                raise CliError("standard input ('-') can be read only once: give the other "
                               "structures as files")
            args.stdin_taken = True
            data, where, kind = sys.stdin.buffer.read(), "<stdin>", fmt or "toml"
        else:
            kind = fmt or input_format(source)
            data, where = read_bytes(source), source
            args.inputs_read = [*getattr(args, "inputs_read", []), source]
        # text formats: one row a line; a workbook is compressed, so only its size is known
        rows, known = ((data.count(b"\n"), True) if kind != "xlsx" else (len(data) // 20, False))
        with progress_for(rows, "reading", known=known) as progress:
            loaded = parse_structure_bytes(data, kind, where, progress=progress, **options)
    except CountedLoadError as err:
        show_mapping(args, str(source), err.counts)
        if verbose:
            print(f"establishment: {source}: {err.counts}", file=sys.stderr)
        raise
    show_mapping(args, str(source), loaded.counts)
    if verbose:
        print(f"establishment: {source}: {loaded.counts}", file=sys.stderr)
    for note in loaded.notes:
        print(f"establishment: note: {note}", file=sys.stderr)
    if unusable:  # located at the file whose [basis] (or the options) left it incomplete
        from establishment.errors import LoadError, Problem

        raise LoadError([Problem(str(source), None, str(unusable[0]), "basis")])
    return loaded


def _basis_chooser(args: argparse.Namespace
                   ) -> tuple[Callable[[PayBasis | None], PayBasis | None], list[CliError]]:
    """The basis to check a file's grades against, from its ``[basis]`` and the options. A
    basis they cannot complete (no employer, a pay year beyond the data) is kept in the list
    and raised after the file is read, so the file's own problems are all reported first."""
    unusable: list[CliError] = []

    def choose(found: PayBasis | None) -> PayBasis | None:
        try:
            return basis_from_args(args, found)
        except CliError as err:
            unusable.append(err)
            return None

    return choose, unusable


def encoding_from_args(args: argparse.Namespace) -> str | None:
    """``--encoding``, checked to name a codec Python knows."""
    from establishment.io.text import check_encoding

    try:
        return check_encoding(getattr(args, "encoding", None))
    except ValueError as err:
        raise CliError(f"--encoding: {err}") from None


def output_format(args: argparse.Namespace) -> str:
    """The format to write: --format when given, else --output's extension (a directory:
    csv, one file per table), else plain."""
    output = getattr(args, "output", None)
    given = getattr(args, "format_given", False)
    if given or not output or output == "-":
        return getattr(args, "format", None) or "plain"
    if csv_directory(args) is not None:
        return "csv"
    return format_for_path(output)


def emit_bytes(args: argparse.Namespace, data: Any, fmt: str) -> None:
    """Write finished output to --output (atomically) or standard output: ``bytes``, or an
    object with ``chunks`` (bytes-like pieces written in order, never joined in memory:
    :class:`establishment.tables.fast.Written`)."""
    from establishment.io.atomic import atomic_write

    chunks = [data] if isinstance(data, (bytes, bytearray)) else data.chunks

    output = getattr(args, "output", None)
    if output and output != "-":
        for source in getattr(args, "inputs_read", []):
            if os.path.exists(output) and os.path.samefile(source, output):
                # `cost posts.csv -o posts.csv` would replace the posts with a cost table
                raise CliError(f"--output {output} is the input file {source}: choose another "
                               "name, so the structure is not overwritten by the report")
        with atomic_write(output, "wb") as handle:  # a refusal is a located WriteError
            for chunk in chunks:
                handle.write(chunk)
        return
    if fmt in BINARY_FORMATS and sys.stdout.isatty():
        raise CliError(f"{fmt} is a binary format: give --output FILE.{fmt} or redirect "
                       "standard output to a file")
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a text-only stream (a notebook, a test harness)
        if fmt in BINARY_FORMATS:
            raise CliError(f"{fmt} is a binary format: give --output FILE.{fmt}")
        sys.stdout.write(b"".join(bytes(memoryview(c)) for c in chunks).decode("utf-8"))
        return
    try:
        sys.stdout.flush()
        for chunk in chunks:
            buffer.write(chunk)
        buffer.flush()
    except BrokenPipeError:
        raise
    except OSError as err:  # standard output on a full disk or /dev/full: exit 74
        raise OutputError(f"cannot write standard output: {err.strerror or err}") from None


def style_from_args(args: argparse.Namespace, fmt: str) -> Style:
    """Plain output to a terminal fits its width; a file or a pipe is not wrapped."""
    output = getattr(args, "output", None)
    to_stdout = not output or output == "-"
    width = output_width(sys.stdout) if to_stdout and fmt == "plain" else None
    return Style(width=width, brackets=getattr(args, "negatives", "minus") == "brackets")


def shortened(args: argparse.Namespace, table: Table) -> Table:
    """A long table as a terminal shows it (:func:`establishment.tables.terminal.shown_lines`): its
    first lines, its totals and how many more lines ``--all`` would show."""
    shown = shown_lines(len(table.rows) + 3, sys.stdout,  # rows, header, rule and total
                        everything=getattr(args, "all_lines", False))
    if shown is None or len(table.rows) <= shown:
        return table
    more = len(table.rows) - shown
    return attrs.evolve(table, rows=table.rows[:shown], marks=table.marks[:shown],
                        notes=(f"{more:,} more: --all", *table.notes))


def choose_tables(args: argparse.Namespace, tables: list[Table], fmt: str) -> list[Table]:
    """``--table NAME`` keeps that table; CSV and Parquet hold one table, the first, unless
    told."""
    wanted = getattr(args, "table", None)
    if wanted:
        chosen = [t for t in tables if t.key == wanted]
        if not chosen:
            raise CliError(f"--table: no table named {wanted!r}; choose one of "
                           f"{', '.join(t.key for t in tables)}")
        return chosen
    return tables[:1] if fmt in ("csv", "parquet") else tables


def csv_directory(args: argparse.Namespace) -> str | None:
    output = getattr(args, "output", None)
    if output and output != "-" and (output.endswith(("/", os.sep)) or os.path.isdir(output)):
        return output
    return None


def emit_csv_files(args: argparse.Namespace, tables: list[Table], directory: str) -> None:
    """One CSV file per table in ``directory`` (made when missing), named by the tables'
    short names (``committee.csv``, ``totals.csv``...)."""
    from establishment.io.atomic import atomic_write
    from establishment.tables.render import render_csv

    os.makedirs(directory, exist_ok=True)
    used: set[str] = set()
    for table in tables:
        name, n = table.key, 2
        while name in used:
            name, n = f"{table.key}-{n}", n + 1
        used.add(name)
        with atomic_write(os.path.join(directory, name + ".csv"), "wb") as handle:
            handle.write((render_csv(table) + "\n").encode("utf-8"))


def emit_tables(args: argparse.Namespace, tables: list[Table], *, heading: str = "") -> None:
    """Write ``tables`` in the chosen format to ``--output`` or standard output (every
    command's output path)."""
    from establishment.tables.document import Document

    emit_document(args, Document(heading, tuple(tables)))


def emit_document(args: argparse.Namespace, document: Any) -> None:
    """Write a command's whole output, a :class:`~establishment.tables.document.Document`:
    in the text formats and Word the whole document, in CSV and XLSX the tables only (data);
    CSV one table per file."""
    from establishment.tables.document import Paragraph
    from establishment.tables.output import document_bytes

    fmt = output_format(args)
    directory = csv_directory(args)
    if directory is not None:
        if fmt != "csv":
            raise CliError(f"--output {directory} is a directory: only csv writes one file "
                           "per table (give --format csv, or a file name)")
        emit_csv_files(args, document.tables, directory)
        return
    if fmt in ("csv", "xlsx", "parquet") or getattr(args, "table", None):
        notes = tuple(b for b in document.blocks if isinstance(b, Paragraph) and b.small
                      and fmt == "xlsx")  # the basis of a report, for the Notes sheet
        document = attrs.evolve(document, blocks=(*notes, *choose_tables(args, document.tables,
                                                                          fmt)))
    if fmt == "plain" and getattr(args, "output", None) in (None, "", "-"):
        document = attrs.evolve(document, blocks=tuple(
            shortened(args, b) if isinstance(b, Table) else b for b in document.blocks))
    data = document_bytes(document, fmt, style_from_args(args, fmt), word=word_setup(args))
    emit_bytes(args, data, fmt)


def word_setup(args: argparse.Namespace) -> Any:
    """The page and template of Word output (``--page``, ``--template``); a template that
    cannot be read is a located error naming the option."""
    from establishment.tables.word import WordSetup

    template = getattr(args, "template", None)
    if template is not None and not os.path.isfile(template):
        raise CliError(f"--template {template}: expected a Word .docx file, found none")
    return WordSetup(getattr(args, "page", None) or "a4", template,
                     page_given=getattr(args, "page", None) is not None)
