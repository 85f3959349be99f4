"""Key rotation housekeeping and the refresh-token sweep (FerretDB has no TTL index)."""

from datetime import UTC, datetime, timedelta

from auth_service.keys import KeyRing, generate_key, key_files, prune_keys
from auth_service.models import RefreshToken, utcnow
from auth_service.refresh import sweep_expired


def test_newest_key_signs_and_retired_keys_are_pruned_after_their_tokens_expire(tmp_path):
    start = datetime(2026, 1, 1, tzinfo=UTC)
    first = generate_key(tmp_path, now=start)
    second = generate_key(tmp_path, now=start + timedelta(days=30))
    ring = KeyRing.from_dir(tmp_path)
    assert [key.kid for key in ring.keys] == [ring.keys[0].kid, ring.active.kid]
    newest_first = [key["kid"] for key in ring.jwks()["keys"]]
    assert newest_first == [ring.active.kid, ring.keys[0].kid]

    just_rotated = start + timedelta(days=30, minutes=5)
    assert prune_keys(tmp_path, timedelta(minutes=16), now=just_rotated) == []
    later = start + timedelta(days=30, minutes=20)
    assert prune_keys(tmp_path, timedelta(minutes=16), now=later) == [first]
    assert key_files(tmp_path) == [second]
    assert prune_keys(tmp_path, timedelta(minutes=16), now=later + timedelta(days=365)) == []


def test_key_files_are_private(tmp_path):
    assert generate_key(tmp_path).stat().st_mode & 0o077 == 0


async def test_sweep_deletes_only_expired_refresh_tokens(client, accounts):
    await accounts.signed_in("una@example.io")
    await accounts.tokens("una@example.io")
    expired = await RefreshToken.find_one({})
    await expired.set({"expires_at": utcnow() - timedelta(minutes=1)})
    assert await sweep_expired() == 1
    assert await RefreshToken.find_all().count() == 1
    assert await RefreshToken.get(expired.id) is None
