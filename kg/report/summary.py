"""report.json: a build's counts, every quarantined record and warning, and the gate's summary.

Never holds a time, a path of this machine beyond the records' own, or anything else that would
make two builds of the same records differ.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg import __version__
from kg.check.gate import engine_note
from kg.records import Problem


@dataclass(slots=True)
class BuildReport:
    records_read: int = 0
    figures_written: int = 0
    triples: int = 0
    warnings: list[Problem] = field(default_factory=list)
    quarantined: list[Problem] = field(default_factory=list)
    validation: dict[str, object] = field(default_factory=dict)
    reused: int = 0  # outcomes taken from the cache (not in report.json: a rebuild's report
    computed: int = 0  # must be byte-identical to a full build's)
    up_to_date: bool = False  # nothing rewritten: the outputs were already what this build gives

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BuildReport:
        """The report of a build whose report.json this is (what `as_dict` wrote)."""
        def problems(key: str) -> list[Problem]:
            return [Problem(p["file"], p["reason"], p.get("figid"), p.get("field")) for p in data[key]]

        return cls(
            records_read=int(data["records_read"]), figures_written=int(data["figures_written"]),
            triples=int(data["triples"]), warnings=problems("warnings"), quarantined=problems("quarantined"),
            validation=dict(data["validation"]),
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "tool": f"pfocr-kg {__version__}",
            "records_read": self.records_read,
            "figures_written": self.figures_written,
            "triples": self.triples,
            "quarantined_count": len(self.quarantined),
            "warnings_count": len(self.warnings),
            "validation": self.validation,
            "quarantined": [p.as_dict() for p in self.quarantined],
            "warnings": [p.as_dict() for p in self.warnings],
        }

    def as_json(self) -> bytes:
        """report.json's bytes."""
        return (json.dumps(self.as_dict(), indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def validation_summary(
    shapes: list[Path] | None, engine: str, by_severity: Mapping[str, int], by_message: Mapping[str, Counter[str]]
) -> dict[str, object]:
    """report.json's `validation`: what the gate checked and what it found, by severity and message."""
    if shapes is None:
        return {"enabled": False, "note": "SHACL gate skipped (--no-validate): nothing was checked"}
    return {
        "enabled": True,
        "engine": engine,
        "shapes": [p.name for p in shapes],
        "checked": "SHACL Core per figure; the SHACL-SPARQL rules hold by construction (kg validate runs them)",
        **({"engine_note": note} if (note := engine_note(shapes, engine)) else {}),
        "violations": by_severity.get("Violation", 0),
        "warnings": by_severity.get("Warning", 0),
        "infos": by_severity.get("Info", 0),
        "by_message": {
            severity: dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
            for severity, counts in sorted(by_message.items())
        },
    }
