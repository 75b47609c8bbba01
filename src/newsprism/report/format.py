"""The text form of a story report (``newsprism story ID --report``)."""

from __future__ import annotations

import textwrap
from datetime import datetime

from newsprism.report.base import date_only
from newsprism.report.build import StoryReport
from newsprism.report.coverage import Coverage

_WIDTH = 100
_DATE_COLUMN = 18


def _wrap(text: str, indent: str, hang: str | None = None) -> list[str]:
    return textwrap.wrap(
        " ".join(text.split()),
        _WIDTH,
        initial_indent=indent,
        subsequent_indent=hang if hang is not None else indent + "  ",
    ) or [indent.rstrip()]


def _when(value: datetime | None) -> str:
    if value is None:
        return "no date"
    return value.strftime("%Y-%m-%d" if date_only(value) else "%Y-%m-%d %H:%M")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _chips(sources: tuple[str, ...] | list[str], coverage: str) -> str:
    if coverage == "one" and sources:
        return f"[only {sources[0]}]"
    return "[" + ", ".join(sources) + "]"


def _summary(result: StoryReport) -> list[str]:
    out = ["", "Summary"]
    if not result.summary:
        out.append("  nothing to summarise (no sentence long enough)")
    for p in result.summary:
        disputed = f" (disputed: {', '.join(p.disputed)})" if p.disputed else ""
        out += _wrap(f"- {p.text} {_chips(p.sources, p.coverage)}{disputed}", "  ", "    ")
    return out


def _timeline(result: StoryReport) -> list[str]:
    out = ["", "Timeline"]
    if not result.timeline:
        out.append("  no dated events found")
    pad = " " * (2 + _DATE_COLUMN)
    for e in result.timeline:
        head = f"  {e.label:<{_DATE_COLUMN - 1}} "
        out += _wrap(f"{e.text} {_chips(e.sources, e.coverage)}", head, pad)
        if any(m.expression.casefold() not in e.label.casefold() for m in e.mentions):
            said: dict[str, dict[str, None]] = {}
            for m in e.mentions:
                said.setdefault(m.expression, {})[m.source] = None
            text = ", ".join(f"“{x}” ({', '.join(names)})" for x, names in said.items())
            out += _wrap(f"as written: {text}", pad, pad)
    out += ["", "Published"]
    for _aid, source, title, when in result.published:
        out += _wrap(f"{source}: {title}", f"  {_when(when):<{_DATE_COLUMN - 1}} ", pad)
    return out


def _articles(cov: Coverage) -> list[str]:
    out = []
    for a in cov.articles:
        wire = f", {_pct(a.wire_share)} of its words in wire copy" if a.wire_share else ""
        credits = f"; credits {', '.join(a.agencies)}" if a.agencies else ""
        partners = f"; shares passages with {', '.join(a.shared_with)}" if a.shared_with else ""
        out += _wrap(
            f"{a.source}: {a.words} words, {_pct(a.reused_share)} of them shared word for word with another outlet{wire}{credits}"
            f"{partners}",
            "    ",
        )
    return out


def _conflicts(cov: Coverage) -> list[str]:
    out = [f"  conflicts ({len(cov.conflicts)})" + ("" if cov.conflicts else ": none found")]
    for c in cov.conflicts:
        versions = "; ".join(f"{s['source']} says “{s['value']}”" for s in c["sides"])
        out += _wrap(f"- {c['kind']}: {c['what']}: {versions}", "    ", "      ")
        for s in c["sides"]:
            out += _wrap(f"{s['source']}: {s['text']}", "      ", "        ")
    return out


def _coverage(result: StoryReport) -> list[str]:
    cov = result.coverage
    out = ["", "Coverage"]
    out += _wrap(
        "outlets: " + ", ".join(f"{o.source} ({len(o.article_ids)})" for o in cov.outlets),
        "  ",
    )
    out += _wrap(f"first: {cov.first.note}", "  ")
    if cov.over_time:
        fmt = "%Y-%m-%d %H:00" if cov.unit == "hour" else "%Y-%m-%d"
        buckets = ", ".join(f"{b.start.strftime(fmt)}: {b.count}" for b in cov.over_time)
        out += _wrap(f"articles per {cov.unit}: {buckets}", "  ")
    out.append("  reuse")
    out += _articles(cov)
    for w in cov.wire:
        out += _wrap(
            f"wire copy of {w['agency']} in {', '.join(w['sources'])} "
            f"({_count(w['facts'], 'shared fact')}, {_count(w['passages'], 'reused passage')})",
            "    ",
        )
    out += _conflicts(cov)
    out.append("  framing")
    if not cov.framing_differences:
        out.append("    no difference found")
    for line in cov.framing_differences:
        out += _wrap(f"- {line}", "    ", "      ")
    return out


def format_report(result: StoryReport) -> str:
    """The readable report: summary, timeline, publication times, coverage, notes."""
    sources = ", ".join(result.sources) or "no outlet named"
    compared = f" ({result.compared} compared)" if result.compared < result.article_count else ""
    out = [
        f"Story {result.story_id or ''} — {result.title}".replace("  ", " "),
        (
            f"{_count(result.article_count, 'article')}{compared} from "
            f"{_count(len(result.sources), 'outlet')}: {sources}"
        ),
    ]
    out += _summary(result)
    out += _timeline(result)
    out += _coverage(result)
    if result.notes:
        out += ["", "Notes", *(line for n in result.notes for line in _wrap(f"- {n}", "  "))]
    return "\n".join(out)
