"""The one place that checks identifiers and mints IRIs from them.

Never returns an IRI built from an unchecked value: a bad identifier raises BadIdentifier.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Callable
from functools import wraps
from urllib.parse import quote, urlsplit

from kg import vocab


class BadIdentifier(ValueError):
    """An identifier that does not match its prefix's pattern; carries kind and value."""

    def __init__(self, kind: str, value: object, why: str | None = None) -> None:
        self.kind = kind
        self.value = value
        super().__init__(f"{kind} identifier {value!r} {why or f'does not match {PATTERNS[kind].pattern}'}")


# Local-identifier patterns per kind (DESIGN.md; Bioregistry where it has one). ASCII digits
# only: Python's \d would accept Arabic-Indic and other digits. Numeric ids have no leading zero:
# `07124` and `7124` would be two nodes for one gene (decision 0014); DOID ids keep theirs.
# Unicode format characters (zero-width, bidi controls, BOM) are refused where free text is allowed:
# invisible, they make two IRIs look like one.
_INVISIBLE = r"\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff"
PATTERNS: dict[str, re.Pattern[str]] = {
    "figid": re.compile(r"PMC[1-9][0-9]*__[A-Za-z0-9][A-Za-z0-9._-]*"),
    "pmc": re.compile(r"PMC[1-9][0-9]*"),
    "ncbigene": re.compile(r"[1-9][0-9]*"),
    "taxon": re.compile(r"[1-9][0-9]*"),
    "mesh": re.compile(r"[CDQ][0-9]+"),
    "chebi": re.compile(r"[1-9][0-9]*"),
    "doid": re.compile(r"[0-9]+"),
    "doi": re.compile(rf"10\.[0-9]{{2,9}}/[^\s\x00-\x1f\x7f\ud800-\udfff{_INVISIBLE}]+"),
    "ndex": re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"),
    "wikipathways": re.compile(r"WP[0-9]+"),
    "symbol": re.compile(r"[A-Za-z0-9_-]+@?"),  # Bioregistry's hgnc.symbol pattern
    # Lower case: PFOCR's names are, and our vocabulary's own terms never are (decision 0014).
    "match_source": re.compile(r"[a-z][a-z0-9_]*"),
    "figure_part": re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*"),
    "filename": re.compile(rf"[^/\\\s\x00-\x1f\x7f\ud800-\udfff{_INVISIBLE}]+"),
}
_LEADING_ZERO = re.compile(r"(PMC)?0[0-9]+(__.*)?", re.DOTALL)
_NO_LEADING_ZERO = frozenset({"figid", "pmc", "ncbigene", "taxon", "chebi"})

# Kinds percent-encoded into an IRI path: lone surrogates are excluded above (they have no UTF-8
# form to encode), and a `.` or `..` path segment is refused (it would climb the path). A DOI keeps
# its `/`, so each of its segments counts; a filename has none.
_PATH_KINDS = frozenset({"doi", "filename"})

# What IRI syntax (RFC 3987) never allows unescaped; checked on every IRI we mint.
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f]')


# Per-worker memory of what was already checked or minted: genes, taxa, MeSH terms and match
# sources recur across figures, and a dict lookup is ~10x cheaper than the patterns. Only plain
# `str` values that passed are remembered (a failure is re-checked, and raises, every time); each
# cache is emptied when it reaches its limit, so memory stays bounded on any corpus. Kinds unique
# to one figure (figid, filename, doi, ndex) are not remembered by `check`.
_CACHE_LIMIT = 50_000
_VALID: dict[str, set[str]] = {
    kind: set()
    for kind in ("pmc", "ncbigene", "taxon", "mesh", "chebi", "doid", "wikipathways", "symbol", "match_source")
}


def check(kind: str, value: object) -> str:
    """The identifier as text when it matches its pattern; otherwise BadIdentifier."""
    valid = _VALID.get(kind)
    if valid is None or type(value) is not str:
        return _check(kind, value)
    if value in valid:
        return value
    checked = _check(kind, value)
    if len(valid) >= _CACHE_LIMIT:
        valid.clear()
    valid.add(value)
    return checked


def _check(kind: str, value: object) -> str:
    if not isinstance(value, str) or not PATTERNS[kind].fullmatch(value):
        if kind in _NO_LEADING_ZERO and isinstance(value, str) and _LEADING_ZERO.fullmatch(value):
            raise BadIdentifier(kind, value, "has a leading zero (it would name a second node for the same entity)")
        raise BadIdentifier(kind, value)
    if kind == "figid" and ".." in value:
        raise BadIdentifier(kind, value, "contains '..'")
    segments = value.split("/") if kind == "doi" else [value]
    if kind in _PATH_KINDS and any(segment in (".", "..") for segment in segments):
        raise BadIdentifier(kind, value, "has a '.' or '..' path segment")
    return value


def _memo(limit: int = _CACHE_LIMIT) -> Callable[[Callable[[str], str]], Callable[[str], str]]:
    """Remember a one-identifier minter's IRIs for plain `str` identifiers (see _CACHE_LIMIT)."""

    def wrap(mint: Callable[[str], str]) -> Callable[[str], str]:
        minted: dict[str, str] = {}

        @wraps(mint)
        def cached(value: str) -> str:
            if type(value) is str:
                iri = minted.get(value)
                if iri is not None:
                    return iri
            iri = mint(value)
            if type(value) is str:
                if len(minted) >= limit:
                    minted.clear()
                minted[value] = iri
            return iri

        return cached

    return wrap


