"""The fragment registry: fragments, their versions and rollout (service.py), the checks a
version must pass (checks.py), the manifest shells load (manifest.py), health reports and the
canary gate (health.py), local-override tokens (overrides.py) and the /fragments routes
(api.py)."""
