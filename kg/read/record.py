"""One figure record (front matter + sidecars) → a clean FigureRecord, or the Problem that stops it.

Record-level faults (unreadable file, bad YAML, bad figid/pmcid, broken TSV) quarantine the
record; field-level faults become warnings and the value is dropped. Never raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from kg import iris
from kg.read import organisms as organism_table
from kg.read.errors import RecordError
from kg.read.frontmatter import load_mapping, split_front_matter
from kg.read.layout import RecordSource
from kg.read.textfile import DEFAULT_MAX_BYTES, read_text
from kg.read.tsv import Row, read_table
from kg.records import (
    HUMAN,
    ChemicalMention,
    DiseaseMention,
    FigureRecord,
    GeneMention,
    Organism,
    Paper,
    Problem,
)

# How PFOCR writes "no value": R's NA, R's `.na.character` placeholder, and empty strings.
MISSING = frozenset({"", "NA", ".na.character"})


# Decimals (scores) whose plain notation would need more digits than this are refused.
MAX_EXPONENT = 100

# A field name, or its parts (joined only when a warning needs it: most rows have none).
Field = str | tuple[object, ...]


def _field_name(field: Field) -> str:
    return field if isinstance(field, str) else "".join(map(str, field))


class _Fields:
    """Field-level cleaning that records its complaints instead of raising."""

    def __init__(self, file: str, figid: str) -> None:
        self.file = file
        self.figid = figid
        self.warnings: list[Problem] = []

    def warn(self, field: str, reason: str) -> None:
        self.warnings.append(Problem(self.file, reason, self.figid, field))

    def text(self, data: dict[str, Any], key: str, strip: bool = True) -> str | None:
        """A string value, stripped of YAML folding's trailing space; missing tokens → None.

        `strip=False` keeps the value as written, for schema-jsonld block values whose triples
        must equal what a JSON-LD processor reads from the block."""
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, (bool, dict, list)):
            self.warn(key, f"expected text, got {type(value).__name__}; value dropped")
            return None
        value = str(value)
        if value.strip() in MISSING:
            return None
        return value.strip() if strip else value

    def year(self, data: dict[str, Any]) -> int | None:
        value = self.text(data, "year")
        if value is None:
            return None
        if len(value) == 4 and value.isascii() and value.isdigit():
            return int(value)
        self.warn("year", f"year {value!r} is not a four-digit year; value dropped")
        return None

    def decimal(self, data: dict[str, Any], key: str) -> Decimal | None:
        value = data.get(key)
        if value is None or (isinstance(value, str) and value.strip() in MISSING):
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            self.warn(key, f"{key} {value!r} is not a number; value dropped")
            return None
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            self.warn(key, f"{key} {value!r} is not a number; value dropped")
            return None
        if abs(number.adjusted()) > MAX_EXPONENT or int(number.as_tuple().exponent) < -MAX_EXPONENT:
            # `1e999999999` is 12 bytes here and a billion digits as an xsd:decimal
            self.warn(key, f"{key} {value!r} is out of range; value dropped")
            return None
        return number

    def names(self, data: dict[str, Any], key: str) -> list[str]:
        """`organisms`-style values: a string (maybe comma-joined), a list, or [NA]."""
        value = data.get(key)
        if value is None:
            return []
        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, list):
            self.warn(key, f"expected a list of names, got {type(value).__name__}; value dropped")
            return []
        names = []
        for item in items:
            if not isinstance(item, str):
                self.warn(key, f"organism name {item!r} is not text; dropped")
                continue
            if item.strip() not in MISSING:
                names.append(item.strip())
        return names

    def identifier(self, kind: str, field: Field, value: str | None, prefix: str = "") -> str | None:
        """A local id with its CURIE prefix (`mesh:`, `chebi:`) removed, checked; bad → warning."""
        if value is None:
            return None
        value = value.strip()
        if value in MISSING:
            return None
        if prefix and value.lower().startswith(prefix):
            value = value[len(prefix):]
        try:
            return iris.check(kind, value)
        except iris.BadIdentifier as exc:
            self.warn(_field_name(field), f"{exc}; value skipped")
            return None


def read_record(source: RecordSource, max_bytes: int = DEFAULT_MAX_BYTES) -> FigureRecord | Problem:
    """The cleaned record, or the Problem that quarantines it."""
    file = str(source.md)
    figid: str | None = None
    try:
        data = load_mapping(split_front_matter(read_text(source.md, max_bytes)))
        figid = _figid(data, source)
        return _build(data, figid, source, max_bytes)
    except RecordError as exc:
        return Problem(exc.file or file, exc.reason, figid, exc.field)
    except Exception as exc:  # noqa: BLE001 - a reader's bug stops one record, not the build
        reason = f"internal error while reading ({type(exc).__name__}: {exc}); please report it"
        return Problem(file, reason, figid)


# The reason of a file with no figid at all: not a figure record (kg.build refuses a SOURCE of only such files).
MISSING_FIGID = "figid is missing or empty"


def _figid(data: dict[str, Any], source: RecordSource) -> str:
    value = data.get("figid")
    if value is None or (isinstance(value, str) and not value.strip()):
        raise RecordError(MISSING_FIGID, field="figid")
    if not isinstance(value, str):
        raise RecordError(f"figid {value!r} is not text", field="figid")
    if "/" in value or "\\" in value or ".." in value:
        raise RecordError(f"figid {value!r} contains a path separator or '..'", field="figid")
    try:
        iris.check("figid", value)
    except iris.BadIdentifier as exc:
        raise RecordError(str(exc), field="figid") from exc
    if value != source.stem:
        raise RecordError(
            f"figid {value!r} does not match the file name {source.md.name!r}", field="figid"
        )
    return value


def _build(data: dict[str, Any], figid: str, source: RecordSource, max_bytes: int) -> FigureRecord:
    fields = _Fields(str(source.md), figid)
    pmcid = fields.text(data, "pmcid")
    if pmcid is None:
        raise RecordError("pmcid is missing", field="pmcid")
    try:
        iris.check("pmc", pmcid)
    except iris.BadIdentifier as exc:
        raise RecordError(str(exc), field="pmcid") from exc
    if not figid.startswith(pmcid + "__"):
        fields.warn("pmcid", f"pmcid {pmcid!r} differs from the figid's PMC id")

    inline = any(k in data for k in ("genes", "chemicals", "diseases"))
    block = data.get("schema-jsonld")
    if block is not None and not isinstance(block, dict):
        fields.warn("schema-jsonld", "schema-jsonld is not a mapping; ignored")
        block = None
    block = block or {}
    block_id = block.get("@id")
    if block_id is not None and block_id != iris.figure(figid):
        fields.warn("schema-jsonld.@id", f"the block's @id {block_id!r} is not this figure's page "
                    f"{iris.figure(figid)}; the figure is named after its figid (docs/decisions/0001)")

    genes_rows = chem_rows = dis_rows = None
    if not inline:
        genes_rows = _sidecar(source, "genes", max_bytes)
        chem_rows = _sidecar(source, "chemicals", max_bytes)
        dis_rows = _sidecar(source, "diseases", max_bytes)

    if inline:
        genes = _inline_genes(data.get("genes"), fields)
        chemicals = _inline_chemicals(data.get("chemicals"), fields)
        diseases = _inline_diseases(data.get("diseases"), fields)
    else:
        genes = _sidecar_genes(genes_rows or [], fields)
        chemicals = _sidecar_chemicals(chem_rows or [], fields)
        diseases = _sidecar_diseases(dis_rows or [], fields)

    organisms = _organisms(data, genes_rows or [], source, fields, max_bytes)
    paper = Paper(
        pmcid=pmcid,
        title=fields.text(data, "papertitle"),
        year=fields.year(data),
        reftext=fields.text(data, "reftext"),
        doi=fields.identifier("doi", "doi", fields.text(data, "doi")),
        journal=fields.text(data, "journal_title"),
        journal_abbreviation=fields.text(data, "journal_nlm_ta"),
        publisher=fields.text(data, "publisher_name"),
        keywords=_paper_keywords(fields.text(data, "keywords")),
        organisms=organisms.paper,
    )
    score_key = "automl_pathway" if "automl_pathway" in data else "pathway_score"
    ndex = fields.text(data, "ndex")
    wpid = fields.text(data, "wpid")
    return FigureRecord(
        figid=figid,
        file=source.md,
        format="inline" if inline else "sidecar",
        paper=paper,
        title=_title(fields.text(data, "figtitle"), fields.text(data, "caption"), figid, fields),
        caption=fields.text(data, "caption"),
        description=fields.text(block, "description", strip=False),
        keywords=_block_keywords(block.get("keywords"), fields),
        filename=fields.identifier("filename", "filename", fields.text(data, "filename")),
        figlink=_figlink(fields.text(data, "figlink"), pmcid, fields),
        figid_alias=fields.text(data, "figid_alias"),
        number=fields.text(data, "number"),
        figtype=fields.text(data, "figtype"),
        score=fields.decimal(data, score_key),
        ndex=fields.identifier("ndex", "ndex", ndex),
        wpid=fields.identifier("wikipathways", "wpid", wpid),
        recognised_organisms=organisms.recognised,
        taxa=organisms.taxa,
        genes=genes,
        chemicals=chemicals,
        diseases=diseases,
        warnings=fields.warnings,
    )


# A title made from a caption keeps its first sentence, at most this many characters.
TITLE_CHARS = 200
# A sentence ends at . ! or ? after a lower-case letter, digit or bracket, before a capital: not at an
# initial ("S. aureus", "E. coli") nor at a panel label ("A. The pathway …").
_SENTENCE_END = re.compile(r"(?<=[a-z0-9)\]][.!?])\s+(?=[A-Z])")


def _title(title: str | None, caption: str | None, figid: str, fields: _Fields) -> str:
    """The figtitle; without one, the caption's first sentence (else the figid), with a warning:
    a record without a title is exported, not quarantined (Shapes v2)."""
    if title is not None:
        return title
    if caption is None:
        fields.warn("figtitle", "no figtitle and no caption; the figid is the title")
        return figid
    sentence = _SENTENCE_END.split(" ".join(caption.split()), maxsplit=1)[0]
    if len(sentence) > TITLE_CHARS:
        sentence = sentence[:TITLE_CHARS].rsplit(" ", 1)[0].rstrip() + "…"
    fields.warn("figtitle", "no figtitle; the caption's first sentence is the title")
    return sentence


def _sidecar(source: RecordSource, kind: str, max_bytes: int) -> list[Row] | None:
    path = source.sidecar(kind)
    return read_table(path, kind, max_bytes) if path.is_file() else None


def _paper_keywords(value: str | None) -> tuple[str, ...]:
    if value is None:
        return ()
    parts = (p.strip() for p in value.split("|"))
    return tuple(dict.fromkeys(p for p in parts if p and p not in MISSING))


def _block_keywords(value: Any, fields: _Fields) -> tuple[str, ...]:
    """The block's keywords exactly as given (they must equal what a JSON-LD processor reads)."""
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, (int, float)) and not isinstance(item, bool):
            out.append(str(item))
        else:
            fields.warn("schema-jsonld.keywords", f"keyword {item!r} is not text; dropped")
    return tuple(dict.fromkeys(out))


