"""Time and memory of `establishment check` on the hostile workbooks (issues 17 and 27).

    PYTHONPATH=. python benchmarks/xlsx_attacks.py [--rows 100000] [--only NAME ...]

Builds the attack workbooks of tests/xlsx_attacks.py (the 3 GiB-of-spaces one at full size:
building it takes a minute, reading it must not) and the two of issue 27, runs ``python -m
establishment check`` on each in a fresh process and prints wall time, peak resident memory
and the exit code as a Markdown table (recorded in benchmarks/results/xlsx-attacks.md). Goal:
each under 2 s and 300 MB. ``--rows N`` adds an honest N-row workbook for comparison.

Issue 27's two workbooks are written straight to a file, never held in memory:

- ``stored-3gib``: a sheet of 3 GiB *stored* (no compression) in a sparse file (the hole
  takes no disk). The limits must be checked from the zip's central directory before the
  file is read: before, the whole file was read into memory first (13 s, 3.2 GB).
- ``deflated-250mb``: a 260 KB workbook whose sheet unpacks to 250 MB of spaces, under the
  256 MB limit, so it is read (before: 41.5 s at 612 MB).
"""

from __future__ import annotations

import argparse
import resource
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import xlsx_attacks  # noqa: E402

SHEET = "xl/worksheets/sheet1.xml"
ROW = ('<row r="2"><c r="A2" t="inlineStr"><is><t>A</t></is></c><c r="B2"><v>1</v></c>'
       '<c r="C2" t="inlineStr"><is><t>Grade 5</t></is></c></row>')


def _measure(path: Path) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB and exit code of one `check` run in a fresh process."""
    code = ("import resource, sys, time\n"
            "from establishment.cli.main import main\n"
            "start = time.perf_counter()\n"
            "status = main(['check', sys.argv[1]])\n"
            "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
            "print(f'{time.perf_counter() - start:.3f} {peak:.0f}', file=sys.stderr)\n"
            "sys.exit(status)\n")
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                          text=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT)}, check=False,
                          timeout=600)
    seconds, peak = done.stderr.strip().splitlines()[-1].split()
    return float(seconds), float(peak), done.returncode


def _honest(rows: int) -> bytes:
    """An ordinary export of ``rows`` posts (title, fte, grade, scp, team, funding)."""
    import io

    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Posts")
    sheet.append(["title", "fte", "grade", "scp", "team", "funding"])
    for n in range(rows):
        sheet.append([f"Officer {n % 97}", 1 if n % 3 else 0.5, "Grade 5", 28 + n % 3,
                      f"Team {n // 20:06d}", "Core 60%; Grant 40%"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _small_parts() -> dict[str, bytes]:
    parts = {name: text.encode() for name, text in xlsx_attacks.PARTS.items()}
    parts["xl/sharedStrings.xml"] = (f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns='
                                     f'"{xlsx_attacks.MAIN}"></sst>').encode()
    return parts


def stored_sparse(path: Path, size: int = 3 << 30) -> None:
    """A workbook whose sheet is ``size`` bytes *stored*, written as a sparse file: the
    sheet's bytes are a hole (zeros that take no disk) after a valid start of a sheet. The
    zip's directory declares the true sizes (a CRC of 0: nothing may read that far)."""
    directory = []
    with path.open("wb") as out:
        members = [(name, data) for name, data in _small_parts().items()]
        head = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns='
                f'"{xlsx_attacks.MAIN}"><sheetData>{xlsx_attacks.HEADER}{ROW}').encode()
        members.append((SHEET, head))
        for name, data in members:
            big = name == SHEET
            length = size if big else len(data)
            crc = 0 if big else zlib.crc32(data)
            offset = out.tell()
            raw = name.encode()
            out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 0, 0, 0x21,
                                  crc, length, length, len(raw), 0) + raw)
            out.write(data)
            if big:
                out.seek(length - len(data), 1)  # the hole: no disk, reads as zeros
            directory.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 0, 0,
                                         0x21, crc, length, length, len(raw), 0, 0, 0, 0, 0,
                                         offset) + raw)
        start = out.tell()
        for entry in directory:
            out.write(entry)
        out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(directory),
                              len(directory), out.tell() - start, start, 0))


def deflated(path: Path, size: int = 250 << 20) -> None:
    """A small workbook whose sheet unpacks to ``size`` bytes (spaces after the rows, deflated
    at level 9: about 260 KB), written a block at a time."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in _small_parts().items():
            archive.writestr(name, data)
        info = zipfile.ZipInfo(SHEET, (2020, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w") as part:
            part.write((f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns='
                        f'"{xlsx_attacks.MAIN}"><sheetData>{xlsx_attacks.HEADER}{ROW}'
                        '</sheetData>').encode())
            block = b" " * (16 << 20)
            left = size - part._file_size - len(b"</worksheet>")  # type: ignore[attr-defined]
            while left > 0:
                part.write(block[:left])
                left -= len(block)
            part.write(b"</worksheet>")


def _writer(build: Callable[[], bytes]) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(build())


def builders(rows: int) -> dict[str, Callable[[Path], None]]:
    """Each workbook's name -> a function that writes it to a path."""
    found = {name: _writer(build) for name, build in xlsx_attacks.ATTACKS.items()}
    found["stored-3gib"] = stored_sparse
    found["deflated-250mb"] = deflated
    if rows:
        found[f"honest-{rows}-rows"] = _writer(lambda: _honest(rows))
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=0)
    parser.add_argument("--only", nargs="*", default=None, metavar="NAME",
                        help="only these workbooks (names as in the table)")
    options = parser.parse_args()
    chosen = {name: build for name, build in builders(options.rows).items()
              if options.only is None or name in options.only}
    print("| workbook | size on disk | declared size | check time (s) | peak memory (MB) "
          "| exit |")
    print("|---|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        for name, build in chosen.items():
            path = Path(folder) / f"{name}.xlsx"
            build(path)
            disk = path.stat().st_blocks * 512
            seconds, peak, status = _measure(path)
            print(f"| {name} | {disk:,} B | {path.stat().st_size:,} B | {seconds:.2f} | "
                  f"{peak:.0f} | {status} |", flush=True)
            path.unlink()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"\n(children's peak RSS {usage.ru_maxrss / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
