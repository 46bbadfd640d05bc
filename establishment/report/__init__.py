"""The costing section of a committee report, built from Python.

``build_report(ReportSource(...))`` returns a :class:`~establishment.tables.document.Document`
(headings, tables, charts and the "Financial implications" paragraph) that every output format
renders the same way; ``source_from_scenario`` makes the source from a loaded scenario (the
command line loads it: only ``establishment/cli`` imports ``scenarios``). Every figure comes
from the costing; none is typed. The command line only parses arguments and writes the file::

    from scenarios import load_scenario
    from establishment.report import build_report, source_from_scenario

    document = build_report(source_from_scenario(load_scenario("2018-short-breaks")))
"""

from establishment.report.build import (
    ReportSource,
    build_report,
    source_from_scenario,
    waterfall_figure,
)
from establishment.report.prose import implications

__all__ = ["ReportSource", "build_report", "implications", "source_from_scenario",
           "waterfall_figure"]
