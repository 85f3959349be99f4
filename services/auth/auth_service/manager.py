"""fastapi-users' user manager with this service's rules: password policy, roles kept in
step with the superuser flag, sessions revoked when an account changes hands, mail sent
for reset and verification."""

import asyncio
from typing import Any
from urllib.parse import urlencode

import jwt
from beanie import PydanticObjectId
from fastapi import Request
from fastapi.security import OAuth2PasswordRequestForm
from fastapi_users import BaseUserManager, InvalidPasswordException, exceptions, schemas
from fastapi_users.jwt import decode_jwt
from fastapi_users_db_beanie import ObjectIDIDMixin
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from pwdlib.hashers.bcrypt import BcryptHasher

from auth_service.errors import AuthErrorCode, auth_error
from auth_service.mail import Mailer
from auth_service.models import User, saved_id
from auth_service.password_rules import password_problem
from auth_service.passwords import OffLoopPasswordHelper
from auth_service.ratelimit import LoginThrottle, TooManyAttempts
from auth_service.refresh import RefreshTokens
from auth_service.settings import AuthSettings
from auth_service.users import UserDatabase

ADMIN_ROLE = "admin"
RESET_SUBJECT = "Reset your password"


def password_helper(settings: AuthSettings) -> OffLoopPasswordHelper:
    argon2 = Argon2Hasher(
        time_cost=settings.argon2_time_cost,
        memory_cost=settings.argon2_memory_kib,
        parallelism=settings.argon2_parallelism,
    )
    return OffLoopPasswordHelper(PasswordHash((argon2, BcryptHasher())))


def with_admin_flag(user: User, changes: dict[str, Any]) -> dict[str, Any]:
    """The "admin" role and fastapi-users' is_superuser flag always agree; whichever the
    change names wins."""
    if "roles" in changes:
        roles = list(dict.fromkeys(changes["roles"]))
        return {**changes, "roles": roles, "is_superuser": ADMIN_ROLE in roles}
    if "is_superuser" in changes:
        others = [role for role in user.roles if role != ADMIN_ROLE]
        return {**changes, "roles": [*others, ADMIN_ROLE] if changes["is_superuser"] else others}
    return changes


