"""Jekyll front matter → a Python mapping, with PyYAML's safe C loader and explicit limits.

Never constructs arbitrary objects (safe loader only) and never walks YAML aliases: PFOCR
records never use them, and shared nodes are how "billion laughs" documents explode.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from kg.read.errors import RecordError

try:  # libyaml: ~8x faster than the pure-Python loader, identical output on PFOCR records
    _Base: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Base = yaml.SafeLoader


class _Loader(_Base):  # type: ignore[misc]
    """The safe loader, except that unquoted dates stay text: readers use every value as text,
    and `year: 2005-13-45` must be a bad year (a field warning), not a crash in datetime.date."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}

try:  # fastyaml-rs: same objects as PyYAML on every real record (tests/unit/read/test_frontmatter_parsers.py)
    import fast_yaml as _fast_yaml
except ImportError:  # pragma: no cover - optional speed-up; PyYAML is the reference
    _fast_yaml = None  # type: ignore[assignment]  # checked before every use

# Text the fast parser is not trusted with: anchors/aliases (`&x`, `*x` as a node), tags (`!`),
# merge keys (`<<`), and directives.
_NOT_PLAIN = re.compile(r"(?:^|[\s\[{,:-])[&*!][^\s]|<<|^%", re.MULTILINE)
# Plain scalars whose type differs between YAML 1.1 and 1.2, after `key: ` or `- `. The `[:-][ \t]`
# before the value is consumed, not a lookbehind: the same texts match (only whether one does
# matters), and a pattern that starts with a character set lets the regex engine skip ahead to
# the candidates instead of trying every position (~2x faster on real front matter).
# The lookahead lists the first characters of the alternatives: it changes nothing that matches,
# and rejects most keys and values at their first character (~3x faster on real front matter).
_YAML11_TOKEN = (
    r"(?=[yYnNoOtTfF0-9+\-.=~])"
    r"(?:[yYnN]|[Yy]es|YES|[Nn]o|NO|[Oo]n|ON|[Oo]ff|OFF|[Tt]rue|TRUE|[Ff]alse|FALSE"
    r"|[-+]?0[0-7_]+|[-+]?0[bo][0-7_]+|[-+]?0x[0-9a-fA-F_]+|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?"
    r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt \t].*)?|[-+]?[0-9][0-9_]*_[0-9_]*(?:\.[0-9_]*)?"
    r"|[-+]?[0-9]+(?:\.[0-9]*)?[eE][-+]?[0-9]+|[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)|=|~|null|Null|NULL"
    # `+.5`, `.5e3` (1.1: text), `.5_0` (1.1: 0.5)
    r"|[-+]\.[0-9][0-9_]*(?:[eE][-+]?[0-9]+)?|\.[0-9][0-9_]*[eE][-+]?[0-9]+|\.[0-9_]*_[0-9_]*)"
)
_YAML11_ONLY = re.compile(r"[:\-][ \t][ \t]*" + _YAML11_TOKEN + r"[ \t]*$", re.MULTILINE)
# The same scalars as block mapping keys (searched in "\n" + text), and non-empty flow collections
# (`[yes, 0x1F]`, `{a: on}`: PFOCR writes only `[]`), whose scalars the checks above do not see.
_YAML11_KEY = re.compile(r"\n[ \t]*(?:[-?][ \t]+)*" + _YAML11_TOKEN + r"[ \t]*:(?:[ \t\n]|$)")
_FLOW_COLLECTION = re.compile(r"(?:[:?,\-][ \t]+|\n[ \t]*)[\[{](?![\]}])")
# A document end or start marker line (never inside split_front_matter's text; load_mapping
# may be given any text).
_DOCUMENT_MARKER = re.compile(r"\n(?:---|\.\.\.)(?:[ \t]|$)", re.MULTILINE)
# A mapping entry with an empty key (`- :`, `: x`): libyaml refuses some the fast parser takes.
_EMPTY_KEY = re.compile(r"\n[ \t]*(?:[-?][ \t]+)*:(?:[ \t]|$)", re.MULTILINE)


