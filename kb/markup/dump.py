"""Tree dumps for people (one node a line, indented, with line:col) and
for tools (nested JSON)."""

from __future__ import annotations

from kb.markup import nodes as n


def dump_text(root: n.Node) -> str:
    """One node a line: ``line:col  Kind fields``, indented by depth."""
    out: list[str] = []
    stack: list[tuple[n.Node, int]] = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        extra = node.describe()
        out.append(f"{node.line}:{node.col}".ljust(9) + "  " * depth + type(node).__name__
                   + (" " + extra if extra else ""))
        stack.extend((child, depth + 1) for child in reversed(node.children))
    return "\n".join(out) + "\n"


def to_json(root: n.Node) -> dict:
    """The tree as nested dicts: kind, span, line, col, fields, children
    (leaves also carry their source text)."""

    def shell(node: n.Node) -> dict:
        out = {"kind": node.kind, "start": node.start, "end": node.end, "line": node.line, "col": node.col}
        out.update(node.fields())
        if isinstance(node, n.Leaf):
            out["text"] = node.text
        return out

    top = shell(root)
    stack = [(root, top)]
    while stack:
        node, data = stack.pop()
        if node.children:
            data["children"] = []
            for child in node.children:
                child_data = shell(child)
                data["children"].append(child_data)
                stack.append((child, child_data))
    return top