def _entries(value: Any, key: str, fields: _Fields) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list):
        fields.warn(key, f"{key} is not a list; ignored")
        return []
    out = []
    for i, entry in enumerate(value):
        if isinstance(entry, dict):
            out.append(entry)
        else:
            fields.warn(key, f"{key}[{i}] is not a mapping; dropped")
    return out


def _cell(entry: dict[str, Any], key: str) -> str | None:
    value = entry.get(key)
    if value is None or isinstance(value, (bool, dict, list)):
        return None
    value = str(value)
    return None if value.strip() in MISSING else value


def _inline_genes(value: Any, fields: _Fields) -> tuple[GeneMention, ...]:
    out: dict[GeneMention, int] = {}
    for i, entry in enumerate(_entries(value, "genes", fields)):
        gene_id = fields.identifier("ncbigene", ("genes[", i, "].entrez"), _cell(entry, "entrez"))
        symbol = (_cell(entry, "hgnc_symbol") or "").strip()
        source = (_cell(entry, "source") or "").strip()
        word = _cell(entry, "word")
        if gene_id is None or not symbol or not source or word is None:
            fields.warn(f"genes[{i}]", "gene entry needs word, source, hgnc_symbol and entrez; dropped")
            continue
        mention = GeneMention(
            word=word, matched=_cell(entry, "symbol"), source=source, symbol=symbol,
            gene_id=gene_id, taxon_id=HUMAN,
        )
        out[mention] = out.get(mention, 0) + 1
    return _counted(out)


