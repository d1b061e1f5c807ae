"""Skip a rebuild that would write the same bytes, as make does, but judged by content.

Why: users rebuild from cron whether or not the corpus changed, and rewriting ~700 MB at 10k
records to get the same bytes costs seconds and disk wear. A build may skip writing when:
every record has a cache key (its content, the organism pages, shapes, engine, size limit and
the tool's code) and the keys, in order, are those of the last build; the same output formats
are asked for; and every output is on disk with the stat signature the last build left it with
(nothing edited, replaced, removed or added since). Anything else rebuilds. The last build's
description lives in the cache folder (one file per OUTDIR: a --cache-dir may be shared), so
`--no-cache` and `kg clean` never skip.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kg.build.cache import library_versions
from kg.write.atomic import write_bytes

PREFIX = "last-build-"
_VERSION = 1


def state_file(cache_folder: Path, outdir: Path) -> Path:
    """Where the last build of `outdir` is described (by a digest of its absolute path)."""
    name = hashlib.sha256(os.fsencode(outdir.absolute())).hexdigest()[:16]
    return cache_folder / f"{PREFIX}{name}.json"


def fingerprint(keys: Sequence[str | None], formats: Sequence[str], places: Sequence[Path] = ()) -> str | None:
    """What decides the outputs' bytes; None when a record has no key (it is always redone).
    `places`: the source roots and OUTDIR, whose real locations report.html's links are made
    from (a SOURCE symlink moved to another release, or a relative one built from elsewhere);
    matplotlib's version draws its plots."""
    if any(key is None for key in keys):
        return None
    digest = hashlib.sha256(",".join(sorted(formats)).encode() + b"\n")
    for place in places:
        digest.update(str(place.resolve()).encode("utf-8", "surrogateescape") + b"\n")
    digest.update(library_versions(("matplotlib",)).encode() + b"\n")
    for key in keys:
        digest.update(key.encode() + b"\n")  # type: ignore[union-attr]
    return digest.hexdigest()


def _outputs(outdir: Path) -> dict[str, list[int]]:
    """Stat signature (size, mtime, ctime, inode) of every file in OUTDIR the build writes:
    its top-level files but its own hidden ones (lock, cache, journal), quarantine/ itself (gone,
    replaced, or anything added or removed in it changes its times) and everything in it."""
    found: dict[str, list[int]] = {}
    for folder, prefix in ((outdir, ""), (outdir / "quarantine", "quarantine/")):
        try:
            entries = list(os.scandir(folder))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            if not prefix and (entry.name.startswith(".") or not entry.is_file(follow_symlinks=False)):
                continue
            st = entry.stat(follow_symlinks=False)
            found[prefix + entry.name] = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
    try:
        st = os.stat(outdir / "quarantine", follow_symlinks=False)
        found["quarantine/"] = [st.st_mode, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
    except OSError:
        pass
    return found


def remember(cache_folder: Path, outdir: Path, fingerprint: str | None) -> None:
    """After a complete build: what it was built from, and its outputs as they are now."""
    path = state_file(cache_folder, outdir)
    if fingerprint is None:
        path.unlink(missing_ok=True)
        return
    state = {"version": _VERSION, "fingerprint": fingerprint, "outputs": _outputs(outdir)}
    try:
        write_bytes(path, json.dumps(state, sort_keys=True).encode())
    except Exception:  # noqa: BLE001 - only costs a full rewrite next time
        path.unlink(missing_ok=True)


def up_to_date(cache_folder: Path, outdir: Path, fingerprint: str | None) -> dict[str, Any] | None:
    """The last build's report.json when its outputs need no rewriting; None otherwise."""
    if fingerprint is None:
        return None
    try:
        state = json.loads(state_file(cache_folder, outdir).read_text("utf-8"))
        if state.get("version") != _VERSION or state.get("fingerprint") != fingerprint:
            return None
        if state.get("outputs") != _outputs(outdir):
            return None
        report = json.loads((outdir / "report.json").read_text("utf-8"))
    except (OSError, ValueError, AttributeError):
        return None
    return report if isinstance(report, dict) else None
