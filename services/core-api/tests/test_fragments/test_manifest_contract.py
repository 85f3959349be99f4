"""One manifest schema: the registry's manifests fit the Pydantic models the gateway reads
them with (platform_common.manifest_contract; the SDK's JSON Schema and TypeScript types are
generated from them: libs/platform-common/tests/test_manifest_contract.py)."""

from platform_common.manifest_contract import Manifest


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


async def test_the_document_types_the_manifest_and_the_health_report_answers(registry):
    """Generated clients (the shell's) read both answers as these models, not as `unknown`."""
    document = (await registry.client.get("/openapi.json")).json()
    answers = {
        path: document["paths"][path][method]["responses"][code]["content"]["application/json"]
        for path, method, code in [
            ("/fragments/manifest", "get", "200"),
            ("/fragments/health-reports", "post", "202"),
        ]
    }
    assert answers == {
        "/fragments/manifest": {"schema": {"$ref": "#/components/schemas/Manifest"}},
        "/fragments/health-reports": {
            "schema": {"$ref": "#/components/schemas/HealthReportAccepted"}
        },
    }
