"""Read and audit the seed committee reports; compare with the hand-written scenarios.

Run by hand (never by the tests) with the folder of the seed reports:

    python benchmarks/read_seeds.py ../shared/seeds

For each report: what `establishment read` took out of it (statements, payments, targets) and
what it listed as not read or ambiguous; then, against the bundled scenario of the same date in
scenarios/data/, whether the posts (title, fte, grade, scp, dates, status), payments and
published figures (metric and amount) are the same; then the audit's line per figure beside
`scenario run`'s reconciliation of the hand-written scenario (the same difference on each).

The judgements a report's text does not hold are given here, as a user gives them with
--employer and --rule: the employer of every seed is Nottinghamshire, and the June 2018 report
was priced on the council's own model (rule council-2018, fitted to its figures). A published
figure the hand-written scenario marks "known-difference" is compared as a derived figure
("match"): the reader does not know in advance that a figure is wrong, the audit finds it.
Exit status 1 when a report's reading or audit differs from its hand-written scenario.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from establishment.reading import counts, read_report
from establishment.reading.scenario_text import scenario_toml
from scenarios import list_scenarios, load_scenario, run_scenario
from scenarios.audit import audit_reading

EMPLOYER = "nottinghamshire"
RULES = {"2018-short-breaks": "council-2018"}  # the user's --rule, per report


def posts_of(scenario) -> list[tuple]:
    """Every post of the base and every post the decision establishes, as compared."""
    posts = list(scenario.structure.posts)
    posts += [c.change.post for c in scenario.changes if getattr(c.change, "post", None)]
    return sorted((p.title, p.fte, p.grade, p.scp, p.start, p.end, p.status) for p in posts)


def payments_of(scenario) -> list[tuple]:
    return sorted((p.amount, p.per, p.start, p.end) for p in scenario.structure.payments)


def targets_of(scenario) -> Counter:
    expect = {"known-difference": "match"}
    return Counter((f.metric, f.amount, expect.get(f.expect, f.expect))
                   for f in scenario.published)


def differences(mine: list, theirs: list, what: str) -> list[str]:
    if mine == theirs:
        return []
    return [f"    {what} differ:", f"      read:         {mine}", f"      hand-written: {theirs}"]


def hand_written(date) -> str | None:
    """The bundled scenario decided on the report's date."""
    return next((n for n in list_scenarios() if decided(n) == date), None)


def decided(name: str):
    import tomllib

    from scenarios.scenario import scenario_dir

    return tomllib.loads((scenario_dir() / f"{name}.toml").read_text())["decided"]


def compare(path: Path, folder: Path) -> bool:
    reading = read_report(path)
    name = hand_written(reading.date)
    print(f"\n=== {path.name}: dated {reading.date}; hand-written scenario: {name}")
    print("  read: " + ", ".join(f"{v} {k}" for k, v in counts(reading).items()))
    for post in reading.posts:
        where = ", ".join(s.paragraph for s in post.sources)
        print(f"    {post.kind:<15} {post.fte} fte {post.title} ({post.grade or '-'}"
              f"{' scp ' + str(post.scp) if post.scp else ''}) "
              f"{post.start or ''}..{post.end or ''} [{where}]")
    for figure in reading.figures:
        print(f"    target          {figure.metric} £{figure.amount:,} ({figure.expect}) "
              f"[{', '.join(dict.fromkeys(s.paragraph for s in figure.sources))}]")
    for note in reading.unread:
        where = note.source.paragraph if note.source else "report"
        print(f"    NOT READ  {where}: {note.message[:110]}")
    for note in reading.ambiguities:
        print(f"    AMBIGUOUS {note.source.paragraph}: {note.message[:110]}")
    if name is None:
        print("  no hand-written scenario of that date")
        return False
    rule = RULES.get(name)
    written = folder / f"{name}.toml"
    written.write_text(scenario_toml(reading, EMPLOYER, rule=rule))
    mine, theirs = load_scenario(written), load_scenario(name)
    problems = differences(posts_of(mine), posts_of(theirs), "posts")
    problems += differences(payments_of(mine), payments_of(theirs), "payments")
    problems += differences(sorted(targets_of(mine).items()), sorted(targets_of(theirs).items()),
                            "targets")
    problems += differences(mine.period, theirs.period, "periods")
    print("  against the hand-written scenario: " + ("the same posts, payments, targets and "
                                                     "period" if not problems else "DIFFERENT"))
    print("\n".join(problems)) if problems else None
    return audit(reading, rule, name) and not problems


def audit(reading, rule, name) -> bool:
    result = audit_reading(reading, EMPLOYER, rule=rule)
    theirs = {(r.figure.metric, r.figure.amount): r for r in run_scenario(name).reconciliations}
    agree = True
    print(f"  audit (--rule {rule or 'as the text states / the employer default'}): "
          f"{'exit 0' if result.ok else 'exit 1'}")
    for line, figure in zip(result.lines, result.result.scenario.published, strict=True):
        other = theirs.get((figure.metric, figure.amount))
        same = other is not None and other.difference == line.difference
        agree &= same
        ours = "-" if line.recomputed is None else f"£{line.recomputed:,}"
        print(f"    {'ok ' if same else 'DIFF'} {line.label[:60]:<60} published "
              f"£{line.published:,} recomputed {ours} [{line.status}] {line.cause[:150]}")
        if line.in_year is not None and figure.metric == "full_year":
            period = run_scenario(name).primary.period_total
            agree &= period == line.in_year
            print(f"         in the year: audit £{line.in_year:,}, scenario run's period "
                  f"£{period:,}")
        if other is not None and not same:
            print(f"         scenario run: {other.ours} ({other.status})")
    return agree


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print("usage: python benchmarks/read_seeds.py SEEDS_FOLDER", file=sys.stderr)
        return 2
    import tempfile

    ok = True
    with tempfile.TemporaryDirectory() as folder:
        for path in sorted(Path(argv[0]).glob("*.txt")):
            ok &= compare(path, Path(folder))
    print("\nall seeds: " + ("read and audited as the hand-written scenarios" if ok else
                             "DIFFERENCES above"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
