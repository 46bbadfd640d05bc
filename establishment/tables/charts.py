"""Charts for the committee report: a waterfall of a change and a bar chart of options.

:func:`waterfall_svg` writes a waterfall as SVG text with no dependency at all (the HTML
report embeds it inline). The file-writing functions draw PNG or SVG (by the file's
extension) with matplotlib's Agg backend, so no display is needed. matplotlib is an
optional extra (``pip install 'establishment[chart]'``); without it
these functions raise an :class:`~establishment.errors.EstablishmentError` that says how to
install it. Amounts are exact Decimals; they become floats only as bar heights (drawing is not
arithmetic), and every label is formatted from the exact figure (``£1,234,567``). Files are
written atomically.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from decimal import Decimal
from html import escape
from pathlib import Path
from typing import Any

from establishment.errors import EstablishmentError
from establishment.model.money import format_money

CHART_FORMATS = {".png": "png", ".svg": "svg"}
# Okabe and Ito's colour-blind-safe palette: a total blue, a rise vermillion, a saving bluish
# green (told apart by people with any common colour-vision deficiency, and by the legend and
# the signed figures without colour at all).
TOTAL, RISE, FALL = "#0072B2", "#D55E00", "#009E73"
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#000000")
LEGEND = ((TOTAL, "Total"), (RISE, "Increase"), (FALL, "Saving"))
DPI = 200  # PNG for Word and --chart FILE.png


def round_ticks(low: Decimal, high: Decimal, count: int = 6) -> list[Decimal]:
    """Axis ticks at round amounts (1, 2, 2.5 or 5 times a power of ten) covering
    ``low``..``high`` with about ``count`` intervals, always including £0."""
    low, high = min(Decimal(low), Decimal(0)), max(Decimal(high), Decimal(0))
    span = (high - low) or Decimal(1)
    raw = span / count
    power = Decimal(10) ** (raw.adjusted())
    steps = (power * Decimal(m) for m in ("1", "2", "2.5", "5", "10"))
    step = max(next(s for s in steps if s >= raw), Decimal(1))
    first = (low / step).to_integral_value(rounding="ROUND_FLOOR") * step
    ticks = [first]
    while ticks[-1] < high:
        ticks.append(ticks[-1] + step)
    return ticks


def tick_label(value: Decimal) -> str:
    """``£0``, ``£50k``, ``£1.5m``, ``-£25k``: an axis tick as a person reads it."""
    value = Decimal(value)
    sign = "-" if value < 0 else ""
    size = abs(value)
    for unit, word in ((Decimal(1_000_000), "m"), (Decimal(1000), "k")):
        if size >= unit:
            return f"{sign}£{(size / unit).normalize():f}{word}"
    return f"{sign}£{size.normalize():f}"


def _pyplot() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise EstablishmentError("charts need matplotlib: pip install 'establishment[chart]'"
                                 ) from None
    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def _format(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in CHART_FORMATS:
        raise EstablishmentError(f"a chart is written as .png or .svg (got {str(path)!r})")
    return CHART_FORMATS[suffix]


def _save(figure: Any, path: str | Path) -> None:
    from establishment.io.atomic import atomic_write

    plt = _pyplot()
    buffer = io.BytesIO()
    figure.savefig(buffer, format=_format(path), dpi=DPI, bbox_inches="tight",
                   metadata={"Software": None} if _format(path) == "png" else {"Date": None})
    plt.close(figure)
    with atomic_write(path, "wb") as handle:
        handle.write(buffer.getvalue())


def _finish(figure: Any, axes: Any, title: str, path: str | Path, ticks: list[Decimal],
            legend: Sequence[tuple[str, str]], x_label: str) -> None:
    """The common frame of every chart: a pounds axis at round ticks labelled full-year (both
    charts compare full-year costs, never period costs), the x axis labelled, a legend, no top
    or right border, the title, then save."""
    from matplotlib.patches import Patch

    axes.set_yticks([float(t) for t in ticks])
    axes.set_yticklabels([tick_label(t) for t in ticks])
    axes.set_ylim(float(ticks[0]), float(ticks[-1]))
    axes.set_ylabel("Full-year cost")
    axes.set_xlabel(x_label)
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(handles=[Patch(color=colour, label=name) for colour, name in legend],
                frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    if title:
        axes.set_title(title)
    _save(figure, path)


def _check_waterfall(start: tuple[str, Decimal], steps: list[tuple[str, Decimal]],
                     end: tuple[str, Decimal]) -> None:
    expected = Decimal(start[1]) + sum((Decimal(v) for _, v in steps), Decimal(0))
    if Decimal(end[1]) != expected:
        raise EstablishmentError(f"waterfall does not add up: {start[0]} "
                                 f"{format_money(start[1])} + steps = "
                                 f"{format_money(expected)}, but {end[0]} is "
                                 f"{format_money(end[1])}")


def waterfall_chart(start: tuple[str, Decimal], steps: list[tuple[str, Decimal]],
                    end: tuple[str, Decimal], path: str | Path, title: str = "") -> None:
    """A waterfall: the ``start`` bar, one floating bar per step (rises red, savings green),
    and the ``end`` bar. ``end`` must equal start plus the steps, to the pound: a chart that
    does not add up is refused rather than drawn."""
    _format(path)
    _check_waterfall(start, steps, end)
    plt = _pyplot()
    labels = [start[0], *(name for name, _ in steps), end[0]]
    bottoms, heights, colours, texts = [0.0], [float(start[1])], [TOTAL], [start[1]]
    running = Decimal(start[1])
    for _, value in steps:
        value = Decimal(value)
        low = running if value >= 0 else running + value
        bottoms.append(float(low))
        heights.append(float(abs(value)))
        colours.append(RISE if value >= 0 else FALL)
        texts.append(value)
        running += value
    bottoms.append(0.0)
    heights.append(float(end[1]))
    colours.append(TOTAL)
    texts.append(end[1])
    figure, axes = plt.subplots(figsize=(max(6.0, 1.1 * len(labels)), 4.5))
    positions = list(range(len(labels)))
    axes.bar(positions, heights, bottom=bottoms, color=colours, width=0.6)
    levels = [Decimal(start[1])]
    for _, value in steps:
        levels.append(levels[-1] + Decimal(value))
    for index, level in enumerate(levels):  # connectors: each bar's running total to the next
        axes.plot([index + 0.3, index + 0.7], [float(level)] * 2, color="#7f8c8d",
                  linewidth=0.8)
    for index, (bottom, height, value) in enumerate(zip(bottoms, heights, texts)):
        sign = "+" if 0 < index < len(labels) - 1 and value > 0 else ""
        axes.annotate(f"{sign}{format_money(value)}", (index, bottom + height),
                      ha="center", va="bottom", fontsize=8, xytext=(0, 2),
                      textcoords="offset points")
    axes.set_xticks(positions)
    axes.set_xticklabels(labels, rotation=30, ha="right", fontsize=8)
    used = set(colours)
    _finish(figure, axes, title, path, waterfall_ticks(start, steps),
            [lg for lg in LEGEND if lg[0] in used], "")


def waterfall_ticks(start: tuple[str, Decimal], steps: list[tuple[str, Decimal]]
                    ) -> list[Decimal]:
    """Round ticks covering every running total of a waterfall (where its bars start and
    end; the end bar is the last running total, the chart having been checked to add up)."""
    levels = [Decimal(0), Decimal(start[1])]
    for _, value in steps:
        levels.append(levels[-1] + Decimal(value))
    return round_ticks(min(levels), max(max(levels), Decimal(1)))


def waterfall_alt(start: tuple[str, Decimal], steps: list[tuple[str, Decimal]],
                  end: tuple[str, Decimal]) -> str:
    """The waterfall in words (alt text): each bar and its figure, in order."""
    parts = [f"{name} {('+' if Decimal(v) > 0 else '')}{format_money(v)}" for name, v in steps]
    return (f"Waterfall chart of the full-year cost: {start[0]} {format_money(start[1])}; "
            + "; ".join(parts) + ("; " if parts else "")
            + f"{end[0]} {format_money(end[1])}.")


def comparison_alt(options: list[tuple[str, Decimal]]) -> str:
    """The comparison in words (alt text)."""
    return ("Bar chart of the full-year cost of each option: "
            + "; ".join(f"{name} {format_money(v)}" for name, v in options) + ".")


def comparison_chart(options: list[tuple[str, Decimal]], path: str | Path,
                     title: str = "") -> None:
    """A bar per option, each its own colour of the palette, its cost labelled, and a legend
    naming the options."""
    _format(path)
    if not options:
        raise EstablishmentError("a comparison chart needs at least one option")
    plt = _pyplot()
    values = [Decimal(v) for _, v in options]
    colours = [PALETTE[i % len(PALETTE)] for i in range(len(options))]
    figure, axes = plt.subplots(figsize=(max(5.0, 1.2 * len(options)), 4.5))
    positions = list(range(len(options)))
    axes.bar(positions, [float(v) for v in values], width=0.6, color=colours)
    for index, value in enumerate(values):
        axes.annotate(format_money(value), (index, float(value)), ha="center", va="bottom",
                      fontsize=8, xytext=(0, 2), textcoords="offset points")
    axes.set_xticks(positions)
    axes.set_xticklabels([name for name, _ in options], rotation=20, ha="right", fontsize=8)
    _finish(figure, axes, title, path, round_ticks(min(values), max(values)),
            list(zip(colours, (name for name, _ in options))), "Option")


# --- SVG written by the library (no matplotlib) -------------------------------------------

SVG_HEIGHT, PLOT_TOP, PLOT_BOTTOM, LEFT, BAR, SLOT = 310, 40, 250, 90, 56, 96
LEGEND_WIDTH = 110


def _svg_text(x: float, y: float, text: str, size: int = 11, anchor: str = "middle",
              weight: str = "normal") -> str:

    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
            f'font-weight="{weight}">{escape(text)}</text>')


def _label_lines(label: str, width: int = 14) -> list[str]:
    import textwrap

    return textwrap.wrap(label, width) or [""]


def _waterfall_bars(start: tuple[str, Decimal], steps: list[tuple[str, Decimal]],
                    end: tuple[str, Decimal]) -> list[tuple[str, Decimal, Decimal, str, str]]:
    """(label, low, high, colour, value text) for every bar."""
    bars = [(start[0], Decimal(0), Decimal(start[1]), TOTAL, format_money(start[1]))]
    running = Decimal(start[1])
    for name, value in steps:
        value = Decimal(value)
        low, high = sorted((running, running + value))
        sign = "+" if value > 0 else ""
        bars.append((name, low, high, RISE if value >= 0 else FALL,
                     sign + format_money(value)))
        running += value
    bars.append((end[0], Decimal(0), Decimal(end[1]), TOTAL, format_money(end[1])))
    return bars


def _svg_frame(width: float, height: float, right: float, title: str, ticks: list[Decimal]
               ) -> tuple[list[str], Callable[[Decimal], float]]:
    """What both SVG charts share: the element, the title, gridlines at the round ticks with
    their labels, the pounds axis's label; and the y position of an amount."""
    bottom, span = ticks[0], ticks[-1] - ticks[0]

    def y(value: Decimal) -> float:
        return PLOT_BOTTOM - float((value - bottom) / span) * (PLOT_BOTTOM - PLOT_TOP)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" role="img" '
           f'font-family="system-ui, Arial, sans-serif">']
    if title:
        out.append(f"<title>{escape(title)}</title>")
        out.append(_svg_text(width / 2, 20, title, 13, weight="bold"))
    for value in ticks:  # gridlines at round amounts
        out.append(f'<line x1="{LEFT}" x2="{right}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
                   'stroke="#e3e3e3"/>')
        out.append(_svg_text(LEFT - 6, y(value) + 4, tick_label(value), 10, "end"))
    middle = (PLOT_TOP + PLOT_BOTTOM) / 2
    out.append(f'<text x="14" y="{middle:.1f}" font-size="10" text-anchor="middle" '
               f'transform="rotate(-90 14 {middle:.1f})">Full-year cost</text>')
    return out, y


