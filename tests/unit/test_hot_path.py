"""The hot-path shortcuts (docs/decisions/0009-hot-path.md) give exactly what the plain code gave:
each is compared with the straightforward version it replaced, on random and hostile inputs."""

from __future__ import annotations

import dataclasses
import pickle
import random
import re

import pytest
from helpers import SAMPLE

from kg import iris, rdf
from kg.check.engine import SH_WARNING, ShaclResult, _shacl_result
from kg.map import chemical, disease, gene, mention, organism
from kg.map.terms import BLOCK_CACHE_LIMIT, remember
from kg.read import frontmatter
from kg.read.errors import RecordError
from kg.records import ChemicalMention, DiseaseMention, GeneMention, Organism

WHITESPACE = [chr(c) for c in range(0x110000) if chr(c).isspace()]


def _split_reference(text: str) -> str:
    """split_front_matter as it was: a loop over lines, rstrip() on each."""
    first, newline, _ = text.partition("\n")
    if first.rstrip() != "---":
        raise RecordError("no front matter: the file must start with a '---' line")
    start = pos = len(first) + len(newline)
    while True:
        nl = text.find("\n", pos)
        line = text[pos:] if nl == -1 else text[pos:nl]
        if line.rstrip() in ("---", "..."):
            return text[start:pos]
        if nl == -1:
            raise RecordError("front matter is not closed: no second '---' line")
        pos = nl + 1


def _outcome(function, *args):
    try:
        return function(*args)
    except (RecordError, rdf.UnencodableText, iris.BadIdentifier) as exc:
        return type(exc), str(exc)


def _random_texts(alphabet: list[str], count: int, seed: int, longest: int = 14) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, longest))) for _ in range(count)]


def test_closing_line_whitespace_is_str_isspace() -> None:
    blank = re.compile(r"[^\S\n]")
    for code in range(0x110000):
        char = chr(code)
        assert (blank.match(char) is not None) == (char.isspace() and char != "\n"), hex(code)


@pytest.mark.slow
def test_split_front_matter_equals_the_line_loop() -> None:
    alphabet = ["-", "---", "...", ".", "\n", " ", "\t", "a", "x: 1", "--- ", "\n---\n", "\n...\n", *WHITESPACE]
    texts = _random_texts(alphabet, 60_000, 1)
    texts += ["---" + t for t in _random_texts(alphabet, 60_000, 2)]
    texts += [p.read_text("utf-8") for p in SAMPLE.rglob("*.md")]
    for text in texts:
        assert _outcome(frontmatter.split_front_matter, text) == _outcome(_split_reference, text), repr(text)


def test_deep_prefix_equals_the_multiline_regex() -> None:
    reference = re.compile(r"^[ \t?-]{64,}", re.MULTILINE)
    alphabet = ["\n", " " * 30, "-" * 20, "?", "\t" * 10, "a", "- ", "? "]
    for text in _random_texts(alphabet, 30_000, 3, 12):
        assert frontmatter._deep_prefix(text) == (reference.search(text) is not None), repr(text)


YAML_ALPHABET = [
    "\n", " ", "\t", ":", "-", "?", ",", "[", "]", "{", "}", "y", "yes", "No", "on", "OFF", "true", "0", "07",
    "0x1F", "1:30", "2001-01-01", "1_0", "1e3", ".inf", "-.nan", "=", "~", "null", "a", "key", "#", "'", '"',
    "1", ".", "+",
]


@pytest.mark.slow
def test_yaml11_checks_equal_the_plain_patterns() -> None:
    lookahead = r"(?=[yYnNoOtTfF0-9+\-.=~])"
    assert frontmatter._YAML11_TOKEN.startswith(lookahead)
    token = frontmatter._YAML11_TOKEN[len(lookahead):]
    values = re.compile(r"(?<=[:\-][ \t])[ \t]*" + token + r"[ \t]*$", re.MULTILINE)  # as first written
    keys = re.compile(r"\n[ \t]*(?:[-?][ \t]+)*" + token + r"[ \t]*:(?:[ \t\n]|$)")
    for text in _random_texts(YAML_ALPHABET, 100_000, 4):
        assert (frontmatter._YAML11_ONLY.search(text) is None) == (values.search(text) is None), repr(text)
        assert (frontmatter._YAML11_KEY.search(text) is None) == (keys.search(text) is None), repr(text)
        flow = frontmatter._FLOW_COLLECTION.search(text) is not None
        assert (frontmatter._open_flow(text) and flow) == flow, repr(text)


