"""The words HR systems write for a post's status and a person's contract, read the same in
CSV, XLSX and TOML.

Status (any case): ``Filled``, ``Occupied``, ``In post``, ``Yes``/``Y`` mean filled;
``Vacant``, ``Vacancy``, ``Unfilled``, ``No``/``N`` mean vacant. Under a header that asks about
the vacancy ("Vacant", "Vacant Y/N") a yes means vacant. Contract words (``Temp``,
``Temporary``, ``Fixed Term``) in a status cell mean a filled post whose person is on a
fixed-term contract. An unknown word is passed on, for the record's own check to report.

Contract (an assignment's kind): ``Permanent``/``Substantive``; ``Temp``, ``Temporary``,
``Fixed Term``, ``FTC``; ``Acting``, ``Acting up``; ``Secondment``, ``Seconded out``.
"""

from __future__ import annotations

import re

from establishment.model.vocabulary import STATUSES

FILLED, VACANT = STATUSES

STATUS_WORDS = {
    "filled": FILLED, "occupied": FILLED, "in post": FILLED, "yes": FILLED, "y": FILLED,
    "vacant": VACANT, "vacancy": VACANT, "unfilled": VACANT, "no": VACANT, "n": VACANT,
}
YES_NO = {"yes", "y", "no", "n"}

CONTRACT_WORDS = {
    "substantive": "substantive", "permanent": "substantive", "perm": "substantive",
    "fixed term": "fixed-term", "fixed-term": "fixed-term", "fixed term contract":
    "fixed-term", "ftc": "fixed-term", "temp": "fixed-term", "temporary": "fixed-term",
    "acting": "acting", "acting up": "acting", "acting-up": "acting",
    "secondment": "secondment-out", "secondment out": "secondment-out",
    "secondment-out": "secondment-out", "seconded out": "secondment-out",
    "seconded": "secondment-out",
}


def word(text: object) -> str:
    """``" Fixed  Term "`` -> ``"fixed term"``."""
    return " ".join(re.sub(r"[_]+", " ", str(text)).lower().split())


def asks_vacant(header: str | None) -> bool:
    """True for a header such as "Vacant" or "Vacant (Y/N)": there, yes means vacant."""
    return bool(header) and "vacan" in word(header)


def read_status(value: object, header: str | None = None) -> tuple[str, str | None]:
    """A status cell as ``(status, contract)``: ``("filled", None)``, ``("vacant", None)``,
    ``("filled", "fixed-term")`` for a contract word; an unknown word comes back as written
    (lower case) for the post's check to report."""
    key = word(value)
    if key in CONTRACT_WORDS and CONTRACT_WORDS[key] == "fixed-term":
        return FILLED, "fixed-term"
    status = STATUS_WORDS.get(key)
    if status is None:
        return key, None
    if key in YES_NO and asks_vacant(header):
        status = VACANT if status == FILLED else FILLED
    return status, None


def read_contract(value: object) -> str:
    """A contract cell as an assignment kind; an unknown word comes back as written."""
    key = word(value)
    return CONTRACT_WORDS.get(key, key)
