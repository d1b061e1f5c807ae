"""What the compiled checker asks of one RDF term in N-Triples form: its lexical form, whether it is
well-formed for a datatype, how it compares with a number, and XPath regexes as Python ones.

Why a module: these are the SHACL Core value tests the generated code (kg.check.compiled) calls
when a test is more than a string comparison; each is written once, here, and tested here.
Terms are canonical N-Triples as pyoxigraph and kg.rdf write them (see kg.check.engine.ShaclResult).
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

_INTEGER = re.compile(r"[+-]?[0-9]+\Z")
_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)\Z")
_FLOAT = re.compile(r"([+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([Ee][+-]?[0-9]+)?|[+-]?INF|NaN)\Z")
_TZ = r"(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))?"
_YEAR = r"-?([1-9][0-9]{3,}|0[0-9]{3})"
_DATE = re.compile(_YEAR + r"-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])" + _TZ + r"\Z")
_DATETIME = re.compile(_YEAR + r"-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T(([01][0-9]|2[0-3]):[0-5][0-9]:"
                       r"[0-5][0-9](\.[0-9]+)?|24:00:00(\.0+)?)" + _TZ + r"\Z")
_GYEAR = re.compile(_YEAR + _TZ + r"\Z")
_BOOLEAN = re.compile(r"(true|false|1|0)\Z")

# Bounded integer types: (lowest, highest) value.
_INTEGER_RANGES: dict[str, tuple[int | None, int | None]] = {
    "integer": (None, None), "int": (-(2**31), 2**31 - 1), "long": (-(2**63), 2**63 - 1),
    "short": (-(2**15), 2**15 - 1), "byte": (-128, 127), "nonNegativeInteger": (0, None),
    "positiveInteger": (1, None), "nonPositiveInteger": (None, 0), "negativeInteger": (None, -1),
    "unsignedInt": (0, 2**32 - 1), "unsignedLong": (0, 2**64 - 1), "unsignedShort": (0, 2**16 - 1),
    "unsignedByte": (0, 255),
}
_FLOATS = {"double", "float"}
_NUMERIC = {XSD + name for name in (*_INTEGER_RANGES, "decimal", *_FLOATS)}
_PATTERNS = {"decimal": _DECIMAL, "date": _DATE, "dateTime": _DATETIME, "gYear": _GYEAR, "boolean": _BOOLEAN}
# The datatypes whose lexical space the checker knows; sh:datatype with any other is unsupported.
KNOWN_DATATYPES = frozenset({XSD + "string", RDF_LANGSTRING, *_NUMERIC, *(XSD + n for n in _PATTERNS)})

_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")
_SIMPLE = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    return chr(int(code[1:], 16)) if len(code) > 1 else _SIMPLE.get(code, code)


def split_literal(term: str) -> tuple[str, str | None, str | None]:
    """(lexical form, language tag or None, datatype IRI or None for a plain or language literal)."""
    end = term.rindex('"')
    lexical = term[1:end]
    if "\\" in lexical:
        lexical = _ESCAPE.sub(_unescape, lexical)
    rest = term[end + 1:]
    if rest.startswith("@"):
        return lexical, rest[1:], None
    if rest.startswith("^^<"):
        return lexical, None, rest[3:-1]
    return lexical, None, None


def text(term: str) -> str | None:
    """The string sh:pattern and sh:minLength look at: an IRI's, a literal's lexical form; None for a blank node."""
    first = term[0]
    if first == "<":
        return term[1:-1]
    if first == '"':
        return term[1:-1] if term[-1] == '"' and "\\" not in term else split_literal(term)[0]
    return None


def language(term: str) -> str | None:
    return split_literal(term)[1] if term[0] == '"' and term[-1] != '"' and term[-1] != ">" else None


def well_formed(lexical: str, datatype: str) -> bool:
    """Is `lexical` in the lexical space of `datatype` (one of KNOWN_DATATYPES)?"""
    name = datatype.removeprefix(XSD)
    if name in _INTEGER_RANGES:
        if not _INTEGER.match(lexical):
            return False
        low, high = _INTEGER_RANGES[name]
        value = int(lexical)
        return (low is None or value >= low) and (high is None or value <= high)
    if name in _FLOATS:
        return _FLOAT.match(lexical) is not None
    pattern = _PATTERNS.get(name)
    return pattern is None or pattern.match(lexical) is not None


def has_datatype(term: str, datatype: str) -> bool:
    """sh:datatype: a literal of exactly this datatype, well-formed."""
    if term[0] != '"':
        return False
    lexical, lang, dt = split_literal(term)
    if datatype == RDF_LANGSTRING:
        return lang is not None
    if dt is None:
        return lang is None and datatype == XSD + "string"
    return dt == datatype and well_formed(lexical, datatype)


def number(term: str) -> Decimal | float | None:
    """A numeric literal's value (float for xsd:double/float), None if the term is none (or its
    lexical form is not in its primitive type's lexical space; range facets are not applied)."""
    if term[0] != '"':
        return None
    lexical, _lang, dt = split_literal(term)
    if dt not in _NUMERIC:
        return None
    name = dt.removeprefix(XSD)
    # the primitive type's lexical space: as `shacl` does, an xsd:byte of 300 compares as 300
    if not (_INTEGER if name in _INTEGER_RANGES else _DECIMAL if name == "decimal" else _FLOAT).match(lexical):
        return None
    if name in _FLOATS:
        return float(lexical.replace("INF", "inf"))
    try:
        return Decimal(lexical)
    except InvalidOperation:
        return None


def compare(term: str, bound: Decimal | float) -> int | None:
    """-1, 0 or 1 as the term's number is below, equal to or above `bound`; None if not comparable
    (not a numeric literal, or NaN)."""
    value = number(term)
    if value is None:
        return None
    if isinstance(value, float) or isinstance(bound, float):
        value, bound = float(value), float(bound)
        if math.isnan(value) or math.isnan(bound):
            return None
    return (value > bound) - (value < bound)


def python_regex(pattern: str, flags: str) -> re.Pattern[str]:
    """An XPath regex (sh:pattern) as a Python one: `$` only at the very end (Python's also
    matches before a final newline). Flags: "i", "s", "m", "x" as XPath; others raise ValueError."""
    out, in_class, i = [], False, 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "$" and not in_class:
            char = r"(?!(?s:.))" if "m" not in flags else "$"
        out.append(char)
        i += 1
    value = 0
    for flag in flags:
        try:
            value |= {"i": re.IGNORECASE, "s": re.DOTALL, "m": re.MULTILINE, "x": re.VERBOSE}[flag]
        except KeyError:
            raise ValueError(f"unsupported regex flag {flag!r}") from None
    return re.compile("".join(out), value)


def lang_matches(tag: str, ranges: tuple[str, ...]) -> bool:
    """sh:languageIn: basic filtering (RFC 4647), case-insensitive."""
    tag = tag.lower()
    return any(r == "*" or tag == r or tag.startswith(r + "-") for r in ranges)
