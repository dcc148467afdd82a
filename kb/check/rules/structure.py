"""Structure: the parser's repairs, and markup that parses but is not what
the author meant (a repaired ``{for}`` that wraps other content than its
tags, a stray ``]]``, empty list items and UI labels, image parameters the
renderer ignores, Markdown typed into a wiki article)."""

from __future__ import annotations

import dataclasses
import re

from kb.markup import nodes as n
from kb.markup.diagnostics import Fix
from kb.markup.syntax import BARE_MACRO, IMAGE_PARAMETERS

#: Parser diagnostics that mean a ``{for}`` was closed somewhere else than
#: at a ``{/for}`` of its own.
_FOR_REPAIRS = ("unclosed-for", "closed-early")

KNOWN_IMAGE_PARAMETERS = frozenset(IMAGE_PARAMETERS)

_BRACKETS = re.compile(r"\[\[|\]\]|\n")

# Markdown, typed into a wiki article by mistake.
_MD_BOLD = re.compile(r"(?<![*\w])\*\*(?=[^\s*])([^*\n]*?[^\s*])\*\*(?![*\w])")
_MD_LINK = re.compile(r"\[([^\[\]\n]+)\]\(((?:https?://|mailto:)[^\s()]+)\)")
_MD_CODE = re.compile(r"(?<!`)(`{1,3})(?!`)([^`\n]+?)(?<!`)\1(?!`)")
_LIST_MARKERS = re.compile(r"[*#;:]+")
#: HTML elements whose content is code: Markdown inside them is meant.
_CODE_TAGS = frozenset(("code", "kbd", "tt", "samp", "pre", "var"))


def check(unit) -> list:
    doc = unit.doc
    out = [dataclasses.replace(d, file=unit.name) for d in doc.diagnostics]
    out.extend(_repaired_fors(unit))
    out.extend(_walk(unit))
    if not unit.is_markdown:
        out.extend(_markdown(unit))
    return out


# -- {for} repairs that change what is wrapped ---------------------------------------


def _repaired_fors(unit) -> list:
    doc = unit.doc
    repaired = {d.start: d.code for d in doc.diagnostics if d.code in _FOR_REPAIRS}
    if not repaired:
        return []
    # Every {for} opener and {/for} closer as written, in source order: the
    # author's own pairing of the tags, whatever the parser made of them.
    events: list[tuple[int, int, n.For | None]] = []
    for node in unit.nodes(n.For, n.Stray):
        if isinstance(node, n.For):
            events.append((node.start, 1, node))
            if node.suffix:
                events.append((node.end - len(node.suffix), -1, None))
        elif isinstance(node, n.Stray) and not node.literal and node.text.startswith("{/for}"):
            events.append((node.start, -1, None))
    events.sort(key=lambda e: e[0])
    out = []
    for index, (_, _step, node) in enumerate(events):
        if node is None or node.start not in repaired or node.suffix:
            continue
        depth = 0
        closer = None
        for pos, s, _ in events[index:]:
            depth += s
            if depth == 0:
                closer = pos
                break
        if closer is None:
            continue  # no {/for} of its own anywhere: unclosed-for says it all
        ended = node.end  # no suffix: the content's end
        if closer > ended:
            gap = unit.body[ended:closer]  # meant to be wrapped, shown to everyone
        else:
            # Wrapped by the repair, meant for everyone; the closing "]]", "}"
            # or "|}" of what the {/for} stood in belongs with it.
            gap = unit.body[closer + len("{/for}"):ended].strip(" \t\r\n]}|")
        if not gap.strip():
            continue
        end_line, end_col = unit.position(ended)
        close_line, close_col = unit.position(closer)
        tag = node.prefix.strip()
        if closer < ended:
            out.append(unit.finding(
                "for-repair-changes-content",
                f"{tag} wraps everything up to {end_line}:{end_col}, past its {{/for}} on "
                f"{close_line}:{close_col}, which cannot close it where it stands (inside a link or UI "
                f"label, or a table cell); what follows that {{/for}} is hidden from the readers the "
                f"condition excludes. Put the {{/for}} where it can close the {{for}} (at the same level).",
                node.start, node.start + len(node.prefix)))
            continue
        if repaired[node.start] == "closed-early":
            why = "an outer container's closer ends it first"
            how = "close the containers in the order they were opened"
        else:
            why = ("it does not stand on a line of its own (text or a comment shares its line), "
                   "so it only wraps the rest of its block")
            if unit.is_markdown:
                predicate = tag[len("{for"):-1].strip()
                how = f"write the block as '::: for {predicate}' … ':::' on lines of their own"
            else:
                how = f"put {tag} and {{/for}} on lines of their own"
        out.append(unit.finding(
            "for-repair-changes-content",
            f"{tag} ends at {end_line}:{end_col}, not at its {{/for}} on {close_line}:{close_col}: {why}; "
            f"everything between is shown to every reader. To wrap it, {how}.",
            node.start, node.start + len(node.prefix)))
    return out


# -- one walk over the tree -----------------------------------------------------------


