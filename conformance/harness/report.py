"""The matrix: one row per scenario, one column per language, totals at the bottom.
A failing cell is followed by its first problems, so the matrix alone says what broke."""

from __future__ import annotations

from collections.abc import Sequence

from .verdict import Verdict

PASS, FAIL = "pass", "FAIL"
_SHOWN_PROBLEMS = 6


def matrix(
    scenario_ids: Sequence[str],
    languages: Sequence[str],
    verdicts: dict[tuple[str, str], Verdict],
) -> str:
    width = max([len("scenario"), *(len(s) for s in scenario_ids)])
    cols = [(lang, max(len(lang), 7)) for lang in languages]

    def verdict(sid: str, lang: str) -> Verdict:
        return verdicts.get((sid, lang)) or Verdict.fail("not run")

    head = "scenario".ljust(width) + "".join(f"  {lang:<{w}}" for lang, w in cols)
    lines = [head, "-" * len(head)]
    said: set[tuple[str, str]] = set()  # a missing driver is said once, not per row
    for sid in scenario_ids:
        cells = [f"  {(PASS if verdict(sid, lang).passed else FAIL):<{w}}" for lang, w in cols]
        lines.append(sid.ljust(width) + "".join(cells))
        for lang, _ in cols:
            for problem in verdict(sid, lang).problems[:_SHOWN_PROBLEMS]:
                if problem.startswith("no driver"):
                    if (lang, problem) in said:
                        continue
                    said.add((lang, problem))
                    problem += " (every row of this column fails)"
                lines.append(f"    {lang}: {problem}")
    lines.append("-" * len(head))
    passed = [sum(verdict(s, lang).passed for s in scenario_ids) for lang, _ in cols]
    total = len(scenario_ids)
    lines.append(
        "passed".ljust(width)
        + "".join(f"  {f'{n}/{total}':<{w}}" for n, (_, w) in zip(passed, cols, strict=True))
    )
    seconds = [sum(verdict(s, lang).seconds for s in scenario_ids) for lang, _ in cols]
    lines.append(
        "time".ljust(width)
        + "".join(f"  {f'{t:.1f}s':<{w}}" for t, (_, w) in zip(seconds, cols, strict=True))
    )
    return "\n".join(lines)
