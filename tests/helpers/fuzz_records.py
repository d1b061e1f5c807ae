"""Mutated PFOCR records for fuzzing `kg build`: hypothesis strategies, a seeded corpus generator,
and the checker of a build's outputs. Used by tests/integration/test_fuzz.py,
tests/integration/test_sparql_rules.py and bench/fuzz.py.

Every record starts as a REAL record of tests/fixtures/pfocr-sample (inline and sidecar format;
sidecar TSVs cut to a few rows so a record stays small) and is then mutated:

- front matter as data: a value replaced by another type (str/int/float/bool/None/list/dict,
  bytes, sets, dates, deeply nested lists and maps, huge and tricky numbers), by hostile text
  (NUL, C0/C1 controls, U+2028/2029, bidi controls, BOM, noncharacters, lone surrogates, emoji,
  combining marks, RDF and YAML punctuation), by near-miss identifiers; keys deleted, added
  (non-text keys too), lists emptied, duplicated, lengthened; then dumped back as YAML in a
  random style (block/flow, width, unicode escaped or not);
- front matter as text: truncated at a random byte, BOM, CRLF / CR line ends, duplicated keys,
  anchors and aliases, merge keys, tags, directives, YAML 1.1 scalars (yes, 0x1F, 1:30, dates),
  raw hostile characters, invalid UTF-8, huge lines, deep flow nesting, tabs, broken `---` lines;
- sidecar TSVs: cells, rows and headers corrupted, columns dropped, added or reordered, ragged
  rows, duplicate and blank rows, huge cells, CRLF, BOM, truncation, invalid UTF-8, empty or
  missing files, and sidecars added next to inline records;
- organism pages (`_organisms/*.md`) mutated the same way as front matter.

One mutation engine serves two sources of choices: `RandomSource` (a seeded `random.Random`: the
large corpora, fast and reproducible from the seed) and `DrawSource` (hypothesis `draw`: examples
shrink to the mutation that matters). Each record keeps the list of mutations applied to it.
"""

from __future__ import annotations

import copy
import datetime
import json
import multiprocessing
import os
import random
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph
import yaml
from hypothesis import strategies as st

from helpers import FIGURE_BASE, SAMPLE
from helpers.expected import annotation_of

KINDS = ("genes", "chemicals", "diseases")
MAX_TSV_ROWS = 3  # data rows kept from each real sidecar: small records, a fast 10k-record run

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SCHEMA = "http://schema.org/"

# --- alphabets -----------------------------------------------------------------------------------

PLAIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.,;()/+"
HOSTILE_CHARS: tuple[str, ...] = (
    # C0, DEL, C1 and the YAML/Unicode line breaks
    "\x00", "\x01", "\x07", "\x08", "\t", "\n", "\x0b", "\x0c", "\r", "\x1b", "\x1f", "\x7f",
    "\x80", "\x85", "\x9f", "\xa0", "\xad", "\u2028", "\u2029",
    # zero-width and bidi controls, BOM, noncharacters, replacement character
    "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d",
    "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u061c", "\ufeff", "\ufffd", "\ufffe",
    "\uffff", "\ufdd0",
    # lone surrogates (no UTF-8 form: only reachable through YAML escapes or broken encoders)
    "\ud800", "\udbff", "\udc00", "\udfff",
    # astral, combining, look-alikes, other digits, typography seen in PFOCR
    "\U0001f600", "\U0001f9ec", "\U0010ffff", "\U000e0001", "\u0301", "\u0663", "\uff17",
    "α", "κ", "Τ", "к", "ɑ", "−", "–", "—", "½", "„", "“", "”", "‘", "’", "°", "ü", "Δ",
    # RDF, IRI and YAML punctuation
    "<", ">", '"', "'", "{", "}", "|", "^", "`", "\\", "#", "%", "&", "*", "!", "@", ":", "-",
    "?", ",", "[", "]", "~", "=", "/", ".", " ",
    # multi-character troublemakers
    "..", "---", "...", ": ", " #", "- ", "\\u0000", "\\n", '"""', "'''", "_:b", "<http://x>",
    "^^", "@en", ".na.character", "NA", "%0A", "%00", "&a", "*a", "!!str",
)

# Near-miss identifiers: the values kg.iris must accept or refuse cleanly.
TRICKY_IDS: tuple[Any, ...] = (
    "", " ", "NA", ".na.character", "na", "None", "null", "~", "0", "-1", "+1", "00", "007124",
    "7124 ", " 7124", "7124\n", "７１２４", "٧١٢٤", "7124.0", "1e3", "0x1F", "D001920",
    "mesh:D001920", "MESH:D001920", "D00 1920", "D", "chebi:15422", "CHEBI:15422", "chebi:",
    "doid:0060239", "doid:", "10.1371/journal.pbio.3002543", "10.1/x", "10.1000/a#b?c<d>",
    "10.1000/../x", "10.1000/.", "doi:10.1000/x", "https://doi.org/10.1000/x", "10.1000/x y",
    "PMC", "PMC1", "PMC1342634", "pmc1342634", "PMC 1342634", "PMC1342634\x00", "PMC١٢",
    "WP1", "WP", "wp1", "WP١", "e0501886-deaf-11ea-99da-0ac135e8bacf",
    "E0501886-DEAF-11EA-99DA-0AC135E8BACF", "e0501886deaf11ea99da0ac135e8bacf", "a b.jpg",
    "../x.jpg", "..", ".", "x/y.jpg", "x>y.jpg", "x\\y.jpg", "2005", "2005-13-45", "20a9", "99999",
    "0000", "１９９９", "1e999999999", "-1e-999999999", "1" * 400, "-0", "nan", "NaN", "inf",
    "-inf", "0.9537671", " 0.5 ", "0,5", "1_000", "hgnc_symbol", "HGNC_SYMBOL", "MESH", "x y",
    "a-b", "1abc", "_x", "ncbigene_symbol ", "TNF", "TNF-α", "a/b@c", "fs(1)h",
    # figlinks (PMC's figure page path) and journal / publisher names (made into slugs)
    "/pmc/articles/PMC1342634/figure/F1/", "/pmc/articles/PMC1/figure/F1", "/pmc/articles/PMC1342634/figure/F 1/",
    "/pmc/articles/PMC1342634/figure/../../x/", "/pmc/articles/PMC1342634/figure/", "F1", "/pmc/articles//figure/F1/",
    "PLoS One", "PLOS ONE", "Acta Pharm Sin B", "中华医学杂志", "🧬", "---", "x-0123456789ab", "Rev Esp Cardiol\u00e9",
    2005, 7124, -1, 0, 2005.0, 0.5, True, False, None, 10**30, float("nan"), float("inf"),
    [], {}, ["7124"], {"id": "7124"},
)
# YAML scalars that YAML 1.1 (PyYAML) and 1.2 read differently, or that no YAML builds.
YAML_TOKENS: tuple[str, ...] = (
    "yes", "no", "on", "off", "Yes", "NO", "y", "n", "true", "False", "~", "null", "Null", "0x1F",
    "-0x1F", "0o17", "017", "0b101", "1_000", "1:30", "1:30:45", "190:20:30", "1e3", "1.0e3",
    "1E+3", "+.5", ".5", "1.", "-.inf", ".NaN", "2001-01-01", "2001-13-45", "2001-01-01 10:00:00",
    "=", "<<", "!!int abc", "!!float x", "!!timestamp x", "!!binary AP8=", "!!set {a, b}",
    "!!omap [a: 1]", "!!pairs [a: 1]", "!!python/object:os.system x", "!custom x", "!!str 7",
    "!!null ''", "!!bool maybe", '!!bool ""', '!!int ""', '!!float ""',  # KeyError, IndexError in PyYAML "'single'", '"\\x00\\u2028\\L\\P\\N\\_"', '"\\ud800"',
    '"\\U0001F600"', '"\\/"', "|\n  block\n", ">-\n  folded\n", "[a, [b, {c: d}]]", "{a: 1, a: 2}",
    "? complex", "[yes, no, on]", "{on: off}", "[1:30, 0x1F, 2001-01-01, 1_0, 1.0e3]",
    "'  '", "''", '""', "- not a key", "a: b: c", "@reserved", "`reserved", "%percent",
)
VALUE_KINDS = (
    "none", "text", "int", "float", "bool", "list", "dict", "nested", "bigint", "date", "bytes",
    "set", "tricky",
)
IDENTIFIER_KEYS = frozenset({
    "figid", "pmcid", "year", "doi", "ndex", "wpid", "filename", "entrez", "identifier",
    "pathway_score", "automl_pathway", "@id", "hgnc_symbol", "symbol", "source", "word",
    "organisms", "organisms_ner", "keywords", "number", "figtype",
    "figlink", "figid_alias", "journal_title", "journal_nlm_ta", "publisher_name", "caption", "figtitle",
})


