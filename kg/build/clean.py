"""`kg clean`: the build cache, killed builds' temporaries and the files of removed machinery;
with `outputs`, the outputs too.

Never runs under a build: it takes the OUTDIR lock like one.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from kg.build.cache import CACHE_NAME
from kg.build.outputs import VOCABULARY_NAME
from kg.build.shard import MANIFEST
from kg.write.formats import OUTPUT_FORMATS
from kg.write.lock import LOCK_NAME, OutdirLock, remove_stale_temporaries

# What `kg build` writes in OUTDIR (besides the cache): what `kg clean --all` may remove.
BUILD_OUTPUTS = (
    *(f"pfocr.{fmt}" for fmt in OUTPUT_FORMATS), VOCABULARY_NAME, "report.json", "report.html", "validation.ttl",
    "quarantine", MANIFEST,
)
# What earlier versions left in OUTDIR and no build writes or removes any more: the spare copies
# of the large outputs that builds wrote over (removed with decision 0019).
LEGACY_FILES = (".pfocr.nt.spare", ".pfocr.ttl.spare", ".pfocr.jsonld.spare", ".validation.ttl.spare")


def clean(outdir: Path, cache_dir: Path | None = None, outputs: bool = False, wait: bool = False) -> list[Path]:
    """Remove the build cache, killed builds' temporaries and legacy files (and with `outputs`,
    the outputs); under the build lock, so never from under a running build."""
    removed: list[Path] = []
    with OutdirLock(outdir, wait=wait):
        removed.extend(remove_stale_temporaries(outdir, complete_commit=not outputs))
        cache = cache_dir or outdir / CACHE_NAME
        if cache.exists():
            shutil.rmtree(cache)
            removed.append(cache)
        for name in (*LEGACY_FILES, *(BUILD_OUTPUTS if outputs else ())):
            path = outdir / name
            if path.is_dir():
                shutil.rmtree(path)
                removed.append(path)
            elif path.exists():
                path.unlink()
                removed.append(path)
    (outdir / LOCK_NAME).unlink(missing_ok=True)
    return removed
