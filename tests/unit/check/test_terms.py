"""kg.check.terms: what the compiled checker asks of one term, alone and against `shacl` on the
cases that a first prototype got wrong (numeric comparison across xsd:double) or that engines
differ on (`$` before a trailing newline).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from kg.check import terms
from kg.check.compiled import Checker
from kg.check.engine import RustShaclEngine
from kg.check.gate import comparable

X = terms.XSD


def test_split_literal_unescapes_and_splits() -> None:
    assert terms.split_literal('"a\\"b\\n\\u00E9"@en') == ('a"b\né', "en", None)
    assert terms.split_literal(f'"7"^^<{X}integer>') == ("7", None, f"{X}integer")
    assert terms.split_literal('"plain"') == ("plain", None, None)
    assert terms.text("<http://x/y>") == "http://x/y" and terms.text("_:b") is None


@pytest.mark.parametrize(("lexical", "datatype", "ok"), [
    ("12", "integer", True), ("+12", "integer", True), ("1.0", "integer", False), ("", "integer", False),
    ("300", "byte", False), ("-1", "nonNegativeInteger", False), (".5", "decimal", True), ("5.", "decimal", True),
    ("1e3", "decimal", False), ("1e3", "double", True), ("-INF", "double", True), ("NaN", "float", True),
    ("2020", "gYear", True), ("20", "gYear", False), ("2020-02-30", "date", True), ("2020-13-01", "date", False),
    ("true", "boolean", True), ("yes", "boolean", False),
])
def test_lexical_spaces(lexical: str, datatype: str, ok: bool) -> None:
    assert terms.well_formed(lexical, X + datatype) is ok


def test_numbers_compare_across_numeric_types() -> None:
    assert terms.compare(f'"1.5E0"^^<{X}double>', Decimal(2)) == -1
    assert terms.compare(f'"2"^^<{X}integer>', 2.0) == 0
    assert terms.compare(f'"NaN"^^<{X}double>', Decimal(0)) is None
    assert terms.compare('"2"', Decimal(0)) is None  # a string is not a number
    assert terms.compare(f'"x"^^<{X}integer>', Decimal(0)) is None  # nor an ill-formed integer


def test_dollar_is_the_very_end() -> None:
    regex = terms.python_regex("^PMC[0-9]+$", "")
    assert regex.search("PMC12") and not regex.search("PMC12\n")
    assert terms.python_regex("[$]x$", "").search("$x")
    with pytest.raises(ValueError, match="flag"):
        terms.python_regex("a", "q")


SHAPES = f"""<urn:s> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/shacl#PropertyShape> .
<urn:s> <http://www.w3.org/ns/shacl#targetSubjectsOf> <urn:p> .
<urn:s> <http://www.w3.org/ns/shacl#path> <urn:p> .
<urn:s> <http://www.w3.org/ns/shacl#minInclusive> "2"^^<{X}integer> .
<urn:s> <http://www.w3.org/ns/shacl#maxExclusive> "1E1"^^<{X}double> .
<urn:s> <http://www.w3.org/ns/shacl#pattern> "^[0-9.E+-]+$" .
"""
VALUES = [f'"1.5E0"^^<{X}double>', f'"2"^^<{X}double>', f'"2.0"^^<{X}decimal>', f'"9.99"^^<{X}float>',
          f'"10"^^<{X}integer>', f'"NaN"^^<{X}double>', f'"INF"^^<{X}double>', f'"abc"^^<{X}double>',
          '"5"', f'"3"^^<{X}gYear>', "<urn:five>", '"7\\n"', f'"300"^^<{X}byte>', f'"-0"^^<{X}integer>',
          f'"+5"^^<{X}integer>', f'" 5"^^<{X}integer>', f'"5"^^<{X}int>', f'"1e400"^^<{X}double>',
          f'"-INF"^^<{X}double>', f'"1E1"^^<{X}double>', f'"2"^^<{X}unsignedByte>', '"5"@en', f'"05"^^<{X}decimal>']


@pytest.mark.parametrize("value", VALUES)
def test_ranges_and_patterns_as_shacl_decides(value: str) -> None:
    data = f"<urn:a> <urn:p> {value} .\n"
    ours = Checker(SHAPES).check([("<urn:a>", "<urn:p>", value)])
    assert comparable(ours) == comparable(RustShaclEngine(SHAPES).validate_ntriples(data).results)