def waterfall_svg(start: tuple[str, Decimal], steps: list[tuple[str, Decimal]],
                  end: tuple[str, Decimal], title: str = "") -> str:
    """A waterfall as an SVG element (text, no dependency): the ``start`` bar, one floating
    bar per step (rises red, savings green) with its signed amount, the ``end`` bar, and a
    pounds axis labelled full-year. Refused, like :func:`waterfall_chart`, unless the end is
    the start plus the steps to the pound. Labels are the exact figures (``£1,234``)."""
    _check_waterfall(start, steps, end)
    bars = _waterfall_bars(start, steps, end)
    ticks = round_ticks(min(b[1] for b in bars), max(max(b[2] for b in bars), Decimal(1)))
    width = LEFT + SLOT * len(bars) + LEGEND_WIDTH
    right = width - LEGEND_WIDTH + 10
    out, y = _svg_frame(width, SVG_HEIGHT, right, title, ticks)
    used = {b[3] for b in bars}
    for number, (colour, name) in enumerate(lg for lg in LEGEND if lg[0] in used):
        top_y = PLOT_TOP + 16 * number
        out.append(f'<rect x="{right + 14}" y="{top_y}" width="11" height="11" '
                   f'fill="{colour}"/>')
        out.append(_svg_text(right + 30, top_y + 10, name, 10, "start"))
    for index, (label, low, high, colour, text) in enumerate(bars):
        x = LEFT + SLOT * index + (SLOT - BAR) / 2
        height = max(y(low) - y(high), 1.0)
        out.append(f'<rect x="{x:.1f}" y="{y(high):.1f}" width="{BAR}" height="{height:.1f}" '
                   f'fill="{colour}"><title>{escape(label)}: {escape(text)}</title></rect>')
        out.append(_svg_text(x + BAR / 2, y(high) - 5, text, 10))
        for number, line in enumerate(_label_lines(label)[:4]):
            out.append(_svg_text(x + BAR / 2, PLOT_BOTTOM + 18 + 13 * number, line, 10))
        if index < len(bars) - 1:  # a connector at the running total to the next bar
            level = y(high if index == 0 or colour == RISE else low)
            out.append(f'<line x1="{x + BAR:.1f}" x2="{x + SLOT:.1f}" y1="{level:.1f}" '
                       f'y2="{level:.1f}" stroke="#7f8c8d" stroke-width="0.8"/>')
    out.append(f'<line x1="{LEFT}" x2="{right}" y1="{y(Decimal(0)):.1f}" '
               f'y2="{y(Decimal(0)):.1f}" stroke="#444"/>')
    out.append("</svg>")
    return "\n".join(out)