# --- sources of choices --------------------------------------------------------------------------


class Source(Protocol):
    def integer(self, lo: int, hi: int) -> int: ...
    def chance(self, percent: int) -> bool: ...
    def pick(self, items: Sequence[Any]) -> Any: ...
    def text(self, max_size: int = 40) -> str: ...


class RandomSource:
    """Choices from a seeded random.Random: fast, reproducible from the seed."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def integer(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, hi)

    def chance(self, percent: int) -> bool:
        return self.rng.random() * 100 < percent

    def pick(self, items: Sequence[Any]) -> Any:
        return items[self.rng.randrange(len(items))]

    def text(self, max_size: int = 40) -> str:
        rng = self.rng
        n = rng.randint(0, min(max_size, rng.choice((0, 1, 3, 8, 20, 60, max_size))))
        out = []
        for _ in range(n):
            r = rng.random()
            if r < 0.45:
                out.append(PLAIN[rng.randrange(len(PLAIN))])
            elif r < 0.8:
                out.append(HOSTILE_CHARS[rng.randrange(len(HOSTILE_CHARS))])
            else:  # anything: surrogates, private use, unassigned, noncharacters
                out.append(chr(rng.randrange(0x110000)))
        return "".join(out)


# Pieces of text (HOSTILE_CHARS holds multi-character ones too, so not an alphabet for st.text).
_PIECES = st.one_of(
    st.sampled_from(HOSTILE_CHARS),
    st.characters(),  # every code point hypothesis allows (not surrogates: HOSTILE_CHARS has them)
    st.sampled_from(PLAIN),
)


class DrawSource:
    """Choices drawn by hypothesis: examples shrink towards fewer, simpler mutations."""

    def __init__(self, draw: Callable[[st.SearchStrategy[Any]], Any]) -> None:
        self.draw = draw

    def integer(self, lo: int, hi: int) -> int:
        return self.draw(st.integers(lo, hi))

    def chance(self, percent: int) -> bool:
        # shrinks towards 0, i.e. towards "no"
        return self.draw(st.integers(0, 99)) >= 100 - percent

    def pick(self, items: Sequence[Any]) -> Any:
        return items[self.draw(st.integers(0, len(items) - 1))]

    def text(self, max_size: int = 40) -> str:
        pieces = self.draw(st.lists(_PIECES, max_size=max_size))
        return "".join(pieces)[:max_size] if pieces else ""


# --- random values -------------------------------------------------------------------------------


def random_key(src: Source) -> Any:
    kind = src.integer(0, 9)
    if kind <= 5:
        return src.text(12) or "k"
    return src.pick((0, 1, -1, None, True, False, 1.5, "figid", "genes", "@id", "<<", "? x"))


def random_value(src: Source, depth: int = 0) -> Any:
    kind = src.pick(VALUE_KINDS if depth < 4 else VALUE_KINDS[:5])
    if kind == "none":
        return None
    if kind == "text":
        return src.text(src.pick((10, 40, 300)))
    if kind == "int":
        return src.pick((0, 1, -1, 7124, 2005, 2**31, 2**63, -(2**63), 10**20, src.integer(-10**9, 10**9)))
    if kind == "float":
        return src.pick((0.0, -0.0, 0.5, 1e-7, 1e308, 5e-324, float("inf"), float("-inf"), float("nan"), 123456789.123))
    if kind == "bool":
        return src.chance(50)
    if kind == "list":
        return [random_value(src, depth + 1) for _ in range(src.integer(0, 4))]
    if kind == "dict":
        return {random_key(src): random_value(src, depth + 1) for _ in range(src.integer(0, 4))}
    if kind == "nested":
        value: Any = random_value(src, 4)
        for _ in range(src.pick((2, 5, 10, 20, 40, 63, 64, 65, 100))):
            value = [value] if src.chance(50) else {"k": value}
        return value
    if kind == "bigint":
        # up to the 4300-digit limit of int → str (PyYAML dumps with str()); 2**14001 is over
        # the readers' 14000-bit limit
        return src.pick((10**100, 2**14001, -(10**4000), 2**4000))
    if kind == "date":
        return src.pick((datetime.date(2005, 1, 1), datetime.datetime(2005, 1, 1, 10, 0, 0)))
    if kind == "bytes":
        return src.pick((b"", b"\x00\xff", b"TNF"))
    if kind == "set":
        return src.pick(({1, 2}, {"a"}, set()))
    return src.pick(TRICKY_IDS)


def hostile_text(src: Source, base: Any = None) -> str:
    """Random text, or `base` with random text spliced in (so most of a real value survives)."""
    if not isinstance(base, str) or src.chance(40):
        return src.text(src.pick((10, 40, 300)))
    at = src.integer(0, len(base))
    return base[:at] + src.text(12) + base[at:]


# --- the real records the mutations start from ---------------------------------------------------


@dataclass(frozen=True)
class Base:
    figid: str
    format: str  # inline | sidecar
    text: str  # the .md file as stored in the sample
    data: dict[str, Any]  # its front matter
    sidecars: dict[str, str]  # kind → TSV text, cut to MAX_TSV_ROWS rows


def _cut_tsv(text: str) -> str:
    lines = text.split("\n")
    return "\n".join(lines[: MAX_TSV_ROWS + 1]) + "\n"


# Bases are kept small so that 10,000 of them build in seconds: lists cut to a few entries, long
# captions cut. A record already that small keeps its file's own text (real quoting and folding).
LIMITS = {"genes": 3, "chemicals": 3, "diseases": 2}
MAX_KEYWORDS = 12
MAX_CAPTION = 200


def _small(data: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    data = copy.deepcopy(data)
    cut = False
    for key, limit in LIMITS.items():
        if isinstance(data.get(key), list) and len(data[key]) > limit:
            data[key], cut = data[key][:limit], True
    block = data.get("schema-jsonld") or {}
    if isinstance(block.get("keywords"), list) and len(block["keywords"]) > MAX_KEYWORDS:
        block["keywords"], cut = block["keywords"][:MAX_KEYWORDS], True
    for holder, key in ((data, "caption"), (block, "description")):
        if isinstance(holder.get(key), str) and len(holder[key]) > MAX_CAPTION:
            holder[key], cut = holder[key][:MAX_CAPTION].rsplit(" ", 1)[0], True
    return data, cut


@lru_cache(maxsize=1)
def bases() -> tuple[Base, ...]:
    out = []
    for md in sorted((SAMPLE / "_figures").glob("*.md")):
        text = md.read_text("utf-8")
        data, cut = _small(yaml.load(text.split("---\n")[1], Loader=yaml.CSafeLoader))
        if cut:
            text = "---\n" + yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False) + "---\n"
        inline = any(k in data for k in KINDS)
        sidecars = {}
        for kind in KINDS:
            path = SAMPLE / "_data" / f"{md.stem}-{kind}.tsv"
            if path.is_file():
                sidecars[kind] = _cut_tsv(path.read_text("utf-8"))
        out.append(Base(md.stem, "inline" if inline else "sidecar", text, data, sidecars))
    assert {b.format for b in out} == {"inline", "sidecar"}
    return tuple(out)


@lru_cache(maxsize=1)
def organism_pages() -> tuple[tuple[str, str], ...]:
    return tuple((p.name, p.read_text("utf-8")) for p in sorted((SAMPLE / "_organisms").glob("*.md")))


# --- a generated record --------------------------------------------------------------------------


@dataclass
class Record:
    """One generated figure record: its file name (stem), the .md bytes and the sidecars."""

    stem: str
    base: str
    md: bytes
    sidecars: dict[str, bytes] = field(default_factory=dict)  # kind → bytes; absent: no file
    mutations: list[str] = field(default_factory=list)

    def write(self, root: Path) -> Path:
        figures, data = root / "_figures", root / "_data"
        figures.mkdir(parents=True, exist_ok=True)
        path = figures / f"{self.stem}.md"
        path.write_bytes(self.md)
        if self.sidecars:
            data.mkdir(exist_ok=True)
            for kind, content in self.sidecars.items():
                (data / f"{self.stem}-{kind}.tsv").write_bytes(content)
        return path

    def describe(self) -> str:
        return f"{self.stem} (from {self.base}): " + ("; ".join(self.mutations) or "unmutated")


def _short(value: Any, limit: int = 60) -> str:
    text = ascii(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- front matter as data ------------------------------------------------------------------------


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        yield (*prefix, key)
        yield from _paths(value, (*prefix, key))


def _parent(data: Any, path: tuple[Any, ...]) -> Any:
    for key in path[:-1]:
        data = data[key]
    return data


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    return _parent(data, path)[path[-1]]


def mutate_data(src: Source, data: dict[str, Any], log: list[str]) -> None:
    """One structural mutation of parsed front matter, in place."""
    paths = list(_paths(data))
    op = src.pick(("value", "text", "identifier", "delete", "add", "nest", "list", "figid"))
    if op == "figid":
        value = src.pick((None, "", hostile_text(src, data.get("figid") or ""), 7124, ["x"], "PMC1__other"))
        data["figid"] = value
        log.append(f"figid={_short(value)}")
        return
    if not paths or op == "add":
        containers = [p for p in paths if isinstance(_get(data, p), dict)]
        target = _get(data, src.pick(containers)) if containers and src.chance(30) else data
        key = random_key(src)
        try:
            target[key] = random_value(src)
        except TypeError:  # unhashable never happens with random_key, but be safe
            return
        log.append(f"add key {_short(key)}")
        return
    if op == "identifier":
        ids = [p for p in paths if p[-1] in IDENTIFIER_KEYS] or paths
        path = src.pick(ids)
        value = src.pick(TRICKY_IDS) if src.chance(70) else hostile_text(src, str(_get(data, path)))
        _parent(data, path)[path[-1]] = copy.deepcopy(value)
        log.append(f"{_show(path)}={_short(value)}")
        return
    path = src.pick(paths)
    parent, key = _parent(data, path), path[-1]
    if op == "value":
        parent[key] = random_value(src)
        log.append(f"{_show(path)}=<{type(parent[key]).__name__}>")
    elif op == "text":
        old = parent[key]
        parent[key] = hostile_text(src, old if isinstance(old, str) else None)
        log.append(f"{_show(path)}={_short(parent[key])}")
    elif op == "delete":
        del parent[key]
        log.append(f"del {_show(path)}")
    elif op == "nest":
        value: Any = parent[key]
        depth = src.pick((1, 5, 63, 64, 65, 90))
        for _ in range(depth):
            value = [value]
        parent[key] = value
        log.append(f"{_show(path)} nested {depth}")
    else:  # list: empty, duplicate entries, lengthen
        lists = [p for p in paths if isinstance(_get(data, p), list)]
        if not lists:
            return
        path = src.pick(lists)
        items = _get(data, path)
        how = src.pick(("empty", "duplicate", "lengthen", "scalar"))
        if how == "empty":
            items.clear()
        elif how == "duplicate" and items:
            items.append(copy.deepcopy(src.pick(items)))
        elif how == "lengthen" and items:
            items.extend(copy.deepcopy(items[-1]) for _ in range(src.pick((3, 10))))
        elif how == "scalar":
            _parent(data, path)[path[-1]] = src.pick(("x", "", 1, None))
        log.append(f"{_show(path)} list {how}")


def _show(path: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in path)


def dump_yaml(src: Source, data: dict[str, Any]) -> str:
    options = {
        "allow_unicode": src.chance(60),
        "default_flow_style": src.pick((False, None, True)),
        "width": src.pick((80, 20, 10**6)),
        "sort_keys": False,
    }
    try:
        return yaml.dump(data, Dumper=yaml.CSafeDumper, **options)
    except (UnicodeEncodeError, yaml.YAMLError):  # lone surrogates: the pure-Python emitter escapes them
        return yaml.dump(data, Dumper=yaml.SafeDumper, **options)


# --- front matter as text ------------------------------------------------------------------------

_TOP_KEY = re.compile(r"^([^\s:#-][^:\n]*):( .*)?$", re.MULTILINE)


def _top_keys(text: str) -> list[re.Match[str]]:
    end = text.find("\n---", 3)
    return [m for m in _TOP_KEY.finditer(text) if end == -1 or m.start() < end]


def mutate_text(src: Source, text: str, log: list[str]) -> str:
    """One mutation of the .md file as text (the bytes-level ones are in `mutate_bytes`)."""
    op = src.pick((
        "chars", "token", "dup_line", "alias", "merge", "directive", "tabs", "delims", "huge",
        "nesting", "body", "bom_inside", "complex_key",
    ))
    keys = _top_keys(text)
    if op == "chars":
        at = src.integer(0, len(text))
        extra = src.text(8) or "\x00"
        log.append(f"insert {_short(extra)} at {at}")
        return text[:at] + extra + text[at:]
    if op in ("token", "alias", "merge", "complex_key") and keys:
        m = src.pick(keys)
        if op == "token":
            token = src.pick(YAML_TOKENS)
            log.append(f"{m.group(1)}: {_short(token)}")
            return text[: m.start()] + f"{m.group(1)}: {token}" + text[m.end():]
        if op == "alias":
            log.append(f"alias {m.group(1)}")
            return (text[: m.start()] + f"anchor_x: &a {src.pick(('x', '[1, 2]', '{a: b}'))}\n"
                    + f"{m.group(1)}: *a" + text[m.end():])
        if op == "merge":
            log.append(f"merge key before {m.group(1)}")
            return text[: m.start()] + "<<: {figid: PMC1__x, pmcid: PMC1}\n" + text[m.start():]
        log.append(f"complex key before {m.group(1)}")
        return text[: m.start()] + src.pick(("? [a, b]\n: c\n", "? {a: b}\n: c\n", "[a]: b\n")) + text[m.start():]
    if op == "dup_line" and keys:
        m = src.pick(keys)
        log.append(f"duplicate line {m.group(1)}")
        line = text[m.start(): m.end()] + "\n"
        if src.chance(50):  # same key, another value
            line = f"{m.group(1)}: {src.pick(YAML_TOKENS + ('other',))}\n"
        return text[: m.start()] + line + text[m.start():]
    if op == "directive":
        d = src.pick(("%YAML 1.1\n", "%YAML 1.2\n", "%TAG ! tag:example.org,2000:\n", "%FOO bar\n", "--- !!map\n"))
        log.append(f"directive {_short(d)}")
        return text.replace("---\n", "---\n" + d, 1)
    if op == "tabs":
        lines = text.split("\n")
        indented = [i for i, l in enumerate(lines) if l.startswith("  ")]
        if indented:
            i = src.pick(indented)
            lines[i] = "\t" + lines[i].lstrip(" ")
            log.append(f"tab indent line {i + 1}")
        return "\n".join(lines)
    if op == "delims":
        how = src.pick(("no_open", "no_close", "dots", "spaces", "second", "no_newline"))
        log.append(f"delimiters {how}")
        close = text.find("\n---", 3)
        if how == "no_open":
            return text[4:]
        if how == "no_close" and close != -1:
            return text[: close + 1] + text[close + 5:]
        if how == "dots" and close != -1:
            return text[: close + 1] + "..." + text[close + 4:]
        if how == "spaces":
            return "--- \t\n" + text[4:]
        if how == "second":
            return text + "---\nfigid: other\n---\n"
        return text.rstrip("\n")
    if op == "huge":
        size = src.pick((5_000, 70_000, 300_000))
        unit = src.pick(("padding ", "α", "x", "\u2028"))
        line = f"caption: {unit * (size // len(unit.encode()))}"
        log.append(f"huge line {size} bytes of {unit!a}")
        return text.replace("---\n", "---\n" + line + "\n", 1) if src.chance(50) else text.replace(
            "---\n", "---\n" + "k" * size + ": v\n", 1)
    if op == "nesting":
        depth = src.pick((10, 63, 64, 65, 101, 300, 2000))
        style = src.pick(("flow_list", "flow_map", "block"))
        if style == "flow_list":
            value = "[" * depth + "]" * depth
        elif style == "flow_map":
            value = "{a: " * depth + "b" + "}" * depth
        else:
            value = "\n" + "".join("  " * (i + 1) + "-\n" for i in range(min(depth, 300)))
        log.append(f"{style} nesting {depth}")
        return text.replace("---\n", f"---\nannotations_x: {value}\n", 1)
    if op == "body":
        log.append("body after front matter")
        return text + src.text(200) + "\n---\n"
    # bom_inside
    at = src.integer(0, len(text))
    log.append(f"BOM at {at}")
    return text[:at] + "\ufeff" + text[at:]


def mutate_bytes(src: Source, data: bytes, log: list[str], what: str = "") -> bytes:
    """Encoding-level mutations, for .md and .tsv alike."""
    op = src.pick(("truncate", "bom", "crlf", "cr", "mixed", "bad_utf8", "empty", "nul"))
    if op == "truncate":
        at = src.integer(0, len(data))
        log.append(f"{what}truncated at byte {at}")
        return data[:at]
    if op == "bom":
        log.append(f"{what}BOM")
        return b"\xef\xbb\xbf" + data
    if op == "crlf":
        log.append(f"{what}CRLF")
        return data.replace(b"\n", b"\r\n")
    if op == "cr":
        log.append(f"{what}CR line ends")
        return data.replace(b"\n", b"\r")
    if op == "mixed":
        lines = data.split(b"\n")
        ends = [src.pick((b"\n", b"\r\n", b"\r", b"\n\r")) for _ in lines[:-1]]
        log.append(f"{what}mixed line ends")
        return b"".join(l + e for l, e in zip(lines, ends)) + lines[-1]
    if op == "bad_utf8":
        at = src.integer(0, len(data))
        junk = src.pick((b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xc0\xaf", b"\x80"))
        log.append(f"{what}bytes {junk!r} at {at}")
        return data[:at] + junk + data[at:]
    if op == "empty":
        log.append(f"{what}empty file")
        return b""
    at = src.integer(0, len(data))
    log.append(f"{what}NUL byte at {at}")
    return data[:at] + b"\x00" + data[at:]


def encode(text: str) -> bytes:
    """UTF-8; lone surrogates become the (invalid) bytes a broken encoder would write."""
    return text.encode("utf-8", "surrogatepass")


# --- sidecar TSVs --------------------------------------------------------------------------------


def mutate_table(src: Source, text: str, log: list[str], kind: str) -> str:
    lines = [l.split("\t") for l in text.rstrip("\n").split("\n")]
    header, rows = lines[0], lines[1:]
    op = src.pick((
        "cell", "cell", "identifier", "drop_column", "rename", "extra_column", "ragged", "dup_row",
        "blank", "header_only", "huge_cell", "shuffle", "many_rows", "na",
    ))
    where = f"{kind}.tsv "
    if op in ("cell", "identifier", "huge_cell", "na") and rows:
        r, c = src.integer(0, len(rows) - 1), src.integer(0, len(header) - 1)
        row = rows[r]
        if c < len(row):
            if op == "cell":
                value = hostile_text(src, row[c])
                if src.chance(70):  # mostly keep the table's shape; sometimes break it
                    value = value.replace("\t", " ").replace("\n", " ").replace("\r", " ")
            elif op == "identifier":
                value = str(src.pick(TRICKY_IDS))
            elif op == "na":
                value = src.pick(("NA", ".na.character", "", " ", "na", "N/A"))
            else:
                value = src.pick(("x", "α", "\u2028")) * src.pick((10_000, 100_000))
            row[c] = value
            log.append(f"{where}{header[c] if c < len(header) else c}[{r + 2}]={_short(value)}")
    elif op == "drop_column":
        c = src.integer(0, len(header) - 1)
        log.append(f"{where}drop column {header[c]}")
        header.pop(c)
        for row in rows:
            if c < len(row):
                row.pop(c)
    elif op == "rename":
        c = src.integer(0, len(header) - 1)
        new = src.pick((header[c].upper(), " " + header[c], header[c] + " ", "\ufeff" + header[c], hostile_text(src)))
        log.append(f"{where}header {header[c]}→{_short(new)}")
        header[c] = new
    elif op == "extra_column":
        name = src.pick(("extra", header[0], "", hostile_text(src).replace("\t", "")))
        header.append(name)
        for row in rows:
            row.append(src.text(6).replace("\t", "").replace("\n", ""))
        log.append(f"{where}extra column {_short(name)}")
    elif op == "ragged" and rows:
        row = src.pick(rows)
        if row and src.chance(50):
            row.pop()
        else:
            row.append("x")
        log.append(f"{where}ragged row")
    elif op == "dup_row" and rows:
        rows.append(list(src.pick(rows)))
        log.append(f"{where}duplicate row")
    elif op == "blank":
        rows.insert(src.integer(0, len(rows)), [src.pick(("", " ", "\t\t"))])
        log.append(f"{where}blank line")
    elif op == "header_only":
        rows = []
        log.append(f"{where}header only")
    elif op == "shuffle":
        order = list(range(len(header)))
        order = order[1:] + order[:1]
        header = [header[i] for i in order]
        rows = [[row[i] for i in order] if len(row) == len(order) else row for row in rows]
        log.append(f"{where}columns rotated")
    elif op == "many_rows" and rows:
        base = rows[-1]
        for n in range(src.pick((10, 40))):
            rows.append([c if i % 3 else f"{c}{n}" for i, c in enumerate(base)])
        log.append(f"{where}many rows")
    return "\n".join("\t".join(r) for r in [header, *rows]) + "\n"


# --- one record ----------------------------------------------------------------------------------


def new_figid(base: Base, n: int) -> str:
    return f"{base.figid}-fz{n}"


def make_record(src: Source, n: int, base: Base | None = None, intensity: int = 60) -> Record:
    """Record number `n` (its stem is `<base figid>-fz<n>`), mutated with probability ~intensity%."""
    base = base or src.pick(bases())
    stem = new_figid(base, n)
    log: list[str] = []
    if src.chance(intensity) and src.chance(70):  # front matter as data
        data = copy.deepcopy(base.data)
        data["figid"] = stem
        block = data.get("schema-jsonld")
        if isinstance(block, dict):
            block["@id"] = f"{FIGURE_BASE}{stem}.html"
        for _ in range(src.integer(1, 3)):
            mutate_data(src, data, log)
        text = "---\n" + dump_yaml(src, data) + "---\n"
    else:
        text = base.text.replace(base.figid, stem)
    if src.chance(intensity // 3):
        for _ in range(src.integer(1, 2)):
            text = mutate_text(src, text, log)
    md = encode(text)
    if src.chance(intensity // 6):
        md = mutate_bytes(src, md, log)

    sidecars: dict[str, bytes] = {}
    for kind, table in base.sidecars.items():
        if src.chance(intensity // 10):
            log.append(f"{kind}.tsv removed")
            continue
        if src.chance(intensity // 2):
            for _ in range(src.integer(1, 2)):
                table = mutate_table(src, table, log, kind)
        content = encode(table)
        if src.chance(intensity // 8):
            content = mutate_bytes(src, content, log, f"{kind}.tsv ")
        sidecars[kind] = content
    if src.chance(intensity // 10):  # a sidecar the record does not have (inline: must be ignored)
        other = src.pick([b for b in bases() if b.sidecars])
        kind = src.pick(sorted(other.sidecars))
        if kind not in sidecars:
            sidecars[kind] = encode(other.sidecars[kind])
            log.append(f"{kind}.tsv added from {other.figid}")
    return Record(stem, base.figid, md, sidecars, log)


def make_organism_page(src: Source) -> tuple[str, bytes, list[str]]:
    name, text = src.pick(organism_pages())
    log: list[str] = [f"from {name}"]
    if src.chance(60):
        data = yaml.load(text.split("---\n")[1], Loader=yaml.CSafeLoader) or {}
        for _ in range(src.integer(1, 2)):
            mutate_data(src, data, log)
        text = "---\n" + dump_yaml(src, data) + "---\n"
    if src.chance(40):
        text = mutate_text(src, text, log)
    content = encode(text)
    if src.chance(20):
        content = mutate_bytes(src, content, log)
    return name, content, log


@st.composite
def records(draw: Callable[[st.SearchStrategy[Any]], Any], n: int = 0) -> Record:
    """One mutated record (hypothesis): a real base, then front matter / TSV / byte mutations."""
    src = DrawSource(draw)
    base = bases()[draw(st.integers(0, len(bases()) - 1))]  # not sampled_from: its repr is huge
    return make_record(src, n, base, intensity=draw(st.sampled_from((100, 60, 0))))


@st.composite
def organism_pages_strategy(draw: Callable[[st.SearchStrategy[Any]], Any]) -> tuple[str, bytes, list[str]]:
    return make_organism_page(DrawSource(draw))


@st.composite
def front_matter_texts(draw: Callable[[st.SearchStrategy[Any]], Any]) -> str:
    """YAML text (no `---` lines) for the fast-vs-reference parser comparison."""
    src = DrawSource(draw)
    kind = draw(st.integers(0, 2))
    if kind == 0:  # a real front matter, mutated as text
        base = bases()[draw(st.integers(0, len(bases()) - 1))]
        text = base.text
        for _ in range(draw(st.integers(0, 3))):
            text = mutate_text(src, text, [])
    elif kind == 1:  # a real front matter, mutated as data and dumped in some style
        base = bases()[draw(st.integers(0, len(bases()) - 1))]
        data = copy.deepcopy(base.data)
        for _ in range(draw(st.integers(1, 3))):
            mutate_data(src, data, [])
        text = "---\n" + dump_yaml(src, data) + "---\n"
    else:  # YAML-1.1-vs-1.2 scalars in every position a record can hold them
        lines = []
        for i in range(draw(st.integers(1, 5))):
            token = draw(st.sampled_from(YAML_TOKENS)) if draw(st.booleans()) else src.text(10)
            shape = draw(st.integers(0, 4))
            lines.append(
                (f"k{i}: {token}", f"k{i}:\n- {token}", f"k{i}: [{token}, x]", f"k{i}: {{a: {token}}}",
                 f"{token}: v{i}")[shape]
            )
        text = "---\n" + "\n".join(lines) + "\n---\n"
    _, _, rest = text.partition("\n")
    end = rest.find("\n---")
    return rest[: end + 1] if end != -1 else rest


# --- a corpus ------------------------------------------------------------------------------------


def write_organism_pages(root: Path, mutated: Sequence[tuple[str, bytes, list[str]]] = ()) -> None:
    """The sample's organism pages, and mutated ones beside them, in `root/_organisms`."""
    organisms = root / "_organisms"
    organisms.mkdir(parents=True, exist_ok=True)
    for name, text in organism_pages():
        (organisms / name).write_text(text, "utf-8")
    for i, (name, content, _) in enumerate(mutated):
        (organisms / f"fz{i}-{name}").write_bytes(content)