def _text_reference(value: str) -> str:
    if re.search("[\ud800-\udfff]", value):
        raise rdf.UnencodableText(f"text contains a lone surrogate: {value!r}")
    return f'"{value.translate(rdf._ESCAPES)}"'


@pytest.mark.slow
def test_text_literal_equals_translate_everywhere() -> None:
    alphabet = ["a", "Z", " ", "é", "\u2028", "\U0001f600", "\ud800", "\udfff", '"', "\\", "\x7f", "\x80",
                *map(chr, range(0x20))]
    for value in _random_texts(alphabet, 50_000, 5, 6) + [chr(c) for c in range(0x110000)]:
        assert _outcome(rdf.text, value) == _outcome(_text_reference, value), repr(value)


MINTERS = {"ncbigene": iris.gene, "taxon": iris.taxon, "mesh": iris.mesh, "symbol": iris.hgnc_symbol}


@pytest.mark.parametrize("kind", sorted(MINTERS))
def test_remembered_identifiers_still_refuse_what_is_bad(kind: str) -> None:
    mint = MINTERS[kind]
    good = {"ncbigene": "7124", "taxon": "9606", "mesh": "D001920", "symbol": "HLA-DRB1"}[kind]
    assert mint(good) == mint(good) and iris.check(kind, good) == good
    for bad in (good + " ", good + "\n", "", "a b", None, ["7124"]):
        for _ in range(2):  # a failure is never remembered
            with pytest.raises(iris.BadIdentifier):
                mint(bad)  # type: ignore[arg-type]
            with pytest.raises(iris.BadIdentifier):
                iris.check(kind, bad)


def test_remembered_iris_equal_fresh_ones() -> None:
    for n in range(1, iris._CACHE_LIMIT + 11):  # past the limit: the cache is emptied, not grown
        value = str(n)
        assert iris.gene(value) == "https://identifiers.org/ncbigene/" + value
    assert len(iris._VALID["ncbigene"]) <= iris._CACHE_LIMIT


def test_block_caches_hand_out_fresh_lists() -> None:
    human = GeneMention(word="TNF", matched=None, source="hgnc_symbol", symbol="TNF", gene_id="7124", taxon_id="9606")
    first = gene.gene_triples(human)
    first.append(("<x>", "<y>", "<z>"))  # a caller's list is its own
    again = gene.gene_triples(human)
    assert again == first[:-1] and again is not first
    assert gene.gene_triples(human, hgnc_link=False) == [t for t in again if "bdbHgncSymbol" not in t[1]]
    assert gene.gene_triples(human, taxon_link=False) == [t for t in again if "taxonomicRange" not in t[1]]
    chem = ChemicalMention(word="ATP", mesh_id="D000255", matched="Adenosine Triphosphate", chebi_id="15422")
    assert chemical.chemical_triples(chem) == chemical.chemical_triples(chem)
    other = dataclasses.replace(chem, matched="ATP")
    assert chemical.chemical_triples(other) != chemical.chemical_triples(chem)
    dis = DiseaseMention(word="asthma", mesh_id="D001249", matched="Asthma", doid="2841")
    assert disease.disease_triples(dis) == disease.disease_triples(dis)
    assert organism.organism_triples(Organism("Homo sapiens", "9606", "Human"))[-1][2] == '"Human"'
    assert organism.organism_triples(Organism("Homo sapiens", "9606"))[-1][1].endswith("identifier>")
    assert mention.source_triples("hgnc_symbol") == mention.source_triples("hgnc_symbol")
    with pytest.raises(rdf.UnencodableText):  # failures are not remembered either
        gene.gene_triples(dataclasses.replace(human, symbol="TNF\ud800"), hgnc_link=False)


def test_remember_is_bounded() -> None:
    cache: dict[object, tuple[rdf.Triple, ...]] = {}
    for n in range(BLOCK_CACHE_LIMIT + 5):
        assert remember(cache, n, [("<a>", "<b>", f'"{n}"')]) == [("<a>", "<b>", f'"{n}"')]
    assert len(cache) <= BLOCK_CACHE_LIMIT


def test_shacl_result_shortcut_equals_the_constructor() -> None:
    names = [f.name for f in dataclasses.fields(ShaclResult)]
    assert names == ["focus_node", "path", "component", "severity", "source_shape", "value", "message"]
    args = ("<a>", "<p>", "<c>", SH_WARNING, None, '"v"', "m")
    made, fast = ShaclResult(*args), _shacl_result(*args)
    assert made == fast and hash(made) == hash(fast) and repr(made) == repr(fast)
    assert list(vars(made).items()) == list(vars(fast).items())
    assert pickle.dumps(made) == pickle.dumps(fast)
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.value = "x"  # type: ignore[misc]
