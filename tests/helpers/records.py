"""Copies of the sample's real records, edited: a PFOCR database to build, made in a test's folder.

An edit is a function of the text (front matter or TSV) that returns the new text; the helpers
below make the usual ones. An edit that changes nothing fails the test that asked for it.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

from helpers import SAMPLE

Edit = Callable[[str], str]


def clone_record(
    root: Path,
    figid: str,
    new_pmc: str | None = None,
    *,
    new_figid: str | None = None,
    md: Edit | None = None,
    tsv: dict[str, Callable[[str], str | None]] | None = None,
    organisms: bool = False,
) -> str:
    """Copy sample record `figid` (.md and its _data TSVs) into the PFOCR database at `root`.

    With `new_pmc`, the record's PMC id is replaced everywhere (file names, figid, pmcid, figlink,
    the schema-jsonld @id), so the copy is a distinct figure of a distinct paper. With `new_figid`,
    the figid alone is replaced (in the front matter and the TSVs' file names): another figure of
    the same paper. `md` edits the front matter text; `tsv` maps a kind (genes, chemicals,
    diseases) to an edit of that table (returning None drops the table); `organisms` copies the
    sample's organism pages too. Returns the copy's figid."""
    assert not (new_pmc and new_figid), "a new PMC id or a new figid, not both"
    pmc = figid.split("__", 1)[0]
    new = new_figid or (new_pmc or pmc) + figid[len(pmc) :]
    rename = re.compile(re.escape(pmc) + r"(?![0-9])")
    (root / "_figures").mkdir(parents=True, exist_ok=True)
    (root / "_data").mkdir(exist_ok=True)
    if organisms and not (root / "_organisms").exists():
        shutil.copytree(SAMPLE / "_organisms", root / "_organisms")
    text = (SAMPLE / "_figures" / f"{figid}.md").read_text("utf-8")
    if new_pmc:
        text = rename.sub(new_pmc, text)
    elif new_figid:
        text = text.replace(figid, new_figid)
    if md is not None:
        edited = md(text)
        assert edited != text, f"the edit of {figid}.md changed nothing"
        text = edited
    (root / "_figures" / f"{new}.md").write_text(text, "utf-8")
    tsv = dict(tsv or {})
    for table in sorted((SAMPLE / "_data").glob(f"{figid}-*.tsv")):
        kind = table.name[len(figid) + 1 : -len(".tsv")]
        content: str | None = table.read_text("utf-8")
        if new_pmc:
            content = rename.sub(new_pmc, content)
        if kind in tsv:
            content = tsv.pop(kind)(content)
        if content is not None:
            (root / "_data" / f"{new}-{kind}.tsv").write_text(content, "utf-8")
    assert not tsv, f"{figid} has no table for {sorted(tsv)}"
    return new


def copy_record(root: Path, figid: str, *, organisms: bool = False) -> Path:
    """The sample's record `figid` as it is (front matter and TSVs; with `organisms`, the organism
    pages too) under `root`, to edit. Returns `root`."""
    clone_record(root, figid, organisms=organisms)
    return root


def copy_sample(root: Path) -> Path:
    """The whole sample (figures, TSVs, organism pages, MANIFEST) copied to `root`, to edit."""
    shutil.copytree(SAMPLE, root)
    return root


def replicate_sample(root: Path, copies: int, pmc_of: Callable[[int, str], str], **edits: Edit) -> int:
    """`copies` × every sample record under new PMC ids (`pmc_of(copy, pmc)`), into `root`, with
    the organism pages; `edits` maps "<copy>:<figid>" to an edit of that copy. Returns the number
    of records written."""
    written = 0
    for k in range(copies):
        for md in sorted((SAMPLE / "_figures").glob("*.md")):
            figid = md.stem
            clone_record(root, figid, pmc_of(k, figid.split("__", 1)[0]), md=edits.pop(f"{k}:{figid}", None),
                         organisms=True)
            written += 1
    assert not edits, f"no such copy: {sorted(edits)}"
    return written


def edit_file(path: Path, old: str, new: str, count: int = -1) -> None:
    """Replace `old` (which must be there) by `new` in the file, in place."""
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, count), "utf-8")


# --- edits of the front matter --------------------------------------------------------------------


def drop_key(key: str) -> Edit:
    """Remove a top-level key of the front matter (with its continuation lines or list items)."""
    return lambda text: re.sub(rf"(?m)^{re.escape(key)}:.*\n(?:[ -] .*\n)*", "", text, count=1)


def set_key(key: str, value: str) -> Edit:
    return lambda text: re.sub(rf"(?m)^{re.escape(key)}:.*\n(?:  .*\n)*", f"{key}: {value}\n", text, count=1)


def add_list_item(key: str, item: str) -> Edit:
    """Append an item to a top-level YAML list (`key:\\n- a\\n- b`)."""
    return lambda text: re.sub(rf"(?m)^({re.escape(key)}:\n(?:- .*\n)+)", rf"\g<1>- {item}\n", text, count=1)


def empty_block_keywords(text: str) -> str:
    """schema-jsonld `keywords:` list → `keywords: []`."""
    return re.sub(r"(?m)^  keywords:\n(?:  - .*\n)+", "  keywords: []\n", text, count=1)


def drop_block_keywords(text: str) -> str:
    return re.sub(r"(?m)^  keywords:\n(?:  - .*\n)+", "", text, count=1)


def replace(old: str, new: str) -> Edit:
    """Replace every occurrence (the edit must change something)."""

    def run(text: str) -> str:
        assert old in text, f"{old!r} not in the record"
        return text.replace(old, new)

    return run


def replace_once(*edits: tuple[str, str]) -> Edit:
    """Each (old, new) made where `old` stands exactly once in the text."""

    def run(text: str) -> str:
        for old, new in edits:
            assert text.count(old) == 1, old
            text = text.replace(old, new)
        return text

    return run


def both(*edits: Callable[[str], str | None]) -> Edit:
    def run(text: str) -> str:
        for edit in edits:
            text = edit(text)  # type: ignore[assignment]
        return text

    return run


# --- edits of a TSV --------------------------------------------------------------------------------


def tsv_rows(keep: int) -> Edit:
    """Keep the header and the first `keep` rows of a TSV."""
    return lambda text: "".join(text.splitlines(keepends=True)[: keep + 1])


def tsv_cell(row: int, column: str, value: str) -> Edit:
    """Set one cell (row 1 = first data row) of a TSV."""

    def run(text: str) -> str:
        lines = text.splitlines(keepends=True)
        header = lines[0].rstrip("\n").split("\t")
        cells = lines[row].rstrip("\n").split("\t")
        cells[header.index(column)] = value
        lines[row] = "\t".join(cells) + "\n"
        return "".join(lines)

    return run


def tsv_column(column: str, old: str, new: str) -> Edit:
    """Set a column to `new` in every row where it is `old` (the edit must change something)."""

    def run(text: str) -> str:
        lines = text.splitlines(keepends=True)
        index = lines[0].rstrip("\n").split("\t").index(column)
        out = [lines[0]]
        for line in lines[1:]:
            cells = line.rstrip("\n").split("\t")
            cells[index] = new if cells[index] == old else cells[index]
            out.append("\t".join(cells) + "\n")
        assert out != lines, f"no row has {column} {old}"
        return "".join(out)

    return run


def tsv_append(*cells: str) -> Edit:
    return lambda text: text + "\t".join(cells) + "\n"


def tsv_repeat_row(row: int) -> Edit:
    """Give a row twice (PFOCR repeats rows; the annotation gets pfocr:occurrences 2)."""
    return lambda text: text + text.splitlines(keepends=True)[row]
