"""Finding a code from what a person types or pastes.

In order: the exact code or an alias (any letter case); the numeric value
(``-8179``, also without the minus); a code inside pasted text
(``Error code: SEC_ERROR_UNKNOWN_ISSUER``); a distinctive part of a code
(``UNKNOWN_ISSUER``); words of a title or summary (``self-signed``); and a
misspelling close enough to one code (``SEC_ERROR_UNKOWN_ISSUER``). Several
equally good matches make the query ambiguous; nothing makes it not found,
with the closest codes as suggestions.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from kb.codes.registry import CodeEntry, Registry
from kb.errors import UsageError

_TOKEN = re.compile(r"\b[A-Za-z][A-Za-z0-9]*+(?:_[A-Za-z0-9]++)+")
_NUMBER = re.compile(r"[-\u2212]?\s*\d{1,7}")
#: Queries longer than this are searched only for codes they contain.
_LONG = 200


@dataclass
class Match:
    query: str
    entry: CodeEntry | None = None
    how: str = ""  # exact, alias, value, pasted, part, words, fuzzy
    candidates: list[CodeEntry] = field(default_factory=list)  # ambiguous
    suggestions: list[CodeEntry] = field(default_factory=list)  # when not found

    @property
    def found(self) -> bool:
        return self.entry is not None

    @property
    def ambiguous(self) -> bool:
        return self.entry is None and len(self.candidates) > 1


_ANSI = re.compile(r"\x1b(?:\[[0-9;?]*[ -/]*[@-~]|[@-Z\\-_])")


def clean_query(query: str) -> str:
    """Terminal escapes and control characters out, white space folded; an
    empty query is a usage error."""
    query = _ANSI.sub("", query)
    text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in query)
    text = " ".join(text.split())
    if not text:
        raise UsageError("empty query: give an error code (SEC_ERROR_UNKNOWN_ISSUER), "
                         "its number (-8179) or words from its title")
    return text


def find(registry: Registry, query: str) -> Match:
    text = clean_query(query)
    shown = text if len(text) <= 60 else text[:57] + "..."
    match = Match(shown)
    entries = list(registry.entries)
    upper = text.upper()

    if len(text) <= _LONG:
        entry = registry.get(text) or registry.get(text.replace(" ", ""))
        if entry is not None:
            match.entry, match.how = entry, "exact" if entry.code.upper() == upper else "alias"
            return match
        if _NUMBER.fullmatch(text):
            number = int(re.sub(r"[\s\u2212-]", "", text))
            entry = registry.by_value(-abs(number))
            if entry is not None:
                match.entry, match.how = entry, "value"
                return match

    pasted = _unique(registry.get(token) for token in _TOKEN.findall(text))
    if len(pasted) == 1:
        match.entry, match.how = pasted[0], "pasted"
        return match
    if len(pasted) > 1:
        match.candidates = pasted
        return match
    if len(text) > _LONG:
        return match

    part = upper.replace(" ", "_").strip("_")
    if len(part) >= 3:
        hits = _unique(e for e in entries for name in e.names if part in name.upper())
        if len(hits) == 1:
            match.entry, match.how = hits[0], "part"
            return match
        if hits:
            match.candidates = _rank_parts(hits, part)
            return match

    words = [w for w in re.split(r"[^a-z0-9]+", text.lower()) if len(w) > 2]
    if words:
        hits = [e for e in entries if all(w in f"{e.title} {e.summary}".lower() for w in words)]
        if len(hits) == 1:
            match.entry, match.how = hits[0], "words"
            return match
        if hits:
            match.candidates = hits
            return match

    return _fuzzy(match, entries, part or upper)


def _unique(found) -> list[CodeEntry]:
    out: list[CodeEntry] = []
    for entry in found:
        if entry is not None and entry not in out:
            out.append(entry)
    return out


def _rank_parts(hits: list[CodeEntry], part: str) -> list[CodeEntry]:
    """Codes that end with the part, then start with it, then the rest."""
    def rank(entry: CodeEntry) -> tuple[int, str]:
        code = entry.code.upper()
        return (0 if code.endswith(part) else 1 if code.startswith(part) else 2, code)
    return sorted(hits, key=rank)


def _fuzzy(match: Match, entries: list[CodeEntry], text: str) -> Match:
    from rapidfuzz import fuzz, process

    names = {name.upper(): entry for entry in entries for name in entry.names}
    scored = process.extract(text, list(names), scorer=fuzz.ratio, limit=6)
    ranked: list[tuple[float, CodeEntry]] = []
    for name, score, _ in scored:
        if all(names[name] is not e for _, e in ranked):
            ranked.append((score, names[name]))
    if ranked and ranked[0][0] >= 88 and (len(ranked) == 1 or ranked[1][0] < ranked[0][0] - 4):
        match.entry, match.how = ranked[0][1], "fuzzy"
        return match
    match.suggestions = [entry for score, entry in ranked[:3] if score >= 40] or [e for _, e in ranked[:3]]
    return match
