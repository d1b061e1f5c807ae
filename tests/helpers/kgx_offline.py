"""Run the real kgx validator offline on a KGX JSON Lines export; prints its errors as JSON.

    python tests/helpers/kgx_offline.py FOLDER [--declare PREFIX=IRI ...]

kgx 2.x and bmt fetch the Biolink schema and predicate map (when kgx.utils is imported) and a
JSON-LD context (when the validator starts) from the network. Here they get what the
`biolink-model` package ships instead: bmt's Toolkit its schema YAML (bmt's `schema` argument)
and an empty predicate map (bmt's `predicate_map` is fetched with requests; validation never
uses it), kgx its prefix map as the Biolink JSON-LD context (kgx.config's context cache).
`--declare` adds a prefix to that context. Run in a child process: the patches stay there.
Output: {"biolink_model": version, "errors": {level: {error type: {message: [ids]}}}}.
"""

from __future__ import annotations

import json
import sys
import types
from importlib import metadata, resources


def _offline() -> dict[str, str]:
    import bmt.toolkit

    schema = str(resources.files("biolink_model") / "schema" / "biolink_model.yaml")
    prefixes = json.loads((resources.files("biolink_model") / "prefixmaps" / "biolink-model-prefix-map.json").read_text())

    def get(url: str, *args: object, **kwargs: object) -> object:
        if url == "offline:predicate_mapping.yaml":
            return types.SimpleNamespace(text="predicate mappings: []\n")
        raise ConnectionError(f"no network here: {url}")

    bmt.toolkit.Toolkit.__init__.__defaults__ = (schema, "offline:predicate_mapping.yaml")
    bmt.toolkit.requests = types.SimpleNamespace(get=get)  # type: ignore[attr-defined]
    return prefixes


def main(argv: list[str]) -> int:
    folder, declared = argv[0], dict(arg.split("=", 1) for arg in argv[1:] if arg != "--declare")
    prefixes = _offline()
    prefixes.update(declared)
    import kgx.config

    kgx.config.jsonld_context_map["biolink"] = prefixes
    from kgx.transformer import Transformer
    from kgx.validator import Validator

    validator = Validator()
    Transformer(stream=True).transform(
        input_args={"filename": [f"{folder}/pfocr_nodes.jsonl.gz", f"{folder}/pfocr_edges.jsonl.gz"],
                    "format": "jsonl", "compression": "gz"},
        output_args={"format": "null"},
        inspector=validator,
    )
    errors = {str(level): {str(kind): {str(m): sorted(set(map(str, ids))) for m, ids in messages.items()}
                           for kind, messages in kinds.items()}
              for level, kinds in validator.get_errors().items()}
    print(json.dumps({"biolink_model": metadata.version("biolink-model"), "kgx": metadata.version("kgx"),
                      "errors": errors}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
