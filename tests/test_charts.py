"""Charts: the waterfall of the 2018 decision (valid PNG and SVG), the comparison bar chart,
a waterfall that does not add up refused, and a clear error without matplotlib.

The README's picture (docs/waterfall-2018.png) is made by the same call:
``python -c "from tests.test_charts import make_readme_chart; make_readme_chart()"``.
"""

from __future__ import annotations

import re
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import scenarios
from establishment import EstablishmentError
from establishment.tables.charts import comparison_chart, waterfall_chart

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
DOCS = Path(__file__).parent.parent / "docs"


def waterfall_2018() -> tuple[tuple[str, Decimal], list[tuple[str, Decimal]],
                              tuple[str, Decimal]]:
    """Start at nothing; each line of the decision adds its full-year cost; end at the total."""
    costing = scenarios.run_scenario("2018-short-breaks").primary
    steps = [(f"{line.title.split(' (')[0]} ({Decimal(int(line.fte_e4)) / 10000:f} fte)"
              if line.kind == "post" else line.title.split(" (")[0], Decimal(int(line.full_year)))
             for line in costing.lines.itertuples(index=False)]
    return ("Before", Decimal(0)), steps, ("After (full year)", costing.full_year)


def make_readme_chart(path: Path = DOCS / "waterfall-2018.png") -> Path:
    start, steps, end = waterfall_2018()
    path.parent.mkdir(exist_ok=True)
    waterfall_chart(start, steps, end, path,
                    title="June 2018 short breaks decision: full-year cost")
    return path


def test_waterfall_of_the_2018_decision_is_a_valid_png(tmp_path):
    start, steps, end = waterfall_2018()
    assert end[1] == Decimal(284937)
    assert [v for _, v in steps] == [Decimal(v) for v in (81404, 67008, 56752, 40702, 35910,
                                                          3161)]
    path = make_readme_chart(tmp_path / "waterfall.png")
    data = path.read_bytes()
    assert data[:8] == PNG_MAGIC
    assert data[12:16] == b"IHDR" and len(data) > 10_000
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width > height > 300


def test_waterfall_as_svg_carries_the_figures(tmp_path):
    start, steps, end = waterfall_2018()
    path = tmp_path / "waterfall.svg"
    waterfall_chart(start, steps, end, path)
    text = path.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml") and "<svg" in text
    # matplotlib draws text as paths, each preceded by a comment holding the text itself
    shown = re.findall(r"<!-- (.*?) -->", text)
    labels = [start[0], *(name for name, _ in steps), end[0]]
    assert labels == ["Before", "Reviewing Officer (2 fte)", "Assessment Officer (2 fte)",
                      "Service Organiser (2 fte)", "Commissioning Officer (1 fte)",
                      "Commissioning Assistant (1.5 fte)", "Honorarium", "After (full year)"]
    assert shown[:len(labels)] == labels  # the bars' labels, in order
    figures = ["£0", "+£81,404", "+£67,008", "+£56,752", "+£40,702", "+£35,910", "+£3,161",
               "£284,937"]
    at = shown.index("Full-year cost")  # the axis title, then each bar's figure in order
    assert shown[at + 1:at + 1 + len(figures)] == figures


def test_a_waterfall_that_does_not_add_up_is_refused(tmp_path):
    path = tmp_path / "bad.png"
    with pytest.raises(EstablishmentError, match="waterfall does not add up: Before £100 "
                       r"\+ steps = £150, but After is £151"):
        waterfall_chart(("Before", Decimal(100)), [("x", Decimal(70)), ("y", Decimal(-20))],
                        ("After", Decimal(151)), path)
    assert not path.exists()


def test_comparison_chart_png_and_svg(tmp_path):
    options = [("Option A", Decimal(284937)), ("Option B", Decimal(214686))]
    comparison_chart(options, tmp_path / "c.png", title="Options")
    comparison_chart(options, tmp_path / "c.svg")
    assert (tmp_path / "c.png").read_bytes()[:8] == PNG_MAGIC
    assert "<svg" in (tmp_path / "c.svg").read_text(encoding="utf-8")


def test_only_png_and_svg(tmp_path):
    with pytest.raises(EstablishmentError, match="written as .png or .svg"):
        comparison_chart([("A", Decimal(1))], tmp_path / "c.pdf")


def test_missing_matplotlib_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(EstablishmentError, match=r"pip install 'establishment\[chart\]'"):
        comparison_chart([("A", Decimal(1))], tmp_path / "c.png")