def _counted(mentions: dict[Any, int]) -> tuple[Any, ...]:
    """Each distinct mention once, in first-seen order, with how often its row was given."""
    return tuple(m if n == 1 else replace(m, repeats=n) for m, n in mentions.items())


def _inline_terms(value: Any, kind: str, fields: _Fields) -> dict[tuple[str, str], int]:
    """(word, MeSH id) of inline `chemicals` / `diseases` entries, with how often each is given."""
    out: dict[tuple[str, str], int] = {}
    for i, entry in enumerate(_entries(value, kind, fields)):
        word = _cell(entry, "word")
        mesh = fields.identifier("mesh", (kind, "[", i, "].identifier"), _cell(entry, "identifier"), "mesh:")
        if mesh is None:
            continue  # unmatched word (PFOCR leaves the id empty), or a bad id already reported
        if word is None:
            fields.warn(f"{kind}[{i}]", f"{kind[:-1]} entry has an identifier but no word; dropped")
            continue
        out[(word, mesh)] = out.get((word, mesh), 0) + 1
    return out


def _inline_chemicals(value: Any, fields: _Fields) -> tuple[ChemicalMention, ...]:
    terms = _inline_terms(value, "chemicals", fields)
    return _counted({ChemicalMention(word=w, mesh_id=m): n for (w, m), n in terms.items()})


