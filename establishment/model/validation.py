"""Field by field: every problem of a record at once, with the records' own rules.

A record (``Post``, ``Payment``, ``Assignment``) converts and checks itself when made, and
stops at its first bad field. A loader needs every problem of a row at once, so
:func:`check_fields` converts each field on its own with the record's own converter and then
applies the record's own rules (:func:`establishment.model.post.post_rules` for a post) to the
fields that could be read: one rule set, used by the record and by every loader.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs

from establishment.errors import ValidationError
from establishment.model.post import Post, post_rules

RULES: dict[type, Callable[..., list[ValidationError]]] = {Post: post_rules}


def convert_fields(kind: type, table: Mapping[str, Any]
                   ) -> tuple[dict[str, Any], list[ValidationError]]:
    """Each of ``table``'s fields through ``kind``'s own converter: the values that converted
    and one failure (named by its field) for each that did not."""
    fields = {f.name: f for f in attrs.fields(kind)}
    values: dict[str, Any] = {}
    failures: list[ValidationError] = []
    for key, raw in table.items():
        converter = fields[key].converter if key in fields else None
        try:
            values[key] = converter(raw) if converter is not None else raw
        except ValidationError as err:  # the converters refuse bad input with nothing else
            failures.append(ValidationError(key, err.expected, err.found))
    return values, failures


def check_fields(kind: type, table: Mapping[str, Any]
                 ) -> tuple[dict[str, Any], list[ValidationError]]:
    """:func:`convert_fields`, then the record's rules on the fields that converted."""
    values, failures = convert_fields(kind, table)
    rules = RULES.get(kind)
    if rules is not None:
        failed = {f.field for f in failures}
        failures += [f for f in rules(values) if f.field not in failed]
    return values, failures
