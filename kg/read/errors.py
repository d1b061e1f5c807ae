"""The exception readers raise inside a record; `read_record` turns it into a quarantine Problem."""

from __future__ import annotations


class RecordError(Exception):
    """A record that cannot be read at all: bad file, bad YAML, bad figid, broken TSV."""

    def __init__(self, reason: str, field: str | None = None, file: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.field = field
        self.file = file