def seeded_record(seed: int, n: int, intensity: int = 60) -> Record:
    """Record number `n` of corpus `seed`: each record has its own random stream, so any one of
    a corpus can be made again alone (bench/fuzz.py --only N)."""
    return make_record(RandomSource(random.Random(f"{seed}/{n}")), n, intensity=intensity)


def _write_records(root: Path, seed: int, numbers: range, intensity: int) -> list[Record]:
    out = []
    for n in numbers:
        record = seeded_record(seed, n, intensity)
        record.write(root)
        out.append(record)
    return out


def write_corpus(root: Path, count: int, seed: int, intensity: int = 60, organism_pages_n: int = 8,
                 start: int = 0, jobs: int = 1) -> list[Record]:
    """`count` mutated records (`seeded_record(seed, n)` for n from `start`) in a PFOCR database
    at `root`, with the sample's organism pages plus `organism_pages_n` mutated ones; made by
    `jobs` processes (the records do not depend on it)."""
    src = RandomSource(random.Random(f"{seed}/organisms"))
    write_organism_pages(root, [make_organism_page(src) for _ in range(organism_pages_n)])
    (root / "_figures").mkdir(parents=True, exist_ok=True)
    (root / "_data").mkdir(parents=True, exist_ok=True)
    numbers = range(start, start + count)
    if jobs <= 1 or count < 1000:
        return _write_records(root, seed, numbers, intensity)
    step = -(-count // jobs)
    parts = [numbers[i: i + step] for i in range(0, count, step)]
    context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    with ProcessPoolExecutor(len(parts), context) as pool:
        done = pool.map(_write_records, [root] * len(parts), [seed] * len(parts), parts, [intensity] * len(parts))
        return [record for part in done for record in part]


# --- checking a build ----------------------------------------------------------------------------


class Broken(AssertionError):
    """A build whose outputs break the contract."""


@dataclass
class Checked:
    records: int
    exported: int
    quarantined: int
    warnings: int
    triples: int
    reasons: Counter[str]


def _canonical(path: Path, fmt: pyoxigraph.RdfFormat, fail: Callable[[str], None]) -> list[bytes]:
    """The file's triples as sorted canonical N-Triples lines (pyoxigraph's strict parser and
    serializer: two files hold the same triples exactly when these lists are equal)."""
    try:
        data = pyoxigraph.serialize(pyoxigraph.parse(path=str(path), format=fmt), format=pyoxigraph.RdfFormat.N_TRIPLES)
    except (SyntaxError, ValueError, OSError) as exc:
        fail(f"{path.name} rejected by the strict parser: {exc}")
        raise
    return sorted(l for l in (data or b"").split(b"\n") if l)


_OA = "http://www.w3.org/ns/oa#"
_PFOCR = "https://w3id.org/pfocr-kg/vocab#"
_SLUG_IRI = re.compile(r"https://w3id\.org/pfocr-kg/(journal|publisher)/([a-z0-9]+(-[a-z0-9]+)*|x-[0-9a-f]{12})")


def _check_v2(nt: list[bytes], figures: set[str], fail: Callable[[str], None]) -> None:
    """Graph v2's naming rules, on whatever the build exported: each annotation is named by the hash
    of its own word, source and matched text, and targets its record's image; a record and its
    image are two nodes; journal and publisher IRIs are slugs."""
    about = f" <{SCHEMA}about> ".encode()
    wanted = (b"#m-", about, f"<{SCHEMA}ImageObject>".encode(), b"https://w3id.org/pfocr-kg/journal/",
              b"https://w3id.org/pfocr-kg/publisher/")
    lines = b"\n".join(l for l in nt if any(w in l for w in wanted))
    annotations: dict[str, dict[str, list[str]]] = {}
    images: dict[str, list[str]] = {}
    typed_images: set[str] = set()
    for q in pyoxigraph.parse(lines, pyoxigraph.RdfFormat.N_TRIPLES):
        s, p, o = q.subject.value, q.predicate.value, q.object.value
        for term in (s, o):
            if term.startswith(("https://w3id.org/pfocr-kg/journal/", "https://w3id.org/pfocr-kg/publisher/")) \
                    and not _SLUG_IRI.fullmatch(term):
                fail(f"journal or publisher IRI is not a slug: {term!r}")
        if p == f"{SCHEMA}about" and s in figures:
            images.setdefault(s, []).append(o)
        elif p == RDF_TYPE and o == f"{SCHEMA}ImageObject":
            typed_images.add(s)
        elif s.startswith(FIGURE_BASE) and "#m-" in s:
            annotations.setdefault(s, {}).setdefault(p, []).append(o)
    for record, its in images.items():
        if len(its) != 1 or its[0] not in typed_images or its[0] in figures:
            fail(f"record {record} is about {its!r}: not exactly one image of its own kind")
    for iri, props in annotations.items():
        record = iri.split("#", 1)[0]
        words, sources = props.get(_PFOCR + "ocrText", []), props.get(_PFOCR + "matchSource", [])
        matched = props.get(_PFOCR + "matchedText", [])
        if len(words) != 1 or len(sources) != 1 or len(matched) > 1 or not sources[0].startswith(_PFOCR):
            fail(f"annotation {iri} has ocrText {words!r}, matchSource {sources!r}, matchedText {matched!r}")
            continue
        if matched and matched[0] == words[0]:
            fail(f"annotation {iri} repeats its word as pfocr:matchedText")
        if iri != annotation_of(record, words[0], sources[0][len(_PFOCR):], matched[0] if matched else None):
            fail(f"annotation {iri} is not named by the hash of its word, source and matched text")
        if record in images and props.get(_OA + "hasTarget") != images[record]:
            fail(f"annotation {iri} targets {props.get(_OA + 'hasTarget')!r}, its record's image is {images[record]!r}")


def _reason_class(reason: str) -> str:
    reason = re.sub(r"'[^']*'|\"[^\"]*\"", "…", reason)
    reason = re.sub(r"[0-9]+", "N", reason)
    return reason[:70]


def _owner(entry_file: str, index: dict[str, str]) -> str | None:
    return index.get(entry_file) or index.get(str(Path(entry_file).resolve()))


def check_build(outdir: Path, roots: Sequence[Path], *, validate: bool, exit_code: int | None = None,
                strict: bool = False, stderr: str | None = None,
                records: Sequence[Record] = ()) -> Checked:
    """The fuzzing contract on one build's outputs; raises Broken naming what failed.

    - report.json: records_read == figures_written + len(quarantined) == the number of .md files;
      counts match their lists; every entry has a file and a non-empty reason;
    - each record file is exported (a schema:Dataset with schema:identifier == its stem) or
      quarantined, exactly once (several files with one stem: one exported at most, the rest
      quarantined); a quarantine entry names the record's .md or one of its sidecars, and its
      figid, when given, is the stem;
    - pfocr.nt and pfocr.ttl parse with pyoxigraph's strict parsers to the same triple set, one
      triple a line, `triples` in the report == that count; no raw control character in pfocr.nt;
    - quarantine/<figid>.ttl and validation.ttl parse strictly; exit status 0 (or, --strict,
      1 exactly when something was quarantined); every quarantined file is named on stderr;
    - no reason is an "internal error" (kg's safety net for its own bugs: a crash in disguise);
    - each of `records` that was not mutated (a real sample record under a new figid) is exported.
    """
    def fail(message: str) -> None:
        # name the mutations of every generated record the message mentions: enough to rebuild it
        named = [r.describe() for r in records if r.stem in message][:5]
        raise Broken(message + "".join(f"\n  record {d}" for d in named))

    report = json.loads((outdir / "report.json").read_text("utf-8"))
    index: dict[str, str] = {}  # .md or sidecar path → record id (its .md path)
    stems: Counter[str] = Counter()
    for root in roots:
        folder = root / "_figures" if (root / "_figures").is_dir() else root
        data_root = root if folder.name == "_figures" else folder
        for md in folder.glob("*.md"):
            rid = str(md)
            index[rid] = rid
            index[str(md.resolve())] = rid
            stems[md.stem] += 1
            for kind in KINDS:
                side = data_root / "_data" / f"{md.stem}-{kind}.tsv"
                index[str(side)] = rid
                index[str(side.resolve())] = rid
    n_files = sum(stems.values())

    quarantined, warnings = report["quarantined"], report["warnings"]
    if report["records_read"] != n_files:
        fail(f"records_read {report['records_read']} != {n_files} record files")
    if report["records_read"] != report["figures_written"] + len(quarantined):
        fail(f"records_read {report['records_read']} != figures_written {report['figures_written']}"
             f" + quarantined {len(quarantined)}")
    if report["quarantined_count"] != len(quarantined) or report["warnings_count"] != len(warnings):
        fail("quarantined_count/warnings_count differ from their lists")
    for entry in quarantined + warnings:
        if not {"file", "reason"} <= set(entry) or not set(entry) <= {"file", "figid", "field", "reason"}:
            fail(f"malformed entry {entry!r}")
        if not isinstance(entry["reason"], str) or not entry["reason"].strip():
            fail(f"entry without a reason: {entry!r}")
        if "internal error" in entry["reason"]:
            fail(f"kg hit a bug of its own: {entry!r}")

    owners: Counter[str] = Counter()
    q_stems: Counter[str] = Counter()
    for entry in quarantined:
        rid = _owner(entry["file"], index)
        if rid is None:
            fail(f"quarantine entry names no record file: {entry!r}")
        owners[rid] += 1
        stem = Path(rid).stem
        q_stems[stem] += 1
        if entry.get("figid") not in (None, stem):
            fail(f"quarantine entry's figid is not its file's: {entry!r}")
    twice = [rid for rid, k in owners.items() if k > 1]
    if twice:
        fail(f"records quarantined more than once: {twice[:5]}")

    nt_bytes = (outdir / "pfocr.nt").read_bytes()
    nt = _canonical(outdir / "pfocr.nt", pyoxigraph.RdfFormat.N_TRIPLES, fail)
    ttl = _canonical(outdir / "pfocr.ttl", pyoxigraph.RdfFormat.TURTLE, fail)
    if nt != ttl:
        only_nt, only_ttl = set(nt) - set(ttl), set(ttl) - set(nt)
        fail(f"pfocr.nt and pfocr.ttl differ ({len(only_nt)} only in nt, {len(only_ttl)} only in ttl, "
             f"{len(nt)} vs {len(ttl)} triples): {sorted(only_nt)[:2]} {sorted(only_ttl)[:2]}")
    lines = nt_bytes.count(b"\n")
    if not (report["triples"] == len(nt) == len(set(nt)) == lines):
        fail(f"triples: report {report['triples']}, parsed {len(nt)}, distinct {len(set(nt))}, lines {lines}")
    raw = re.search(rb"[\x00-\x09\x0b-\x1f\x7f]", nt_bytes)
    if raw:
        fail(f"raw control character in pfocr.nt at byte {raw.start()}")

    # figures: `<FIGURE_BASE…html> rdf:type schema:Dataset`, each with its figid as schema:identifier
    fig_prefix = f"<{FIGURE_BASE}".encode()
    typed = f" <{RDF_TYPE}> <{SCHEMA}Dataset> .".encode()
    ident = f" <{SCHEMA}identifier> ".encode()
    figures = {l[1: l.index(b">")].decode() for l in nt if l.startswith(fig_prefix) and l.endswith(typed)}
    id_lines = b"\n".join(l for l in nt if l.startswith(fig_prefix) and ident in l)
    identifiers: dict[str, list[str]] = {}
    for q in pyoxigraph.parse(id_lines, pyoxigraph.RdfFormat.N_TRIPLES):
        identifiers.setdefault(q.subject.value, []).append(q.object.value)
    exported: Counter[str] = Counter()
    for fig in figures:
        figid = fig[len(FIGURE_BASE): -len(".html")]
        if not fig.endswith(".html") or identifiers.get(fig) != [figid]:
            fail(f"figure {fig} has schema:identifier {identifiers.get(fig)!r}")
        exported[figid] += 1
    if len(figures) != report["figures_written"]:
        fail(f"{len(figures)} figures in pfocr.nt, figures_written {report['figures_written']}")
    for stem in set(stems) | set(exported) | set(q_stems):
        if exported[stem] > 1 or exported[stem] + q_stems[stem] != stems[stem]:
            fail(f"{stem}: {stems[stem]} file(s), exported {exported[stem]}, quarantined {q_stems[stem]}")
    for record in records:
        if not record.mutations and not exported[record.stem]:
            reasons = [e["reason"] for e in quarantined if Path(e["file"]).name.startswith(record.stem)]
            fail(f"unmutated record {record.stem} (a real sample record) was not exported: {reasons}")

    _check_v2(nt, figures, fail)

    folder = outdir / "quarantine"
    shape_failures = {e.get("figid") for e in quarantined if e["reason"].startswith("fails the shapes")}
    written = {p.stem for p in folder.glob("*.ttl")} if folder.is_dir() else set()
    if written != shape_failures:
        fail(f"quarantine/ holds {sorted(written)[:5]}, shape failures are {sorted(map(str, shape_failures))[:5]}")
    for path in sorted(folder.glob("*.ttl")) if folder.is_dir() else []:
        try:
            list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE))
        except SyntaxError as exc:
            fail(f"{path.name} rejected by the strict parser: {exc}")
    validation = outdir / "validation.ttl"
    if validate:
        try:
            list(pyoxigraph.parse(path=str(validation), format=pyoxigraph.RdfFormat.TURTLE))
        except (SyntaxError, OSError) as exc:
            fail(f"validation.ttl: {exc}")
        if report["validation"].get("enabled") is not True:
            fail("report.json says the gate was off")
    elif validation.exists() or report["validation"].get("enabled") is not False:
        fail("--no-validate, yet validation.ttl exists or the report says the gate ran")

    if exit_code is not None:
        expected = 1 if strict and quarantined else 0
        if exit_code != expected:
            fail(f"exit status {exit_code}, expected {expected}")
    if stderr is not None:
        for entry in quarantined:
            if f"quarantined {entry['file']}" not in stderr:
                fail(f"quarantined file not named on stderr: {entry['file']}")
    reasons = Counter(_reason_class(e["reason"]) for e in quarantined)
    return Checked(n_files, report["figures_written"], len(quarantined), len(warnings), len(nt), reasons)