def _inline_diseases(value: Any, fields: _Fields) -> tuple[DiseaseMention, ...]:
    terms = _inline_terms(value, "diseases", fields)
    return _counted({DiseaseMention(word=w, mesh_id=m): n for (w, m), n in terms.items()})


def _count(value: str | None, fields: _Fields, field: Field) -> int | None:
    if value is None:
        return None
    value = value.strip()
    if value in MISSING:
        return None
    if value.isascii() and value.isdigit():
        return int(value)
    fields.warn(_field_name(field), f"count {value!r} is not a whole number; dropped")
    return None


def _sidecar_genes(rows: list[Row], fields: _Fields) -> tuple[GeneMention, ...]:
    out: dict[GeneMention, int] = {}
    for line in rows:
        n, row = line.line, line.cells
        where = "genes.tsv row "
        gene_id = fields.identifier("ncbigene", (where, n, " ncbigene_id"), row["ncbigene_id"])
        taxon = fields.identifier("taxon", (where, n, " organism_id"), row["organism_id"])
        # `NA` in ncbigene_symbol is the real fly gene NA (Entrez 32640) when an id is
        # given: a gene always has a symbol (docs/decisions/0004).
        symbol = row["ncbigene_symbol"].strip()
        source = row["source"].strip()
        if gene_id is None or not symbol or symbol == ".na.character" or source in MISSING:
            fields.warn(f"{where}{n}", "gene row needs ncbigene_id, ncbigene_symbol and source; dropped")
            continue
        matched = row["match"].strip()
        mention = GeneMention(
            word=row["word"], matched=None if matched in MISSING else matched, source=source,
            symbol=symbol, gene_id=gene_id, taxon_id=taxon,
            count_direct=_count(row["count_direct"], fields, (where, n, " count_direct")),
            count_synonym=_count(row["count_synonym"], fields, (where, n, " count_synonym")),
            count_match=_count(row["count_match"], fields, (where, n, " count_match")),
        )
        out[mention] = out.get(mention, 0) + line.times
    return _counted(out)


def _opt(value: str) -> str | None:
    value = value.strip()
    return None if value in MISSING else value


