"""One manifest schema: the registry's manifests fit the Pydantic models, and the JSON Schema
and TypeScript types committed in packages/sdk/ are exactly what the models generate (the
shell's tsc checks that those types fit what it reads: mfe-shell/src/manifest.contract.test.ts)."""

from core_api.registry.manifest_contract import Manifest, generated_files


def test_the_committed_schema_and_types_are_generated_from_the_models():
    for path, text in generated_files().items():
        assert path.read_text() == text, (
            f"{path} is stale: run .venv/bin/python -m core_api.registry.manifest_contract"
        )


async def test_manifests_the_registry_serves_fit_the_schema(registry):
    await registry.register("reports")
    body = registry.version_body("1.0.0") | {"css": [registry.stylesheet()]}
    published = await registry.client.post(
        "/fragments/reports/versions", json=body, headers=registry.publisher("reports")
    )
    assert published.status_code == 201, published.text
    await registry.act("reports", "activate", {"version": "1.0.0"})
    developer = registry.token("dev-7", "member", "publisher:reports")
    issued = await registry.client.post(
        "/fragments/reports/overrides",
        json={"origin": "http://localhost:5173", "css": ["http://localhost:5173/entry.css"]},
        headers=developer,
    )
    assert issued.status_code == 201, issued.text

    for manifest in [
        await registry.manifest(),
        await registry.manifest(registry.admin),
        await registry.manifest(developer, override=issued.json()["token"]),
    ]:
        Manifest.model_validate(manifest)
    assert Manifest.model_validate(manifest).fragments[0].override is True
