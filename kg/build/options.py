"""What a build is asked to do: `kg build`'s options as one value. Never read from the command line here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg.check.gate import DEFAULT_ENGINE
from kg.read.textfile import DEFAULT_MAX_BYTES
from kg.write.formats import DEFAULT_FORMATS


@dataclass(slots=True)
class BuildOptions:
    sources: list[Path]
    outdir: Path
    max_bytes: int = DEFAULT_MAX_BYTES
    validate: bool = True
    shapes_dir: Path | None = None
    engine: str = DEFAULT_ENGINE
    jobs: int = 1
    store_dir: Path | None = None
    formats: tuple[str, ...] = DEFAULT_FORMATS  # pfocr.nt is written whatever this says
    use_cache: bool = True
    cache_dir: Path | None = None  # default OUTDIR/.kg-cache
    shard: tuple[int, int] | None = None  # (I, N): build only the I-th of N partitions
    release: str | None = None  # pav:version of the dataset node (else the SOURCE's git commit)
    release_date: str | None = None  # YYYY-MM-DD, from --release-date or SOURCE_DATE_EPOCH
