"""Terms and triples in N-Triples form: the currency between mappers, gate and writers.

Never accepts a string a strict parser could not read back to the same value.
"""

from __future__ import annotations

import re
from decimal import Decimal

from kg import vocab

Triple = tuple[str, str, str]

# N-Triples/Turtle string escapes: the four the grammar forbids raw, plus every other control
# character as \\uXXXX so files survive tools that choke on raw controls.
_ESCAPES = {cp: f"\\u{cp:04X}" for cp in [*range(0x20), 0x7F]}
_ESCAPES.update({ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"})
_SURROGATE = re.compile("[\ud800-\udfff]")
# The characters _ESCAPES rewrites: ASCII text without any is its own lexical form (most values).
_NEEDS_ESCAPE = re.compile('[\x00-\x1f\x7f"\\\\]')

XSD_STRING = vocab.XSD + "string"
XSD_DECIMAL = vocab.XSD + "decimal"
XSD_INTEGER = vocab.XSD + "integer"
XSD_GYEAR = vocab.XSD + "gYear"


class UnencodableText(ValueError):
    """Text holding lone surrogates: no RDF syntax can carry it, so the field is refused."""


def ref(iri: str) -> str:
    """An IRI term; the IRI must come from kg.iris or kg.vocab (already checked)."""
    return f"<{iri}>"


def text(value: str) -> str:
    """A plain (xsd:string) literal."""
    if value.isascii():  # no surrogates; often nothing to escape either
        if _NEEDS_ESCAPE.search(value) is None:
            return f'"{value}"'
    elif _SURROGATE.search(value):
        raise UnencodableText(f"text contains a lone surrogate: {value!r}")
    return f'"{value.translate(_ESCAPES)}"'


def typed(lexical: str, datatype: str) -> str:
    return f"{text(lexical)}^^<{datatype}>"


def decimal(value: Decimal) -> str:
    return typed(format(value, "f"), XSD_DECIMAL)


_INTEGERS: dict[int, str] = {}  # small counts recur on every mention


def integer(value: int) -> str:
    if type(value) is int and 0 <= value < 1024:
        literal = _INTEGERS.get(value)
        if literal is None:
            literal = _INTEGERS[value] = typed(str(value), XSD_INTEGER)
        return literal
    return typed(str(int(value)), XSD_INTEGER)


def gyear(year: int) -> str:
    return typed(f"{int(year):04d}", XSD_GYEAR)


def line(triple: Triple) -> str:
    return f"{triple[0]} {triple[1]} {triple[2]} .\n"
