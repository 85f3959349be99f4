"""What the routes share for one app: keys, token issuers, mail, limits. Built once by the
app factory (and by the CLI) from settings, kept on `app.state.auth`."""

import hashlib
import hmac
from dataclasses import dataclass

from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string

from auth_service.keys import (
    KeysMissingError,
    KeySource,
    ensure_link_secret,
    generate_key,
    key_files,
    read_link_secret,
)
from auth_service.mail import Mailer
from auth_service.manager import password_helper
from auth_service.passwords import OffLoopPasswordHelper
from auth_service.ratelimit import FailureCounter, LoginThrottle
from auth_service.refresh import RefreshTokens
from auth_service.revocation import Revocations
from auth_service.settings import AuthSettings
from auth_service.tokens import AccessTokens
from platform_common.pagination import CursorCodec


@dataclass
class AuthContext:
    settings: AuthSettings
    keys: KeySource
    access_tokens: AccessTokens
    refresh_tokens: RefreshTokens
    revocations: Revocations
    passwords: OffLoopPasswordHelper
    link_secret: str
    cursors: CursorCodec
    mailer: Mailer
    login_throttle: LoginThrottle
    client_failures: FailureCounter
    directory_lookups: FailureCounter
    email_lookups: FailureCounter


def load_keys(settings: AuthSettings) -> KeySource:
    """The configured keys; in development a missing key is generated into keys_dir (kept
    there, so restarts keep the tokens valid). Elsewhere no key means no start."""
    pems = settings.signing_keys.get_secret_value() if settings.signing_keys else None
    if not pems and not key_files(settings.keys_dir):
        if not settings.is_development:
            raise KeysMissingError(
                f"no signing key: set AUTH_SIGNING_KEYS or put keys in {settings.keys_dir} "
                "(python -m auth_service.cli generate-key)"
            )
        generate_key(settings.keys_dir)
    return KeySource(settings.keys_dir, pems)


def load_link_secret(settings: AuthSettings) -> str:
    if settings.link_token_secret:
        return settings.link_token_secret.get_secret_value()
    if secret := read_link_secret(settings.keys_dir):
        return secret
    if not settings.is_development:
        raise KeysMissingError(
            "no secret for reset/verify links: set AUTH_LINK_TOKEN_SECRET "
            f"or create {settings.keys_dir}/link-secret"
        )
    return ensure_link_secret(settings.keys_dir)


def cursor_codec(link_secret: str) -> CursorCodec:
    """List cursors are signed with a key derived from the link secret: no further secret to
    deploy and share between processes, and a cursor can never pass for a link token."""
    key = hmac.new(link_secret.encode(), b"list cursors", hashlib.sha256).hexdigest()
    return CursorCodec(key)


def build_context(settings: AuthSettings) -> AuthContext:
    keys = load_keys(settings)
    link_secret = load_link_secret(settings)
    limiter = MovingWindowRateLimiter(storage_from_string(settings.rate_limit_storage))
    revocations = Revocations(settings.access_token_lifetime_s, settings.revocation_redis_url)
    return AuthContext(
        settings=settings,
        keys=keys,
        access_tokens=AccessTokens(
            lambda: keys.ring,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            lifetime_s=settings.access_token_lifetime_s,
        ),
        refresh_tokens=RefreshTokens(settings.refresh_token_lifetime_s, revocations),
        revocations=revocations,
        passwords=password_helper(settings),
        link_secret=link_secret,
        cursors=cursor_codec(link_secret),
        mailer=Mailer(settings),
        login_throttle=LoginThrottle(
            limiter,
            account_limit=settings.login_account_limit,
            address_limit=settings.login_address_limit,
        ),
        client_failures=FailureCounter(limiter, settings.client_address_limit, "client-address"),
        directory_lookups=FailureCounter(limiter, settings.directory_lookup_limit, "directory"),
        email_lookups=FailureCounter(limiter, settings.email_lookup_limit, "email-lookup"),
    )
