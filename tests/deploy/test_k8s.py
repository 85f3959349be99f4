"""Kubernetes manifests (infra/k8s/): the kustomize base and the production overlay build, and
kubeconform validates every object strictly against the Kubernetes JSON schemas of the oldest
and newest release supported; every workload is probed, bounded, non-root and (for the
services) autoscaled and protected from voluntary disruption; no secret value is committed."""

import json
import shutil
import subprocess

import pytest
import yaml

from conftest import ROOT
from tests.deploy.test_env_files import known_variables

KUBERNETES_VERSIONS = ["1.30.0", "1.37.0"]
SCHEMAS = ROOT / ".local/k8s-schemas"
KUBECONFORM = ROOT / ".local/tools/kubeconform"
SERVICES = ["auth", "core", "gateway"]


def kustomize(folder: str) -> str:
    if kubectl := shutil.which("kubectl"):
        command = [kubectl, "kustomize", ROOT / folder]
    elif kustomize_bin := shutil.which("kustomize") or shutil.which(
        ROOT / ".local/tools/kustomize"
    ):
        command = [kustomize_bin, "build", ROOT / folder]
    else:
        pytest.fail("neither kubectl nor kustomize is installed: run 'make setup-test'")
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def kubeconform(manifests: str, version: str) -> subprocess.CompletedProcess[str]:
    if not KUBECONFORM.exists() or not (SCHEMAS / f"v{version}").is_dir():
        pytest.fail("kubeconform or its schemas are missing: run 'make setup-test'")
    location = f"file://{SCHEMAS}/{{{{ .NormalizedKubernetesVersion }}}}/{{{{ .ResourceKind }}}}{{{{ .KindSuffix }}}}.json"
    return subprocess.run(
        [
            KUBECONFORM,
            "-strict",
            "-summary",
            "-output",
            "json",
            "-kubernetes-version",
            version,
            "-schema-location",
            location,
            "-",
        ],
        input=manifests,
        capture_output=True,
        text=True,
    )


def objects(manifests: str) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(manifests) if doc]


@pytest.fixture(scope="module", params=["infra/k8s/base", "infra/k8s/overlays/production"])
def built(request) -> str:
    return kustomize(request.param)


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_every_object_is_valid_against_the_kubernetes_schemas(built, version):
    result = kubeconform(built, version)

    summary = json.loads(result.stdout)["summary"]
    assert result.returncode == 0, result.stdout
    assert summary["invalid"] == summary["errors"] == summary["skipped"] == 0
    assert summary["valid"] == len(objects(built))


def test_kubeconform_rejects_an_unknown_field(built):
    broken = built.replace("readinessProbe:", "readinessProbes:", 1)

    result = kubeconform(broken, KUBERNETES_VERSIONS[0])

    assert result.returncode != 0
    assert "readinessProbes" in result.stdout


def test_every_deployment_is_probed_bounded_and_non_root(built):
    deployments = [o for o in objects(built) if o["kind"] == "Deployment"]
    assert {d["metadata"]["name"] for d in deployments} >= {
        *SERVICES,
        "shell",
        "fragments",
    }
    for deployment in deployments:
        pod = deployment["spec"]["template"]["spec"]
        container = pod["containers"][0]
        name = deployment["metadata"]["name"]
        assert set(container["resources"]) == {"requests", "limits"}, name
        assert container["securityContext"]["allowPrivilegeEscalation"] is False, name
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        if name != "redis":
            assert container["readinessProbe"]["httpGet"]["path"] == "/readyz", name
            assert container["livenessProbe"]["httpGet"]["path"] == "/healthz", name


def test_the_gateway_and_services_autoscale_and_keep_a_pod_through_disruptions(built):
    by_kind: dict[str, set[str]] = {}
    for item in objects(built):
        by_kind.setdefault(item["kind"], set()).add(item["metadata"]["name"])
    assert set(SERVICES) <= by_kind["HorizontalPodAutoscaler"]
    assert set(SERVICES) <= by_kind["PodDisruptionBudget"]
    assert "farm-platform" in by_kind["Ingress"]


def test_one_fragment_host_serves_every_fragment_and_no_manifest_names_one(built):
    items = objects(built)
    paths = [
        (path["path"], path["backend"]["service"]["name"])
        for ingress in items
        if ingress["kind"] == "Ingress"
        for rule in ingress["spec"]["rules"]
        for path in rule["http"]["paths"]
        if path["path"].startswith("/fragments")
    ]
    assert paths == [("/fragments/", "fragments")]
    host = next(
        o for o in items if o["kind"] == "Deployment" and o["metadata"]["name"] == "fragments"
    )
    pod = host["spec"]["template"]["spec"]
    assert {"name": "FRAGMENT_HOST_ROOT", "value": "/srv/fragments"} in pod["containers"][0]["env"]
    claim = next(v for v in pod["volumes"] if "persistentVolumeClaim" in v)
    assert claim["persistentVolumeClaim"] == {"claimName": "fragment-builds", "readOnly": True}
    fragment_names = {
        package.parent.name.removeprefix("mfe-")
        for package in ROOT.glob("mfe-*/package.json")
        if "fragment" in json.loads(package.read_text())
    }
    named = [o["metadata"]["name"] for o in items if o["metadata"]["name"] in fragment_names]
    assert fragment_names and named == []


def test_no_secret_values_are_committed_and_every_setting_is_a_real_one(built):
    items = objects(built)
    assert [o for o in items if o["kind"] == "Secret"] == []
    config = next(o for o in items if o["kind"] == "ConfigMap")
    assert sorted(set(config["data"]) - known_variables()) == []
    for key in config["data"]:
        assert "SECRET" not in key and "PASSWORD" not in key and key != "MONGODB_URI"


def test_the_production_overlay_pins_released_images_in_its_namespace():
    items = objects(kustomize("infra/k8s/overlays/production"))
    images = [
        o["spec"]["template"]["spec"]["containers"][0]["image"]
        for o in items
        if o["kind"] == "Deployment" and o["metadata"]["name"] != "redis"
    ]
    assert images and all(image.startswith("registry.example.com/farm/") for image in images)
    assert all(not image.endswith(":dev") for image in images)
    namespaced = [o for o in items if o["kind"] != "Namespace"]
    assert {o["metadata"]["namespace"] for o in namespaced} == {"farm-platform"}
