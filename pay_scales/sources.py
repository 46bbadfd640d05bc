"""Where pay data files live, and how a row's provenance is carried.

Every data row carries ``source`` (a citation) and ``basis`` (published, derived, inferred or
unknown: see data/README.md). :class:`Provenance` travels with every looked-up figure so an
explanation can say which figures rest on inferred values.
"""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

from attrs import frozen

from pay_scales.errors import PayScaleError

BASES = ("published", "derived", "inferred", "unknown", "stated", "assumed")


@frozen
class Provenance:
    """Where a figure comes from: the data file, its basis and its citation."""

    file: str
    basis: str
    source: str

    @property
    def inferred(self) -> bool:
        """True when the figure is a reconstruction rather than a published or derived one
        (an assumption is :attr:`assumed`)."""
        return self.basis in ("inferred", "unknown")

    @property
    def assumed(self) -> bool:
        """True when the figure rests on an assumption (an assumed pay award, NI carried
        forward): marked ``[a]`` in tables, not ``[i]``."""
        return self.basis == "assumed"


def data_dir() -> Path:
    """The folder of data files shipped inside the package."""
    return Path(str(resources.files("pay_scales") / "data"))


def read_csv_rows(path: Path, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """Read a data CSV as ``(line number, row)`` pairs, checking its header.

    The line number is the file's physical line of the row, for error messages.
    """
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            missing = [name for name in required if name not in header]
            if missing:
                raise PayScaleError(
                    f"missing column(s) {', '.join(missing)}; the header has {', '.join(header)}",
                    source=f"{path}:1")
            rows = []
            for row in reader:
                rows.append((reader.line_num, {k: (v or "").strip() for k, v in row.items()
                                               if k is not None}))
            return rows
    except OSError as err:
        raise PayScaleError(f"cannot read pay data file: {err.strerror}", source=str(path)) from err
    except UnicodeDecodeError as err:
        raise PayScaleError("pay data file is not UTF-8 text", source=str(path)) from err
