"""What a reading found and did not find, as text a person checks before the meeting."""

from __future__ import annotations

from establishment.reading.records import Reading


def counts(reading: Reading) -> dict[str, int]:
    """Statements (posts a decision changes), payments, targets, money figures read and not."""
    return {"statements": len(reading.statements), "payments": len(reading.payments),
            "budgets": len(reading.budgets), "targets": len(reading.figures),
            "money read": sum(m.fate == "read" for m in reading.money),
            "money not read": sum(m.fate == "unread" for m in reading.money),
            "not read": len(reading.unread), "ambiguous": len(reading.ambiguities)}


def summary(reading: Reading) -> str:
    """One line per item read, then every item not read or read one way of two, located."""
    lines = [f"{reading.path}: dated {reading.date or '?'} ({reading.date_source or 'not found'})"
             + "; " + ", ".join(f"{v} {k}" for k, v in counts(reading).items())]
    for post in reading.posts:
        what = " ".join(str(x) for x in (post.fte, "fte" if post.fte is not None else "",
                                         post.title, f"({post.grade}" if post.grade else "",
                                         f"scp {post.scp}" if post.scp else "") if x)
        lines.append(f"  {post.kind:<15} {what}{')' if post.grade else ''}"
                     f"  [{', '.join(s.paragraph for s in post.sources)}]")
    for payment in reading.payments:
        lines.append(f"  {'payment':<15} {payment.title} £{payment.amount:,}"
                     f"  [{', '.join(s.paragraph for s in payment.sources)}]")
    for figure in reading.figures:
        lines.append(f"  {'target':<15} {figure.label}: £{figure.amount:,} ({figure.metric}"
                     f"{', ' + figure.expect if figure.expect != 'match' else ''})"
                     f"  [{', '.join(dict.fromkeys(s.paragraph for s in figure.sources))}]")
    for note in reading.unread:
        where = f"{note.source.paragraph}, line {note.source.line}" if note.source else "report"
        lines.append(f"  NOT READ ({where}): {note.message}")
    for note in reading.ambiguities:
        where = f"{note.source.paragraph}, line {note.source.line}" if note.source else "report"
        lines.append(f"  AMBIGUOUS ({where}): {note.message}")
    return "\n".join(lines)