# --- every field, every wrong type ---------------------------------------------------------------

WRONG_VALUES: tuple[tuple[str, Any], ...] = (
    ("null", None), ("empty", ""), ("blank", " \t "), ("NA", "NA"), ("zero", 0), ("negative", -1),
    ("float", 0.5), ("nan", float("nan")), ("-inf", float("-inf")), ("true", True), ("false", False),
    ("empty list", []), ("list", ["x", 1, None]), ("empty map", {}), ("map", {"k": "v", 1: None}),
    ("nested 70", None), ("huge int", 2**14001), ("date", datetime.date(2005, 1, 1)),
    ("bytes", b"\x00\xff"), ("set", {"a"}),
    ("hostile text", "\x00\x1b\x85\u2028\u2029\u202e\u2066\ufeff\U0001f9ec <x> \"q\" '\\' #"),
    ("lone surrogate", "ok\ud800"),
)


def _nested(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = [value]
    return value


def field_paths(data: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Every key path of the front matter, taking only the first entry of each list."""
    return [p for p in _paths(data) if not any(isinstance(k, int) and k > 0 for k in p)]


def covering_bases() -> list[Base]:
    """Few bases that together hold every field path any base has (greedy set cover)."""
    left = {p for b in bases() for p in field_paths(b.data)}
    chosen: list[Base] = []
    while left:
        best = max(bases(), key=lambda b: len(left.intersection(field_paths(b.data))))
        chosen.append(best)
        left -= set(field_paths(best.data))
    return chosen


def wrong_type_records(bases_: Sequence[Base] | None = None, start: int = 0) -> list[Record]:
    """One record per (base, field, wrong value): every field of each base's front matter
    replaced in turn by every value of WRONG_VALUES (dumped as YAML the default way). The
    default bases (`covering_bases`) hold every field path of the sample between them."""
    out = []
    n = start
    for base in bases_ or covering_bases():
        for path in field_paths(base.data):
            for name, value in WRONG_VALUES:
                data = copy.deepcopy(base.data)
                stem = new_figid(base, n)
                if path != ("figid",):
                    data["figid"] = stem
                block = data.get("schema-jsonld")
                if isinstance(block, dict) and path != ("schema-jsonld", "@id"):
                    block["@id"] = f"{FIGURE_BASE}{stem}.html"
                _parent(data, path)[path[-1]] = _nested(70) if name == "nested 70" else copy.deepcopy(value)
                try:
                    text = yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False)
                except (UnicodeEncodeError, yaml.YAMLError):  # lone surrogates: escaped by the Python emitter
                    text = yaml.dump(data, Dumper=yaml.SafeDumper, allow_unicode=False, sort_keys=False)
                sidecars = {kind: encode(t) for kind, t in base.sidecars.items()}
                out.append(Record(stem, base.figid, encode("---\n" + text + "---\n"), sidecars,
                                  [f"{_show(path)}={name}"]))
                n += 1
    return out
