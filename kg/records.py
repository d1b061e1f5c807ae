"""Typed, cleaned PFOCR records: what the readers produce and the mappers consume.

Plain data only: no RDF, no file access. Values are already normalised (missing → None).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

# The only organism whose genes HGNC names; inline records are matched against HGNC.
HUMAN = "9606"

# Common model organisms, for records whose database has no `_organisms/` page for them:
# latin name → (NCBI taxon id, common name). Ids checked against NCBI Taxonomy.
BUILTIN_ORGANISMS: dict[str, tuple[str, str | None]] = {
    "Homo sapiens": ("9606", "Human"),
    "Mus musculus": ("10090", "Mouse"),
    "Rattus norvegicus": ("10116", "Rat"),
    "Danio rerio": ("7955", "Zebrafish"),
    "Drosophila melanogaster": ("7227", "Fruit fly"),
    "Caenorhabditis elegans": ("6239", "Worm"),
    "Saccharomyces cerevisiae": ("4932", "Yeast"),
    "Arabidopsis thaliana": ("3702", "Thale cress"),
    "Escherichia coli": ("562", None),
    "Escherichia coli str. K-12 substr. MG1655": ("511145", None),
    "Xenopus laevis": ("8355", "African clawed frog"),
    "Xenopus tropicalis": ("8364", "Western clawed frog"),
    "Oryza sativa": ("4530", "Rice"),
    "Zea mays": ("4577", "Maize"),
    "Gallus gallus": ("9031", "Chicken"),
    "Bos taurus": ("9913", "Cow"),
    "Sus scrofa": ("9823", "Pig"),
    "Canis lupus familiaris": ("9615", "Dog"),
    "Bacillus subtilis": ("1423", None),
    "Staphylococcus aureus": ("1280", None),
    "Staphylococcus epidermidis": ("1282", None),
    "Severe acute respiratory syndrome coronavirus 2": ("2697049", "SARS-CoV-2"),
}


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with a record: it travels to report.json, never to a bare print."""

    file: str
    reason: str
    figid: str | None = None
    field: str | None = None

    def as_dict(self) -> dict[str, str]:
        out = {"file": self.file}
        if self.figid is not None:
            out["figid"] = self.figid
        if self.field is not None:
            out["field"] = self.field
        out["reason"] = self.reason
        return out


@dataclass(frozen=True, slots=True)
class Organism:
    """A taxon as PFOCR names it; `taxon_id` is None when no table knows the name."""

    name: str
    taxon_id: str | None = None
    common_name: str | None = None


@dataclass(frozen=True, slots=True)
class GeneMention:
    """One OCR word resolved to one gene, with how it was matched."""

    word: str  # as OCR read it, junk punctuation kept; never used as an identifier
    matched: str | None  # the lookup key that hit (inline `symbol`, sidecar `match`)
    source: str  # match source, e.g. hgnc_symbol, hgnc_alias_symbol, famplex_relations
    symbol: str  # official symbol of the gene (hgnc_symbol / ncbigene_symbol)
    gene_id: str  # NCBI Gene (Entrez) id, still unchecked text
    taxon_id: str | None = None
    count_direct: int | None = None
    count_synonym: int | None = None
    count_match: int | None = None
    # how many identical rows the source gives (not part of equality: repeats collapse to one)
    repeats: int = field(default=1, compare=False)


@dataclass(frozen=True, slots=True)
class ChemicalMention:
    word: str
    mesh_id: str | None
    matched: str | None = None  # MeSH heading the word matched
    chebi_id: str | None = None  # digits only
    chebi_name: str | None = None
    source: str = "mesh"
    repeats: int = field(default=1, compare=False)


@dataclass(frozen=True, slots=True)
class DiseaseMention:
    word: str
    mesh_id: str | None
    matched: str | None = None
    name: str | None = None
    doid: str | None = None  # digits only
    source: str = "mesh"
    repeats: int = field(default=1, compare=False)


@dataclass(frozen=True, slots=True)
class Paper:
    pmcid: str
    title: str | None = None
    year: int | None = None
    reftext: str | None = None
    doi: str | None = None
    journal: str | None = None  # journal_title
    journal_abbreviation: str | None = None  # journal_nlm_ta
    publisher: str | None = None  # publisher_name
    keywords: tuple[str, ...] = ()
    organisms: tuple[Organism, ...] = ()  # the paper's organisms (the record's `organisms`)


@dataclass(slots=True)
class FigureRecord:
    """One `_figures/<figid>.md` with its sidecar TSVs, cleaned."""

    figid: str
    file: Path
    format: str  # "inline" | "sidecar"
    paper: Paper
    title: str | None = None
    caption: str | None = None
    description: str | None = None  # the schema-jsonld block's description
    keywords: tuple[str, ...] = ()  # the schema-jsonld block's keywords, as given
    filename: str | None = None
    figlink: str | None = None  # the figure's part of PMC's figure page path (`F11`), checked
    figid_alias: str | None = None
    number: str | None = None
    figtype: str | None = None
    score: Decimal | None = None  # pathway_score (inline) / automl_pathway (sidecar)
    ndex: str | None = None
    wpid: str | None = None
    recognised_organisms: tuple[Organism, ...] = ()  # organisms_ner: named in the figure
    taxa: dict[str, Organism] = field(default_factory=dict)  # every resolved organism, by taxon id
    genes: tuple[GeneMention, ...] = ()
    chemicals: tuple[ChemicalMention, ...] = ()
    diseases: tuple[DiseaseMention, ...] = ()
    warnings: list[Problem] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Release:
    """What a build says of itself on its dataset node (docs/vocabulary.md, "dataset")."""

    version: str | None = None  # --release, else the SOURCE's git commit
    date: str | None = None  # YYYY-MM-DD, from --release-date or SOURCE_DATE_EPOCH only
    commits: tuple[str, ...] = ()  # git commits of the SOURCEs that are checkouts
    source_trees: tuple[str, ...] = ()  # those commits' IRIs in the public PFOCR repository

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Release:
        """The release `as_dict` wrote (a shard's manifest)."""
        def texts(key: str) -> tuple[str, ...]:
            value = data.get(key) or []
            return tuple(str(v) for v in value) if isinstance(value, list) else ()

        version, date = data.get("version"), data.get("date")
        return cls(None if version is None else str(version), None if date is None else str(date),
                   texts("commits"), texts("source_trees"))

    def as_dict(self) -> dict[str, object]:
        return {"version": self.version, "date": self.date, "commits": list(self.commits),
                "source_trees": list(self.source_trees)}
