"""OUTDIR/quarantine/<figid>.ttl: the triples of each figure the gate refused, with the reasons.

Never leaves a mix of two builds: files go to a fresh folder that replaces the old one at the
build's commit (kg.write.commit).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pyoxigraph

from kg.vocab import PREFIXES
from kg.write.atomic import TMP_MARK, write_bytes
from kg.write.commit import sync_folder


class QuarantineWriter:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._tmp = folder.with_name(f".{folder.name}{TMP_MARK}{os.getpid()}")
        shutil.rmtree(self._tmp, ignore_errors=True)
        self._tmp.mkdir(parents=True)

    def add(self, figid: str, lines: list[str], reasons: list[str]) -> None:
        header = "".join("# " + r.replace("\n", " ") + "\n" for r in reasons)
        body = pyoxigraph.serialize(
            pyoxigraph.parse("".join(lines), pyoxigraph.RdfFormat.N_TRIPLES),
            format=pyoxigraph.RdfFormat.TURTLE,
            prefixes=PREFIXES,
        )
        text = f"# {figid} failed the SHACL shapes and is not in the export:\n{header}\n"
        write_bytes(self._tmp / f"{figid}.ttl", text.encode("utf-8") + (body or b""))

    def finish(self) -> None:
        """Each file was written (and fsynced) whole by `add`; their names need the folder synced."""
        sync_folder(self._tmp)

    def pending(self) -> list[tuple[Path, Path]]:
        """The folder replaces the old one in kg.write.commit (which knows folders)."""
        return [(self._tmp, self.folder)]

    def abort(self) -> None:
        shutil.rmtree(self._tmp, ignore_errors=True)