def _open_flow(text: str) -> bool:
    """A `[` or `{` not followed by `]` or `}`: what every _FLOW_COLLECTION match ends with, found
    with str.find (~3x cheaper than that regex, which only runs when this finds one)."""
    for opening in "[{":
        at = text.find(opening)
        while at != -1:
            if text[at + 1:at + 2] not in ("]", "}"):
                return True
            at = text.find(opening, at + 1)
    return False


def _maybe_not_plain(text: str) -> bool:
    """Cheap test first (most records have none of these characters), the regex only if needed."""
    if "&" in text or "*" in text or "!" in text or "<<" in text or text.startswith("%") or "\n%" in text:
        return _NOT_PLAIN.search(text) is not None
    return False


MAX_NODES = 200_000
MAX_DEPTH = 64
# Integers longer than this many bits cannot be turned into text (Python's 4300-digit limit).
MAX_INT_BITS = 14_000

# libyaml's composer recurses in C: a document nested some 10^4-10^5 levels deep (a few hundred
# KB of `[`) overflows the stack and kills the process. Text with few flow brackets and short line
# prefixes of spaces/`-`/`?` cannot nest more than a few hundred levels (safe); anything else is
# checked event by event first (libyaml's parser keeps its own stack), as is text that may hold
# aliases (`*`).
_FLOW_SAFE = 100
_DEEP_LINE = re.compile(r"\n[ \t?-]{64}")  # found by scanning for "\n": ~4x a `^` MULTILINE search
_DEEP_FIRST = re.compile(r"[ \t?-]{64}")


def _deep_prefix(text: str) -> bool:
    """A line that starts with 64 or more of space, tab, `?` and `-` (deep block nesting)."""
    return _DEEP_FIRST.match(text) is not None or _DEEP_LINE.search(text) is not None


_ALIASES_REFUSED = (
    "YAML anchors/aliases are not accepted (PFOCR records never use them; "
    "they can expand a small file into a huge document)"
)


# "\n", then `---` or `...`, then whitespace other than "\n" up to the end of that line.
_CLOSING_LINE = re.compile(r"\n(?:---|\.\.\.)[^\S\n]*$", re.MULTILINE)


def split_front_matter(text: str) -> str:
    """The YAML between the opening `---` line and the next `---` (or `...`) line."""
    first, newline, _ = text.partition("\n")
    if first.rstrip() != "---":  # trailing blanks allowed, as on the closing line (and in Jekyll)
        raise RecordError("no front matter: the file must start with a '---' line")
    start = len(first) + len(newline)
    # The first later line that is `---` or `...` once trailing whitespace (str.isspace, as
    # rstrip() strips it) is removed: searched from the first line's own "\n".
    closing = _CLOSING_LINE.search(text, start - 1) if newline else None
    if closing is None:
        raise RecordError("front matter is not closed: no second '---' line")
    return text[start:closing.start() + 1]


def _fast_load(yaml_text: str) -> Any:
    """fastyaml-rs (~6x libyaml) for plain front matter, or None to take the PyYAML path.

    Used only where both parsers must agree: no aliases, anchors, tags or merge keys, no deep
    nesting, and no plain scalar that YAML 1.1 (PyYAML, the reference) types differently from
    YAML 1.2 (yes/no/on/off, octal, sexagesimal, dates, `1e3`, `1_000`) as a value or a key, no
    non-empty flow collection, and no NEL, U+2028 or
    U+2029 (line breaks in YAML 1.1 only: the indentation after them would stay in the value).
    Anything else, and anything it fails on, goes to PyYAML, whose errors are the ones reported."""
    if _fast_yaml is None or _maybe_not_plain(yaml_text) or _YAML11_ONLY.search(yaml_text):
        return None
    if "\u2028" in yaml_text or "\u2029" in yaml_text or "\x85" in yaml_text:
        return None
    if "\t" in yaml_text or "\ufeff" in yaml_text:  # where libyaml refuses a tab or a BOM, the fast
        return None  # parser may not (`- \t`, a BOM starting a line): PFOCR front matter has neither
    lines = "\n" + yaml_text
    # an empty key's `:` follows "\n" or a space (tabs went above): the regex only if one does
    empty_key = (" :" in lines or "\n:" in lines) and _EMPTY_KEY.search(lines)
    if _YAML11_KEY.search(lines) or empty_key or (_open_flow(yaml_text) and _FLOW_COLLECTION.search(lines)):
        return None
    if ("\n..." in lines or "\n---" in lines) and _DOCUMENT_MARKER.search(lines):
        # `...` or `---` ends the document: the fast parser drops what follows, PyYAML refuses it
        return None
    if yaml_text.count("[") + yaml_text.count("{") > _FLOW_SAFE or _deep_prefix(yaml_text):
        return None
    try:
        return _fast_yaml.safe_load(yaml_text)
    except Exception:  # noqa: BLE001 - whatever the fast parser refuses, PyYAML decides
        return None