class UserManager(ObjectIDIDMixin, BaseUserManager[User, PydanticObjectId]):
    """fastapi-users hashes and checks passwords synchronously on the event loop; the
    overrides of create, _update, forgot_password and reset_password compute that argon2
    work in a worker thread first and hand fastapi-users the result (see passwords.py)."""

    password_helper: OffLoopPasswordHelper

    def __init__(
        self,
        user_db: UserDatabase,
        *,
        settings: AuthSettings,
        passwords: OffLoopPasswordHelper,
        link_secret: str,
        mailer: Mailer,
        refresh_tokens: RefreshTokens,
        login_throttle: LoginThrottle,
    ) -> None:
        super().__init__(user_db, passwords)
        self.login_throttle = login_throttle
        self.settings = settings
        self.reset_password_token_secret = link_secret
        self.verification_token_secret = link_secret
        self.mailer = mailer
        self.refresh_tokens = refresh_tokens

    async def validate_password(self, password: str, user: schemas.UC | User) -> None:
        """fastapi-users calls this on sign-up, reset and change alike."""
        problem = password_problem(
            password,
            email=user.email,
            name=getattr(user, "full_name", None),
            min_length=self.settings.password_min_length,
            min_score=self.settings.password_min_score,
        )
        if problem:
            raise InvalidPasswordException(problem)

    async def update(
        self,
        user_update: schemas.UU,
        user: User,
        safe: bool = False,
        request: Request | None = None,
    ) -> User:
        """`safe` is a user changing their own account (admins change others' unsafely)."""
        if safe:
            await self._confirm_owner(user_update, user, request)
        previous_email = user.email
        updated = await super().update(user_update, user, safe, request)
        if updated.email != previous_email:
            await self._reverify_email(previous_email, updated)
        return updated

    async def _confirm_owner(
        self, user_update: schemas.UU, user: User, request: Request | None
    ) -> None:
        """A stolen access token alone must not take the account over: changing the
        e-mail or the password needs the current password, with sign-in's brute-force
        limits."""
        changes = user_update.create_update_dict()
        if "password" not in changes and changes.get("email", user.email) == user.email:
            return
        current = getattr(user_update, "current_password", None)
        if not current:
            raise auth_error(
                400,
                AuthErrorCode.CURRENT_PASSWORD_REQUIRED,
                "Give your current password to change your e-mail address or password",
            )
        address = request.client.host if request and request.client else "unknown"
        try:
            await self.login_throttle.attempt(user.email, address)
        except TooManyAttempts as limited:
            raise auth_error(
                429,
                AuthErrorCode.LOGIN_TOO_MANY_ATTEMPTS,
                "Too many wrong passwords; try again later",
                headers={"Retry-After": str(limited.retry_after_s)},
            ) from None
        verified, _ = await asyncio.to_thread(
            self.password_helper.verify_and_update, current, user.hashed_password
        )
        if not verified:
            await self.login_throttle.failed(address)
            raise auth_error(
                400, AuthErrorCode.CURRENT_PASSWORD_INVALID, "The current password is not right"
            )
        await self.login_throttle.succeeded(user.email)

    async def _reverify_email(self, previous_email: str, user: User) -> None:
        """fastapi-users marked the account unverified; the new address gets a link to
        confirm it, the old one a notice (in case the change was not its owner's)."""
        self.mailer.send_later(
            previous_email,
            "Your e-mail address was changed",
            "The e-mail address of your account was just changed, and mail now goes to the "
            "new address.\n\nIf it was not you, contact an administrator right away.\n",
        )
        await self.request_verify(user)

    async def authenticate(self, credentials: OAuth2PasswordRequestForm) -> User | None:
        """fastapi-users' rules (an unknown e-mail costs one hash too, so both failures
        take the same time), with the hashing off the event loop."""
        try:
            user = await self.get_by_email(credentials.username)
        except exceptions.UserNotExists:
            await asyncio.to_thread(self.password_helper.hash, credentials.password)
            return None
        verified, new_hash = await asyncio.to_thread(
            self.password_helper.verify_and_update, credentials.password, user.hashed_password
        )
        if not verified:
            return None
        if new_hash is not None:
            await self.user_db.update(user, {"hashed_password": new_hash})
        return user

    async def create(
        self, user_create: schemas.UC, safe: bool = False, request: Request | None = None
    ) -> User:
        # Validated first so that a refused password costs no hash.
        await self.validate_password(user_create.password, user_create)
        async with self.password_helper.hashed(user_create.password):
            return await super().create(user_create, safe, request)

    async def _update(self, user: User, update_dict: dict[str, Any]) -> User:
        changes = with_admin_flag(user, update_dict)
        password = changes.get("password")
        if password is None:
            return await super()._update(user, changes)
        await self.validate_password(password, user)
        async with self.password_helper.hashed(password):
            return await super()._update(user, changes)

    async def forgot_password(self, user: User, request: Request | None = None) -> None:
        """Makes the reset token and mails it after the answer: the token carries a hash of
        the stored hash (fastapi-users' fingerprint), one argon2 run that an address
        without an account would not cost, so its timing would tell which addresses exist."""
        if not user.is_active:
            raise exceptions.UserInactive()
        self.mailer.later(RESET_SUBJECT, self._mail_reset_token(user))

    async def _mail_reset_token(self, user: User) -> None:
        async with self.password_helper.hashed(user.hashed_password):
            await super().forgot_password(user)

    async def reset_password(
        self, token: str, password: str, request: Request | None = None
    ) -> User:
        subject = await self._reset_subject(token)
        if subject is None:  # fastapi-users refuses the token with its own error
            return await super().reset_password(token, password, request)
        user, fingerprint = subject
        async with self.password_helper.verified(user.hashed_password, fingerprint):
            return await super().reset_password(token, password, request)

    async def _reset_subject(self, token: str) -> tuple[User, str] | None:
        """The user a reset token names and its password fingerprint, or None when
        fastapi-users would refuse the token before checking the fingerprint."""
        try:
            data = decode_jwt(
                token, self.reset_password_token_secret, [self.reset_password_token_audience]
            )
            user = await self.get(self.parse_id(data["sub"]))
        except (jwt.PyJWTError, KeyError, exceptions.InvalidID, exceptions.UserNotExists):
            return None
        fingerprint = data.get("password_fgpt")
        return (user, fingerprint) if isinstance(fingerprint, str) else None

    async def on_after_update(
        self, user: User, update_dict: dict[str, Any], request: Request | None = None
    ) -> None:
        if update_dict.get("is_active") is False or "password" in update_dict:
            await self.refresh_tokens.revoke_user(saved_id(user))

    async def on_after_reset_password(self, user: User, request: Request | None = None) -> None:
        await self.refresh_tokens.revoke_user(saved_id(user))

    async def on_after_delete(self, user: User, request: Request | None = None) -> None:
        await self.refresh_tokens.revoke_user(saved_id(user))

    async def on_after_forgot_password(
        self, user: User, token: str, request: Request | None = None
    ) -> None:
        # Called in the background by _mail_reset_token, so it sends right away.
        link = self._link("reset-password", token)
        await self.mailer.send(
            user.email,
            RESET_SUBJECT,
            "Someone asked to reset the password of your account.\n\n"
            f"Choose a new password here: {link}\n\n"
            f"Or send this token to POST /api/auth/reset-password:\n{token}\n\n"
            "If it was not you, ignore this mail; your password stays as it is.\n",
        )

    async def on_after_request_verify(
        self, user: User, token: str, request: Request | None = None
    ) -> None:
        link = self._link("verify", token)
        self.mailer.send_later(
            user.email,
            "Confirm your e-mail address",
            f"Confirm your address here: {link}\n\n"
            f"Or send this token to POST /api/auth/verify:\n{token}\n",
        )

    def _link(self, page: str, token: str) -> str:
        return f"{self.settings.public_url.rstrip('/')}/{page}?{urlencode({'token': token})}"