def _walk(unit) -> list:
    out = []
    pending = 0  # "[[" shown as text on the current line
    pending_line = -1
    for node in unit.nodes(n.Text, n.ListItem, n.Macro, n.Image):
        if isinstance(node, n.Text):
            if isinstance(node.parent, n.Preformatted):
                continue
            text = node.text
            if "[[" in text or "]]" in text:
                line = node.line
                if line != pending_line:
                    pending, pending_line = 0, line
                for m in _BRACKETS.finditer(text):
                    token = m.group(0)
                    if token == "\n":
                        pending, pending_line = 0, pending_line + 1
                    elif token == "[[":
                        pending += 1
                    elif pending:
                        pending -= 1
                    else:
                        start = node.start + m.start()
                        out.append(unit.finding(
                            "unmatched-link-close",
                            "']]' closes no '[[' and is shown as text; remove it or add the missing '[['.",
                            start, start + 2))
                pending_line = line + text.count("\n")
            if "{" in text:
                for m in BARE_MACRO.finditer(text):
                    start = node.start + m.start()
                    out.append(unit.finding(
                        "empty-macro",
                        f"{m.group(0)} has no label and is shown as written; write {{{m.group(1)} Label}}.",
                        start, start + len(m.group(0))))
        elif isinstance(node, n.ListItem):
            if node.prefix and _is_empty(node):
                out.append(unit.at_node(
                    "empty-list-item",
                    f"list item {node.prefix.strip()!r} has no content and shows as an empty "
                    f"{'numbered ' if node.prefix.strip()[-1:] == '#' else ''}item; remove the line "
                    f"or write its text.", node))
        elif isinstance(node, n.Macro):
            if _is_empty(node):
                out.append(unit.finding(
                    "empty-macro",
                    f"{{{node.tag} }} has an empty label and shows as an empty "
                    f"{'key cap' if node.tag == 'key' else node.tag}; write the label or remove it.",
                    node.start, node.end))
        elif isinstance(node, n.Image):
            out.extend(_image_parameters(unit, node))
    return out


#: Containers that are no content of their own: only what they hold counts.
_TRANSPARENT = (n.For, n.Callout, n.Bold, n.Italic)


def _is_empty(node: n.Node) -> bool:
    """Whether ``node`` holds nothing a reader would see (blank text and
    comments only), whatever the ``{for}`` and emphasis around it."""
    for child in node.walk():
        if child is node or isinstance(child, (n.Newline, n.Comment) + _TRANSPARENT):
            continue
        if isinstance(child, n.Text):
            if child.text.strip():
                return False
            continue
        return False
    return True


def _image_parameters(unit, node: n.Image) -> list:
    out = []
    text = node.text
    pos = text.find("|")
    close = len(text) - 2 if text.endswith("]]") else len(text)
    while 0 <= pos < close:
        nxt = text.find("|", pos + 1, close)
        part_end = nxt if nxt >= 0 else close
        arg = text[pos + 1:part_end]
        key, eq, _ = arg.partition("=")
        key = key.strip().lower()
        if key and key not in KNOWN_IMAGE_PARAMETERS:
            lead = len(arg) - len(arg.lstrip())
            start = node.start + pos + 1 + lead
            hint = _image_hint(key, bool(eq))
            out.append(unit.finding(
                "unknown-image-parameter",
                f"image parameter {arg.strip()!r} is not one the renderer knows and is ignored{hint}; "
                f"known: {', '.join(sorted(KNOWN_IMAGE_PARAMETERS))}.",
                start, node.start + part_end))
        pos = nxt
    return out


def _image_hint(key: str, has_value: bool) -> str:
    m = re.fullmatch(r"(\d+)px", key)
    if m and not has_value:
        return f" (for a width write width={m.group(1)})"
    if key in ("left", "right", "center", "none") and not has_value:
        return f" (write align={key})"
    if key in ("thumb", "thumbnail", "border"):
        return " (write frame or frameless)"
    return ""


# -- Markdown by mistake ---------------------------------------------------------------


def _literal_spans(unit) -> list[tuple[int, int]]:
    """Where markup is not interpreted, or is code: comments, <nowiki>,
    <pre>, preformatted lines, <code>…</code> and the like."""
    spans = [(node.start, node.end) for node in unit.nodes(n.Comment, n.Nowiki, n.Pre, n.Preformatted)]
    open_tags: dict[tuple[int, str], int] = {}
    for tag in unit.nodes(n.HtmlTag):  # a pair is two children of one parent
        if tag.name not in _CODE_TAGS:
            continue
        key = (id(tag.parent), tag.name)
        if not tag.closing and not tag.self_closing:
            open_tags.setdefault(key, tag.start)
        elif tag.closing and key in open_tags:
            spans.append((open_tags.pop(key), tag.end))
    spans.sort()
    return spans


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    return any(start <= pos < end for start, end in spans)


def _markdown(unit) -> list:
    body = unit.body
    if "**" not in body and "](" not in body and "`" not in body:
        return []
    spans = None
    out = []
    for regex, kind in ((_MD_BOLD, "bold"), (_MD_LINK, "link"), (_MD_CODE, "code")):
        for m in regex.finditer(body):
            start = m.start()
            line_start = body.rfind("\n", 0, start) + 1
            marker = _LIST_MARKERS.match(body, line_start)
            if marker and start < marker.end():
                continue  # "**" at the start of a line is a nested list item
            if spans is None:
                spans = _literal_spans(unit)
            if _inside(spans, start):
                continue
            if kind == "bold":
                replacement = f"'''{m.group(1)}'''"
                message = (f"'**{m.group(1)}**' is Markdown bold, shown here with its asterisks; "
                           f"in wiki markup write {replacement}.")
            elif kind == "link":
                replacement = f"[{m.group(2)} {m.group(1)}]"
                message = (f"'[{m.group(1)}]({m.group(2)})' is a Markdown link, shown here as written; "
                           f"in wiki markup write {replacement}.")
            else:
                replacement = f"<code>{m.group(2)}</code>"
                message = (f"{m.group(0)!r} is Markdown code, shown here with its backticks; "
                           f"in wiki markup write {replacement}.")
            fix = Fix(start, m.end(), replacement, f"write {replacement}")
            out.append(unit.finding("markdown-syntax", message, start, m.end(), fix))
    return out