def _sidecar_chemicals(rows: list[Row], fields: _Fields) -> tuple[ChemicalMention, ...]:
    out: dict[ChemicalMention, int] = {}
    for line in rows:
        n, row = line.line, line.cells
        where = "chemicals.tsv row "
        mesh = fields.identifier("mesh", (where, n, " mesh"), row["mesh"], "mesh:")
        chebi = fields.identifier("chebi", (where, n, " chebi"), row["chebi"], "chebi:")
        if mesh is None and chebi is None:
            continue  # an OCR word nothing matched: not a mention of anything
        source = "mesh" if mesh is not None else "chebi"
        mention = ChemicalMention(
            word=row["word"], mesh_id=mesh, matched=_opt(row["match"]), chebi_id=chebi,
            chebi_name=_opt(row["name"]), source=source,
        )
        out[mention] = out.get(mention, 0) + line.times
    return _counted(out)


def _sidecar_diseases(rows: list[Row], fields: _Fields) -> tuple[DiseaseMention, ...]:
    out: dict[DiseaseMention, int] = {}
    for line in rows:
        n, row = line.line, line.cells
        where = "diseases.tsv row "
        mesh = fields.identifier("mesh", (where, n, " mesh"), row["mesh"], "mesh:")
        doid = fields.identifier("doid", (where, n, " doid"), row["doid"], "doid:")
        if mesh is None and doid is None:
            continue
        mention = DiseaseMention(
            word=row["word"], mesh_id=mesh, matched=_opt(row["match"]), name=_opt(row["name"]),
            doid=doid, source="mesh" if mesh is not None else "doid",
        )
        out[mention] = out.get(mention, 0) + line.times
    return _counted(out)


@dataclass(frozen=True, slots=True)
class _Organisms:
    paper: tuple[Organism, ...]  # `organisms`: the paper's
    recognised: tuple[Organism, ...]  # `organisms_ner`: recognised in the figure
    taxa: dict[str, Organism]  # every organism resolved to a taxon, by taxon id (first name wins)


def _organisms(
    data: dict[str, Any],
    genes_rows: list[Row],
    source: RecordSource,
    fields: _Fields,
    max_bytes: int,
) -> _Organisms:
    """The paper's organisms, those recognised in the figure, and a name for every taxon the
    record knows (its genes table's `organism_name`s included), each kept apart: they say
    different things (docs/vocabulary.md)."""
    table, _page_problems = organism_table.load_table(source.root / "_organisms", max_bytes)
    known_ids: dict[str, str] = {}
    tsv_names: list[str] = []
    for row in genes_rows:
        name, taxon = row.cells["organism_name"].strip(), row.cells["organism_id"].strip()
        if name in MISSING:
            continue
        tsv_names.append(name)
        if taxon.isascii() and taxon.isdigit():
            known_ids.setdefault(name, taxon)

    def resolved(names: list[str]) -> tuple[Organism, ...]:
        return tuple(organism_table.resolve(name, table, known_ids) for name in dict.fromkeys(names))

    paper = resolved(fields.names(data, "organisms"))
    recognised = resolved(fields.names(data, "organisms_ner"))
    taxa: dict[str, Organism] = {}
    for organism in (*resolved(tsv_names), *paper, *recognised):
        if organism.taxon_id is not None:
            taxa.setdefault(organism.taxon_id, organism)
    return _Organisms(paper, recognised, taxa)


# PMC's figure page path as PFOCR gives it: /pmc/articles/<pmcid>/figure/<part>[/]
_FIGLINK = re.compile(r"/pmc/articles/(PMC[1-9][0-9]*)/figure/([A-Za-z0-9][A-Za-z0-9._-]*)/?")


def _figlink(value: str | None, pmcid: str, fields: _Fields) -> str | None:
    """The figure's part of its PMC figure page path, when the path is PMC's and names this paper."""
    if value is None:
        return None
    found = _FIGLINK.fullmatch(value)
    if found is None or found.group(1) != pmcid:
        fields.warn("figlink", f"figlink {value!r} is not /pmc/articles/{pmcid}/figure/<part>/; "
                    "the image is named after the record (<record>#image)")
        return None
    return found.group(2)