def load_mapping(yaml_text: str) -> dict[str, Any]:
    """Parse YAML that must be a mapping; refuse aliases, deep nesting and huge documents."""
    data = _fast_load(yaml_text)
    if data is not None:
        if not isinstance(data, dict):
            raise RecordError(f"front matter is not a mapping (got {type(data).__name__})")
        _check_shape(data)
        return data
    return _reference_load(yaml_text)


def _reference_load(yaml_text: str) -> dict[str, Any]:
    """PyYAML's safe loader (libyaml): the reference for what a record's front matter means."""
    try:
        _precheck(yaml_text)
        data = yaml.load(yaml_text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}, column {mark.column + 1}" if mark is not None else ""
        position = getattr(exc, "position", None)  # ReaderError (e.g. a raw control character)
        if mark is None and isinstance(position, int):
            line = yaml_text.count("\n", 0, position) + 2
            column = position - yaml_text.rfind("\n", 0, position)
            where = f" at line {line}, column {column}"
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise RecordError(f"invalid YAML{where}: {problem}") from exc
    except RecursionError as exc:
        raise RecordError("invalid YAML: nesting too deep") from exc
    except (ValueError, TypeError, AttributeError, OverflowError, LookupError) as exc:
        # The safe constructor lets Python's own errors through for values it cannot build:
        # `2001-13-45` (a date with month 13), a 5000-digit integer, `!!int abc`, `!!timestamp x`,
        # `!!bool maybe` (KeyError), `!!int ""` (IndexError).
        raise RecordError(f"invalid YAML: a value cannot be read ({exc})") from exc
    if not isinstance(data, dict):
        kind = "empty" if data is None else type(data).__name__
        raise RecordError(f"front matter is not a mapping (got {kind})")
    _check_shape(data)
    return data


def _precheck(yaml_text: str) -> None:
    """Refuse aliases and deep nesting before libyaml composes the document (see _FLOW_SAFE)."""
    if (
        "*" not in yaml_text
        and yaml_text.count("[") + yaml_text.count("{") <= _FLOW_SAFE
        and not _deep_prefix(yaml_text)
    ):
        return
    depth = 0
    for event in yaml.parse(yaml_text, Loader=_Loader):
        kind = type(event)
        if kind is yaml.AliasEvent:
            raise RecordError(_ALIASES_REFUSED)
        if kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            depth += 1
            if depth > MAX_DEPTH + 1:  # the root mapping is depth 1 here, 0 in _check_shape
                raise RecordError(f"front matter is nested deeper than {MAX_DEPTH} levels")
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            depth -= 1


def _check_shape(root: dict[str, Any]) -> None:
    seen: set[int] = set()
    stack: list[tuple[Any, int]] = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            raise RecordError(_ALIASES_REFUSED)
        seen.add(id(node))
        if len(seen) > MAX_NODES:
            raise RecordError(f"front matter has more than {MAX_NODES} nested values")
        if depth > MAX_DEPTH:
            raise RecordError(f"front matter is nested deeper than {MAX_DEPTH} levels")
        children = node.values() if isinstance(node, dict) else node
        for child in children:
            if type(child) is str:  # most values: neither a container nor an integer
                continue
            if isinstance(child, (dict, list)):
                stack.append((child, depth + 1))
            elif isinstance(child, int) and child.bit_length() > MAX_INT_BITS:
                bits = child.bit_length()
                raise RecordError(f"front matter holds an integer too large to use ({bits} bits)")
    for key in root:
        if not isinstance(key, str):
            huge = isinstance(key, int) and key.bit_length() > MAX_INT_BITS
            shown = f"of {key.bit_length()} bits" if huge else repr(key)
            raise RecordError(f"front matter key {shown} is not a string")
