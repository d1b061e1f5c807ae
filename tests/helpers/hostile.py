"""A hostile record: markup, quotes and line separators in every field a page or report shows."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from helpers import HOSTILE_FIXTURES, SAMPLE, SEED_FIGID

# `</script>` must not close the JSON-LD block; U+2028/U+2029 are line ends to JavaScript (before
# ES2019) and to YAML 1.1 but plain characters to JSON and HTML: they must reach the page unchanged.
HOSTILE = ("</script><script>alert(1)</script> & \"double\" 'single' <b>bold</b> <!-- x --> <img src=x onerror=alert(2)>"
           " \u2028line\u2029para")
HOSTILE_GENE = "331"  # XIAP in the seed record: its HGNC symbol (the gene's name) is made hostile


def write_hostile_record(root: Path, figid: str = SEED_FIGID) -> str:
    """A copy of the seed record (PMC2776288, f3) with HOSTILE in its title, caption, the block's
    description, paper title, citation, an organism name, a keyword, and a gene's OCR word,
    matched text and symbol (gene HOSTILE_GENE: its name, unless another record names it first)."""
    text = (SAMPLE / "_figures" / f"{SEED_FIGID}.md").read_text("utf-8")
    _, front, rest = text.split("---\n", 2)
    record = yaml.safe_load(front)
    record["figtitle"] = f"Title {HOSTILE}"
    record["caption"] = f"Caption {HOSTILE}"
    record["schema-jsonld"]["description"] = f"Caption {HOSTILE}"
    record["papertitle"] = f"Paper {HOSTILE}"
    record["reftext"] = f"Ref {HOSTILE}"
    record["organisms"] = ["Homo sapiens", f"Org {HOSTILE}"]
    record["schema-jsonld"]["keywords"].append(f"Keyword {HOSTILE}")
    assert record["genes"][0]["entrez"] == HOSTILE_GENE
    record["genes"][0]["word"] = f"Word {HOSTILE}"
    record["genes"][0]["symbol"] = f"Matched {HOSTILE}"
    record["genes"][0]["hgnc_symbol"] = f"Gene {HOSTILE}"  # no HGNC IRI from it (a warning), the name stays
    (root / "_figures").mkdir(parents=True, exist_ok=True)
    out = "---\n" + yaml.safe_dump(record, allow_unicode=True, sort_keys=False) + "---\n" + rest
    (root / "_figures" / f"{figid}.md").write_text(out, encoding="utf-8")
    return figid


def hostile_db(root: Path) -> Path:
    """The hostile seed copy plus the `hostile-strings` fixture (NUL, controls, bidi, `<`, quotes)."""
    write_hostile_record(root)
    fixture = HOSTILE_FIXTURES / "hostile-strings"
    for folder in ("_figures", "_data"):
        (root / folder).mkdir(parents=True, exist_ok=True)
        for path in (fixture / folder).iterdir():
            shutil.copy(path, root / folder / path.name)
    return root
