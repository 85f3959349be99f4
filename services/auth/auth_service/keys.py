"""Signing keys: loading, generating, rotating, and publishing them as a JWKS.

A key ring holds every key still published; the newest signs. Keys live as PEM files named
`key-<UTC timestamp>.pem` in a folder (sorted by name = by age), or come as concatenated PEMs
in one setting. Rotation = generate a new key (it signs from the next reload on) and, once
the tokens signed by the old one have expired, prune it. The `kid` is the key's RFC 7638
thumbprint, so it never depends on file names.
"""

import base64
import functools
import hashlib
import itertools
import json
import os
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

ALGORITHM = "RS256"
KEY_BITS = 2048
LINK_SECRET_FILE = Path("link-secret")
_KEY_FILE = re.compile(r"^key-(\d{8}T\d{6}\d{6}Z)\.pem$")
_TIMESTAMP = "%Y%m%dT%H%M%S%fZ"


class KeysMissingError(RuntimeError):
    """No signing key is configured (the service refuses to start outside development)."""


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_key: rsa.RSAPrivateKey

    @staticmethod
    @functools.lru_cache(maxsize=32)
    def from_pem(pem: bytes) -> "SigningKey":
        # Cached: a reload rereads every key file, and loading one runs cryptography's RSA
        # consistency check (~70 ms a key), which the same bytes need not pass twice.
        key = serialization.load_pem_private_key(pem, password=None)
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ValueError("signing keys must be RSA private keys")
        return SigningKey(kid=thumbprint(key.public_key()), private_key=key)

    def public_jwk(self) -> dict[str, Any]:
        jwk = json.loads(RSAAlgorithm.to_jwk(self.private_key.public_key()))
        return {**jwk, "kid": self.kid, "alg": ALGORITHM, "use": "sig"}


def thumbprint(public_key: rsa.RSAPublicKey) -> str:
    """RFC 7638: base64url(sha256) of the required members, sorted, without spaces."""
    jwk = json.loads(RSAAlgorithm.to_jwk(public_key))
    canonical = json.dumps({k: jwk[k] for k in ("e", "kty", "n")}, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class KeyRing:
    """The published keys, oldest first; the last one signs."""

    def __init__(self, keys: list[SigningKey]) -> None:
        if not keys:
            raise KeysMissingError("no signing key")
        self.keys = keys
        self._by_kid = {key.kid: key for key in keys}

    @property
    def active(self) -> SigningKey:
        return self.keys[-1]

    def public_key(self, kid: str) -> rsa.RSAPublicKey | None:
        key = self._by_kid.get(kid)
        return key.private_key.public_key() if key else None

    def jwks(self) -> dict[str, Any]:
        return {"keys": [key.public_jwk() for key in reversed(self.keys)]}

    @classmethod
    def from_pems(cls, text: str) -> "KeyRing":
        blocks = re.findall(
            r"-----BEGIN [A-Z ]*PRIVATE KEY-----.+?-----END [A-Z ]*PRIVATE KEY-----", text, re.S
        )
        return cls([SigningKey.from_pem(block.encode()) for block in blocks])

    @classmethod
    def from_dir(cls, keys_dir: Path) -> "KeyRing":
        return cls([SigningKey.from_pem(path.read_bytes()) for path in key_files(keys_dir)])


def key_files(keys_dir: Path) -> list[Path]:
    """The key files in keys_dir, oldest first."""
    if not keys_dir.is_dir():
        return []
    return sorted(path for path in keys_dir.iterdir() if _KEY_FILE.match(path.name))


def key_created_at(path: Path) -> datetime:
    match = _KEY_FILE.match(path.name)
    if not match:
        raise ValueError(f"not a key file name: {path.name}")
    return datetime.strptime(match.group(1), _TIMESTAMP).replace(tzinfo=UTC)


def _write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)


def generate_key(keys_dir: Path, now: datetime | None = None) -> Path:
    """Writes a new RSA key that becomes the active one (the newest file)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path = keys_dir / f"key-{(now or datetime.now(UTC)).strftime(_TIMESTAMP)}.pem"
    _write_private(path, pem)
    return path


def prune_keys(keys_dir: Path, retire_after: timedelta, now: datetime | None = None) -> list[Path]:
    """Deletes the keys superseded longer than `retire_after` ago (tokens they signed have
    expired by then); the active key always stays."""
    now = now or datetime.now(UTC)
    files = key_files(keys_dir)
    removed = []
    for older, newer in itertools.pairwise(files):
        if now - key_created_at(newer) > retire_after:
            older.unlink()
            removed.append(older)
    return removed


def ensure_link_secret(keys_dir: Path) -> str:
    path = keys_dir / LINK_SECRET_FILE
    if not path.exists():
        _write_private(path, secrets.token_urlsafe(48).encode())
    return path.read_text().strip()


def read_link_secret(keys_dir: Path) -> str | None:
    path = keys_dir / LINK_SECRET_FILE
    return path.read_text().strip() if path.exists() else None


class KeySource:
    """Where the ring comes from, and reloading it when the folder changes (rotation)."""

    def __init__(self, keys_dir: Path, pems: str | None) -> None:
        self.keys_dir = keys_dir
        self.pems = pems
        self._seen = self._fingerprint()
        self.ring = self._load()

    def _load(self) -> KeyRing:
        if self.pems:
            return KeyRing.from_pems(self.pems)
        return KeyRing.from_dir(self.keys_dir)

    def _fingerprint(self) -> tuple[str, ...]:
        return () if self.pems else tuple(path.name for path in key_files(self.keys_dir))

    def reload_if_changed(self) -> bool:
        seen = self._fingerprint()
        if seen == self._seen:
            return False
        self.ring = self._load()
        self._seen = seen
        return True