def comparison_svg(options: list[tuple[str, Decimal]], title: str = "") -> str:
    """A bar per option as an SVG element (text, no dependency), the same chart as
    :func:`comparison_chart`: each bar its colour of the palette with its cost, round ticks,
    both axes labelled, a legend naming the options."""
    if not options:
        raise EstablishmentError("a comparison chart needs at least one option")
    values = [Decimal(v) for _, v in options]
    ticks = round_ticks(min(values), max(max(values), Decimal(1)))
    width = LEFT + SLOT * len(options) + LEGEND_WIDTH + 40
    right = width - LEGEND_WIDTH - 30
    out, y = _svg_frame(width, SVG_HEIGHT + 20, right, title, ticks)
    for index, ((name, _), value) in enumerate(zip(options, values)):
        colour = PALETTE[index % len(PALETTE)]
        x = LEFT + SLOT * index + (SLOT - BAR) / 2
        low, high = sorted((y(value), y(Decimal(0))))
        out.append(f'<rect x="{x:.1f}" y="{low:.1f}" width="{BAR}" '
                   f'height="{max(high - low, 1.0):.1f}" fill="{colour}"><title>'
                   f"{escape(name)}: {escape(format_money(value))}</title></rect>")
        out.append(_svg_text(x + BAR / 2, low - 5, format_money(value), 10))
        for number, line in enumerate(_label_lines(name)[:4]):
            out.append(_svg_text(x + BAR / 2, PLOT_BOTTOM + 18 + 13 * number, line, 10))
        top_y = PLOT_TOP + 16 * index
        out.append(f'<rect x="{right + 14}" y="{top_y}" width="11" height="11" '
                   f'fill="{colour}"/>')
        out.append(_svg_text(right + 30, top_y + 10, name[:24], 10, "start"))
    out.append(_svg_text((LEFT + right) / 2, SVG_HEIGHT + 12, "Option", 10))
    out.append(f'<line x1="{LEFT}" x2="{right}" y1="{y(Decimal(0)):.1f}" '
               f'y2="{y(Decimal(0)):.1f}" stroke="#444"/>')
    out.append("</svg>")
    return "\n".join(out)


def _png_bytes(draw: Callable[[Path], None]) -> bytes:
    """The PNG a chart function (``draw(path)``) writes, as bytes: the one way a document's
    chart is drawn for Word."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "chart.png"
        draw(path)
        return path.read_bytes()


def comparison_png(options: list[tuple[str, Decimal]], title: str = "") -> bytes:
    """The comparison drawn by matplotlib as PNG bytes (for Word)."""
    return _png_bytes(lambda path: comparison_chart(options, path, title))


def comparison_figure(options: list[tuple[str, Decimal]], title: str) -> Any:
    """The comparison as a document's chart: SVG for HTML, PNG for Word, alt text."""
    from establishment.tables.document import Figure

    return Figure(comparison_svg(options, title), title,
                  lambda: comparison_png(options, title), comparison_alt(options))


def waterfall_png(start: tuple[str, Decimal], steps: list[tuple[str, Decimal]],
                  end: tuple[str, Decimal], title: str = "") -> bytes:
    """The waterfall drawn by matplotlib as PNG bytes (for Word, which cannot hold SVG)."""
    return _png_bytes(lambda path: waterfall_chart(start, steps, end, path, title))
