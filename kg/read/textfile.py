"""Read one input file as text, safely: size limit, strict UTF-8, BOM and CRLF tolerated.

Never returns text larger than the limit or text that was not valid UTF-8.
"""

from __future__ import annotations

from pathlib import Path

from kg.read.errors import RecordError

DEFAULT_MAX_BYTES = 4 * 1024 * 1024  # the largest real PFOCR record is ~60 KB


def read_text(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise RecordError(f"cannot read file: {exc.strerror or exc}", file=str(path)) from exc
    if len(data) > max_bytes:
        raise RecordError(
            f"file is larger than the limit of {max_bytes} bytes (see --max-bytes)", file=str(path)
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RecordError(
            f"not UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start}", file=str(path)
        ) from exc
    text = text.removeprefix("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text
