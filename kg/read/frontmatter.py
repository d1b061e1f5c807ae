"""Jekyll front matter → a Python mapping, with PyYAML's safe C loader and explicit limits.

Never constructs arbitrary objects (safe loader only) and never walks YAML aliases: PFOCR
records never use them, and shared nodes are how "billion laughs" documents explode.
"""

from __future__ import annotations

from typing import Any

import yaml

from kg.read.errors import RecordError

try:  # libyaml: ~8x faster than the pure-Python loader, identical output on PFOCR records
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

MAX_NODES = 200_000
MAX_DEPTH = 64


def split_front_matter(text: str) -> str:
    """The YAML between the opening `---` line and the next `---` (or `...`) line."""
    if not (text.startswith("---\n") or text == "---"):
        raise RecordError("no front matter: the file must start with a '---' line")
    end = -1
    pos = 4
    while True:
        nl = text.find("\n", pos)
        line = text[pos:] if nl == -1 else text[pos:nl]
        if line.rstrip() in ("---", "..."):
            end = pos
            break
        if nl == -1:
            break
        pos = nl + 1
    if end == -1:
        raise RecordError("front matter is not closed: no second '---' line")
    return text[4:end]


def load_mapping(yaml_text: str) -> dict[str, Any]:
    """Parse YAML that must be a mapping; refuse aliases, deep nesting and huge documents."""
    try:
        data = yaml.load(yaml_text, Loader=_Loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise RecordError(f"invalid YAML{where}: {problem}") from exc
    except RecursionError as exc:
        raise RecordError("invalid YAML: nesting too deep") from exc
    if not isinstance(data, dict):
        kind = "empty" if data is None else type(data).__name__
        raise RecordError(f"front matter is not a mapping (got {kind})")
    _check_shape(data)
    return data


def _check_shape(root: dict[str, Any]) -> None:
    seen: set[int] = set()
    stack: list[tuple[Any, int]] = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            raise RecordError(
                "YAML anchors/aliases are not accepted (PFOCR records never use them; "
                "they can expand a small file into a huge document)"
            )
        seen.add(id(node))
        if len(seen) > MAX_NODES:
            raise RecordError(f"front matter has more than {MAX_NODES} nested values")
        if depth > MAX_DEPTH:
            raise RecordError(f"front matter is nested deeper than {MAX_DEPTH} levels")
        children = node.values() if isinstance(node, dict) else node
        for child in children:
            if isinstance(child, (dict, list)):
                stack.append((child, depth + 1))
    for key in root:
        if not isinstance(key, str):
            raise RecordError(f"front matter key {key!r} is not a string")
