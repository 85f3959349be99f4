"""The manifest shells load (core-api's GET /fragments/manifest), as one schema: these
Pydantic models are the source. core-api builds its manifests to them and the gateway reads
them with them (a contract between services, so it lives here, not in either); the JSON Schema
(packages/sdk/contract/manifest.schema.json) and the TypeScript types the SDK exports
(packages/sdk/src/manifest.ts) are generated from them.

    .venv/bin/python -m platform_common.manifest_contract      rewrites both files

A test fails when the committed files differ from what this module generates
(libs/platform-common/tests/test_manifest_contract.py), and another checks the registry's
manifests against the models, so none of them can drift apart."""

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

# The repository's SDK package (present in a checkout, not in a service's image: only the
# generator and its test read it).
SDK = Path(__file__).resolve().parents[3] / "packages" / "sdk"
SCHEMA_FILE = SDK / "contract" / "manifest.schema.json"
TYPES_FILE = SDK / "src" / "manifest.ts"


# "scheme://host[:port]" and nothing else: what the page's CSP names, so no path, user info,
# quote, space or ";" can carry a directive into it.
ORIGIN_PATTERN = r"^https?://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?$"
# A fragment's name: its URL folder (/fragments/<name>/), its workspace folder (mfe-<name>) and
# its publisher role (publisher:<name>). The registry refuses any other; the fragment host looks
# up no other; the scaffolder reads it from the generated JSON Schema.
FRAGMENT_NAME_PATTERN = r"^[a-z][a-z0-9-]{0,39}$"


class Contract(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Nav(Contract):
    label: str = Field(min_length=1, max_length=40)
    icon: str | None = Field(None, max_length=40)
    order: int = Field(100, ge=0, le=10_000)


class ManifestStylesheet(Contract):
    """A stylesheet, pinned like the entry by SRI; null only for a local override's."""

    url: str
    integrity: str | None


class ManifestFragment(Contract):
    """One fragment version this user's page composes."""

    name: str = Field(pattern=FRAGMENT_NAME_PATTERN)
    version: str
    origin: str = Field(
        pattern=ORIGIN_PATTERN,
        description="Where its entry, stylesheets and modules are served from, checked by the"
        " registry; the page's CSP admits it",
    )
    entry: str = Field(description="URL of the ES module exporting mount()")
    integrity: str | None = Field(description='"sha384-<base64>"; null for a local override')
    css: list[ManifestStylesheet]
    preload: list[str]
    routes: list[str] = Field(description='"/page" or "/subtree/*"; the longest match wins')
    nav: Nav | None
    canary: bool = Field(description="This user is served the canary version")
    override: bool = Field(False, description="A developer's local build (no integrity)")


class Manifest(Contract):
    """What the registry tells a shell to compose, for the user asking."""

    contract: str = Field(description="The fragment contract version")
    shared: dict[str, str] = Field(
        description="npm ranges of the libraries the shell provides through its import map"
    )
    fragments: list[ManifestFragment]


def json_schema() -> dict[str, Any]:
    return Manifest.model_json_schema(mode="serialization")


def typescript(schema: dict[str, Any]) -> str:
    """TypeScript interfaces for the schema's objects (the few JSON Schema forms it uses)."""
    lines = [
        "// Generated from platform_common/manifest_contract.py by `python -m platform_common.manifest_contract`:",
        "// do not edit (a test fails when this file and the models differ).",
    ]
    definitions = {**schema.get("$defs", {}), schema["title"]: schema}
    for name, definition in definitions.items():
        lines.append("")
        if description := definition.get("description"):
            lines.append(f"/** {description} */")
        lines.append(f"export interface {name} {{")
        required = set(definition.get("required", []))
        for field, spec in definition["properties"].items():
            if description := spec.get("description"):
                lines.append(f"  /** {description} */")
            optional = "" if field in required else "?"
            lines.append(f"  {field}{optional}: {_type(spec)};")
        lines.append("}")
    return "\n".join(lines) + "\n"


def _type(spec: dict[str, Any]) -> str:
    if "$ref" in spec:
        return str(spec["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in spec:
        return " | ".join(_type(option) for option in spec["anyOf"])
    kind = spec.get("type")
    if kind == "array":
        item = _type(spec["items"])
        return f"({item})[]" if " " in item else f"{item}[]"
    if kind == "object":
        return f"Record<string, {_type(spec.get('additionalProperties', {}))}>"
    simple = {"string": "string", "integer": "number", "number": "number", "boolean": "boolean"}
    if kind in simple:
        return simple[kind]
    if kind == "null":
        return "null"
    raise ValueError(f"no TypeScript for {spec}")


def generated_files() -> dict[Path, str]:
    schema = json_schema()
    return {
        SCHEMA_FILE: json.dumps(schema, indent=2, sort_keys=True) + "\n",
        TYPES_FILE: typescript(schema),
    }


def main() -> None:
    for path, text in generated_files().items():
        path.write_text(text)
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
