"""Files in and out: structure files (TOML), and atomic writing.

``load_structure(path)`` picks the reader by extension; every reader collects all problems
before raising one :class:`~establishment.errors.LoadError`.
"""

from establishment.io.atomic import atomic_write
from establishment.io.toml_file import (
    StructureFile,
    load_structure,
    load_structure_file,
    parse_structure_text,
    structure_to_toml,
    write_structure,
)

__all__ = ["StructureFile", "atomic_write", "load_structure", "load_structure_file",
           "parse_structure_text", "structure_to_toml", "write_structure"]
