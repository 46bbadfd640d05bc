"""The field validators every record uses: one set, each raising the project's
:class:`~establishment.errors.ValidationError` naming the field, what was expected and what
was found.

A record validates every field when it is made (issue 21), so a bad value from a file, an
argument or an API call is refused where it enters, located, as bad input (exit 2). Nothing
downstream meets a value of the wrong kind, so a ``TypeError`` there is a bug (exit 70), and
no loader catches ``TypeError`` to guess otherwise (``tests/test_records.py`` checks both).

These are attrs validators (``validator=text``) or validator factories
(``validator=whole(low=0)``). Each names the record (its ``label`` when it has one) and carries
the record's ``source`` (or ``location``) when it has one, so the error is located. attrs runs
validators once every field is set, so the record's source is known when one fails.
"""

from __future__ import annotations

import datetime as dt
import numbers
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from establishment.errors import Location, ValidationError

Validator = Callable[[Any, Any, Any], None]


def where(instance: Any) -> tuple[str, Location | None]:
    """How a message names ``instance`` and where it was read (None when made in code)."""
    # the record's type, not its label: a label is made from fields, one of which is bad
    label = type(instance).__name__
    source = getattr(instance, "source", None)
    if not isinstance(source, Location):
        source = getattr(instance, "location", None)
    return label, source if isinstance(source, Location) else None


def refuse(instance: Any, name: str, expected: str, found: Any) -> ValidationError:
    """The located error for ``instance``'s field ``name``."""
    label, source = where(instance)
    return ValidationError(name, expected, found, record=label, source=source)


def text(instance: Any, attribute: Any, value: Any) -> None:
    """Text (a ``str``)."""
    if not isinstance(value, str):
        raise refuse(instance, attribute.name, "text", value)


def optional_text(instance: Any, attribute: Any, value: Any) -> None:
    """Text, or None."""
    if value is not None and not isinstance(value, str):
        raise refuse(instance, attribute.name, "text (or left out)", value)


def flag(instance: Any, attribute: Any, value: Any) -> None:
    """true or false (a ``bool``, never 0/1 or a word)."""
    if not isinstance(value, bool):
        raise refuse(instance, attribute.name, "true or false", value)


def optional_date(instance: Any, attribute: Any, value: Any) -> None:
    """A calendar date (not a date and time), or None."""
    if value is not None and (not isinstance(value, dt.date) or isinstance(value, dt.datetime)):
        raise refuse(instance, attribute.name, "a date such as 2019-04-01 (or left out)", value)


def optional_decimal(instance: Any, attribute: Any, value: Any) -> None:
    """A finite Decimal, or None (a converter such as ``to_decimal`` made it)."""
    if value is not None and not (isinstance(value, Decimal) and value.is_finite()):
        raise refuse(instance, attribute.name, "a number such as 1.5 (or left out)", value)


def decimal(instance: Any, attribute: Any, value: Any) -> None:
    """A finite Decimal."""
    if not (isinstance(value, Decimal) and value.is_finite()):
        raise refuse(instance, attribute.name, "a number such as 1.5", value)


def whole(low: int | None = None, high: int | None = None, *,
          optional: bool = False) -> Validator:
    """A whole number (``int``, never a bool or text) in ``low``..``high``; None too when
    ``optional``."""
    bounds = " ".join(part for part in (
        f">= {low}" if low is not None else "", f"<= {high}" if high is not None else "") if part)
    expected = "a whole number" + (f" {bounds}" if bounds else "") + (
        " (or left out)" if optional else "")

    def check(instance: Any, attribute: Any, value: Any) -> None:
        if value is None and optional:
            return
        if (isinstance(value, bool) or not isinstance(value, int)
                or (low is not None and value < low) or (high is not None and value > high)):
            raise refuse(instance, attribute.name, expected, value)
    return check


def one_of(words: Iterable[Any], *, optional: bool = False, expected: str = "") -> Validator:
    """One of ``words`` (a closed vocabulary); None too when ``optional``. ``expected``: how
    the message says it (default: the words, quoted, joined by "or")."""
    allowed = tuple(words)
    expected = expected or (" or ".join(repr(w) for w in allowed)
                            + (" (or left out)" if optional else ""))

    def check(instance: Any, attribute: Any, value: Any) -> None:
        if value is None and optional:
            return
        if not isinstance(value, type(allowed[0])) or value not in allowed:
            raise refuse(instance, attribute.name, expected, value)
    return check


def instance_of(kind: type | tuple[type, ...], expected: str, *,
                optional: bool = False) -> Validator:
    """An instance of ``kind`` (records inside records: a change's ``Post``); None too when
    ``optional``."""
    def check(instance: Any, attribute: Any, value: Any) -> None:
        if value is None and optional:
            return
        if not isinstance(value, kind):
            raise refuse(instance, attribute.name, expected, value)
    return check


def record_or_view(kind: type, expected: str) -> Validator:
    """An instance of the record ``kind``, or a read-only view of one: an object holding every
    field of ``kind`` (a diff's change table reads lines of a validated frame as views, so a
    million-line diff builds no record it does not need). Anything else is refused."""
    names = [f.name for f in kind.__attrs_attrs__ if f.init]  # type: ignore[attr-defined]

    def check(instance: Any, attribute: Any, value: Any) -> None:
        if not isinstance(value, kind) and not all(hasattr(value, n) for n in names):
            raise refuse(instance, attribute.name, expected, value)
    return check


def tuple_of(kind: type | tuple[type, ...], expected: str) -> Validator:
    """A tuple whose items are each an instance of ``kind`` (a converter made it a tuple)."""
    def check(instance: Any, attribute: Any, value: Any) -> None:
        if not isinstance(value, tuple):
            raise refuse(instance, attribute.name, f"a list of {expected}", value)
        for item in value:
            if not isinstance(item, kind):
                raise refuse(instance, attribute.name, f"a list of {expected}", item)
    return check


def as_int(value: Any) -> Any:
    """A converter: any whole-number type (numpy's int64 from a frame) as a Python int;
    anything else (a bool, text, a float) is left for the field's validator to refuse."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return int(value)
    return value


def as_tuple(value: Any) -> Any:
    """A converter: a list (or any iterable but text and mappings) as a tuple; anything else is
    left for the field's validator to refuse."""
    if isinstance(value, (str, bytes, dict)) or not isinstance(value, Iterable):
        return value
    return tuple(value)


def location(instance: Any, attribute: Any, value: Any) -> None:
    """A record's ``source``/``location``: a :class:`Location`, or None."""
    if value is not None and not isinstance(value, Location):
        raise ValidationError(attribute.name, "a Location (or None)", value,
                              record=type(instance).__name__)
