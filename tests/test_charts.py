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


# --- a chart a committee can read (issue 23) ------------------------------------------------

def test_ticks_are_round_amounts_as_a_person_writes_them():
    from establishment.tables.charts import round_ticks, tick_label

    ticks = round_ticks(Decimal(0), Decimal(284937))
    assert [tick_label(t) for t in ticks] == ["£0", "£50k", "£100k", "£150k", "£200k",
                                              "£250k", "£300k"]
    assert [tick_label(t) for t in round_ticks(Decimal(-31859), Decimal(0))] == [
        "-£40k", "-£30k", "-£20k", "-£10k", "£0"]
    assert tick_label(Decimal(1500000)) == "£1.5m"


def _png_dpi(data: bytes) -> float:
    at = data.index(b"pHYs")
    per_metre = int.from_bytes(data[at + 4:at + 8], "big")
    return per_metre * 0.0254


def test_compare_chart_has_title_legend_axes_labels_and_round_ticks(tmp_path, capsys):
    from establishment.cli.main import main

    post = '[[post]]\ntitle = "Officer"\nfte = {f}\ngrade = "Hay Band A"\nscp = 34\n'
    files = []
    for name, fte in (("a", 1), ("b", 2), ("c", 3)):
        path = tmp_path / f"{name}.toml"
        path.write_text(post.format(f=fte), encoding="utf-8")
        files.append(str(path))
    basis = ["--employer", "nottinghamshire", "--pay-year", "2018/19", "--rule",
             "council-2018"]
    svg = tmp_path / "options.svg"
    assert main(["compare", *files, *basis, "--label", f"{files[1]}=Option A",
                 "--label", f"{files[2]}=Option B", "--chart", str(svg)]) == 0
    assert "Option A" in capsys.readouterr().out  # the label names the option in the table
    shown = re.findall(r"<!-- (.*?) -->", svg.read_text(encoding="utf-8"))
    assert "Full-year cost of each option" in shown  # the title the command line passes
    assert "Full-year cost" in shown and "Option" in shown  # both axes labelled
    assert {"£0", "£25k", "£50k", "£75k", "£100k", "£125k"} <= set(shown)
    assert not [s for s in shown if re.fullmatch(r"£\d{2,3},\d{3}", s) and s.endswith("022")]
    assert shown.count("Option A") == 2 and shown.count("Option B") == 2  # axis and legend
    png = tmp_path / "options.png"
    assert main(["compare", *files, *basis, "--chart", str(png)]) == 0
    assert round(_png_dpi(png.read_bytes())) == 200


def test_a_label_for_no_file_is_exit_2(tmp_path, capsys):
    from establishment.cli.main import main

    path = tmp_path / "a.toml"
    path.write_text('[[post]]\ntitle = "Officer"\nfte = 1\ngrade = "Hay Band A"\nscp = 34\n')
    assert main(["compare", str(path), str(path), "--employer", "nottinghamshire",
                 "--pay-year", "2018/19", "--label", "x.toml=X"]) == 2
    assert "--label x.toml=X: expected FILE=TEXT" in capsys.readouterr().err


def test_compare_writes_the_same_chart_into_html_and_word(tmp_path):
    """The comparison chart in the document: SVG in HTML (with the round ticks, the legend
    and an accessible name), a PNG picture with alt text in Word."""
    import xml.etree.ElementTree as ET

    import docx

    from establishment.cli.main import main

    post = '[[post]]\ntitle = "Officer"\nfte = {f}\ngrade = "Hay Band A"\nscp = 34\n'
    files = []
    for name, fte in (("a", 1), ("b", 2)):
        path = tmp_path / f"{name}.toml"
        path.write_text(post.format(f=fte), encoding="utf-8")
        files.append(str(path))
    basis = ["--employer", "nottinghamshire", "--pay-year", "2018/19", "--rule",
             "council-2018", "--label", f"{files[1]}=Option A"]
    page = tmp_path / "c.html"
    assert main(["compare", *files, *basis, "-o", str(page)]) == 0
    text = page.read_text(encoding="utf-8")
    svg = ET.fromstring(text[text.index("<svg"):text.index("</svg>") + 6])
    assert svg.get("aria-label").startswith("Bar chart of the full-year cost of each option")
    labels = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert {"Full-year cost of each option", "£0", "£20k", "£40k", "£100k", "Option A",
            "£81,404", "Full-year cost", "Option"} <= set(labels)
    word = tmp_path / "c.docx"
    assert main(["compare", *files, *basis, "-o", str(word)]) == 0
    shapes = docx.Document(str(word)).inline_shapes
    assert len(shapes) == 1
    assert "Option A £81,404" in shapes[0]._inline.docPr.get("descr")