def _safe(iri: str) -> str:
    if _IRI_FORBIDDEN.search(iri):  # pragma: no cover - every caller checks first
        raise ValueError(f"refusing to mint a broken IRI: {iri!r}")
    return iri


@_memo(1024)
def figure(figid: str) -> str:
    """PFOCR's own page IRI, the block's @id (see docs/decisions)."""
    return _safe(f"{vocab.FIGURE_BASE}{check('figid', figid)}.html")


def annotation(figid: str, word: str, source: str, matched: str | None) -> str:
    """`<record>#m-<12 hex>`: the first 12 hex digits of SHA-256 of the JSON array
    `[word, source, matched]` (UTF-8, no spaces; `matched` "" when absent or equal to the word),
    so an annotation keeps its IRI when PFOCR reorders rows."""
    key = json.dumps([word, source, "" if matched is None or matched == word else matched],
                     ensure_ascii=False, separators=(",", ":"))
    return f"{figure(figid)}#m-{hashlib.sha256(key.encode('utf-8', 'surrogatepass')).hexdigest()[:12]}"


def image(figid: str, pmcid: str, part: str | None) -> str:
    """The published image: PMC's figure page, or `<record>#image` when the record has no figlink.
    `part` comes checked from the reader (kg.read.record._figlink)."""
    if part is None:
        return f"{figure(figid)}#image"
    return _safe(f"{vocab.PMC_FIGURE_BASE}{check('pmc', pmcid)}/figure/{check('figure_part', part)}/")


def organism_counts(figid: str, taxon_id: str) -> str:
    """The node of PFOCR's per-organism match counts of one figure."""
    return f"{figure(figid)}#organism-{check('taxon', taxon_id)}"


def slug(name: str) -> str:
    """A deterministic IRI segment for a free-text name: its ASCII letters and digits, lower case,
    runs of anything else as one `-`; a name with none gets `x-<12 hex of its SHA-256>`. Two names
    can share a slug: the node's names then differ between figures, which the build warns."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return text or "x-" + hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:12]


@_memo(1024)
def journal(name: str) -> str:
    return _safe(vocab.JOURNAL_BASE + slug(name))


@_memo(1024)
def publisher(name: str) -> str:
    return _safe(vocab.PUBLISHER_BASE + slug(name))


@_memo(1024)
def paper(pmcid: str) -> str:
    return _safe(vocab.PMC_BASE + check("pmc", pmcid))


@_memo(1024)
def pmc_article_page(pmcid: str) -> str:
    return _safe(f"{vocab.PMC_ARTICLE_BASE}{check('pmc', pmcid)}/")


def pmc_image(pmcid: str, filename: str) -> str:
    name = quote(check("filename", filename), safe="-._~")
    return _safe(f"{vocab.PMC_ARTICLE_BASE}{check('pmc', pmcid)}/bin/{name}")


@_memo()
def gene(gene_id: str) -> str:
    return _safe(vocab.NCBIGENE_BASE + check("ncbigene", gene_id))


@_memo()
def hgnc_symbol(symbol: str) -> str:
    """WikiPathways' hgnc.symbol IRI, the symbol as it is (its pattern allows only characters an
    IRI path keeps unencoded, as WikiPathways' CONCAT does)."""
    return _safe(vocab.HGNC_SYMBOL_BASE + check("symbol", symbol))


@_memo()
def taxon(taxon_id: str) -> str:
    return _safe(vocab.TAXON_BASE + check("taxon", taxon_id))


@_memo()
def mesh(mesh_id: str) -> str:
    return _safe(vocab.MESH_BASE + check("mesh", mesh_id))


@_memo()
def chebi(chebi_id: str) -> str:
    return _safe(vocab.CHEBI_BASE + check("chebi", chebi_id))


@_memo()
def chebi_obo(chebi_id: str) -> str:
    return _safe(vocab.CHEBI_OBO_BASE + check("chebi", chebi_id))


@_memo()
def doid(doid_id: str) -> str:
    return _safe(vocab.DOID_BASE + check("doid", doid_id))


@_memo(1024)
def doi(value: str) -> str:
    """https://doi.org/<doi>, percent-encoding what IRI syntax (or a fragment/query) would break."""
    return _safe(vocab.DOI_BASE + quote(check("doi", value), safe="/:;()._-~!$&'*+,=@"))


@_memo(1024)
def ndex(uuid: str) -> str:
    return _safe(vocab.NDEX_BASE + check("ndex", uuid).lower())


@_memo()
def wikipathways(wpid: str) -> str:
    return _safe(vocab.WIKIPATHWAYS_BASE + check("wikipathways", wpid))


@_memo()
def match_source(source: str) -> str:
    return _safe(vocab.PFOCR + check("match_source", source))


def base_url(text: str) -> str:
    """A base URL pages and dataset IRIs are made under (`kg publish --base-url`): an absolute
    http(s) URL without query or fragment, returned ending in `/`; ValueError otherwise."""
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"base URL {text!r}: expected an absolute http(s) URL without query or fragment")
    return text if text.endswith("/") else text + "/"
