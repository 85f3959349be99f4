"""fastapi-users, wired in: its user manager, its bearer authentication with our own token
strategy, its routers. Nothing else imports fastapi-users' authentication, so it can be
replaced here without changing the API."""

from collections.abc import AsyncIterator
from typing import Annotated

from beanie import PydanticObjectId
from fastapi import Depends, Request
from fastapi_users import FastAPIUsers, exceptions
from fastapi_users.authentication import AuthenticationBackend, BearerTransport
from fastapi_users.authentication.strategy import StrategyDestroyNotSupportedError

from auth_service.context import AuthContext
from auth_service.manager import UserManager
from auth_service.models import User
from auth_service.revocation import Revocations
from auth_service.tokens import CLIENT_SUBJECT_PREFIX, AccessTokens
from auth_service.users import UserDatabase
from platform_common.tokens import InvalidTokenError


def get_context(request: Request) -> AuthContext:
    context: AuthContext = request.app.state.auth
    return context


Context = Annotated[AuthContext, Depends(get_context)]


async def get_user_db() -> AsyncIterator[UserDatabase]:
    yield UserDatabase(User)


def user_manager(context: AuthContext, user_db: UserDatabase | None = None) -> UserManager:
    return UserManager(
        user_db or UserDatabase(User),
        settings=context.settings,
        passwords=context.passwords,
        link_secret=context.link_secret,
        mailer=context.mailer,
        refresh_tokens=context.refresh_tokens,
        login_throttle=context.login_throttle,
    )


async def get_user_manager(
    context: Context, user_db: Annotated[UserDatabase, Depends(get_user_db)]
) -> AsyncIterator[UserManager]:
    yield user_manager(context, user_db)


class AccessTokenStrategy:
    """fastapi-users' Strategy protocol over our RS256 access tokens. Service-account
    tokens name no user, so they do not authenticate user routes."""

    def __init__(self, tokens: AccessTokens, revocations: Revocations) -> None:
        self.tokens = tokens
        self.revocations = revocations

    async def read_token(self, token: str | None, user_manager: UserManager) -> User | None:
        if token is None:
            return None
        try:
            claims = self.tokens.verify(token)
        except InvalidTokenError:
            return None
        subject = str(claims["sub"])
        if await self.revocations.revoked(claims):
            return None
        if subject.startswith(CLIENT_SUBJECT_PREFIX):
            return None
        try:
            return await user_manager.get(user_manager.parse_id(subject))
        except (exceptions.UserNotExists, exceptions.InvalidID):
            return None

    async def write_token(self, user: User) -> str:
        return self.tokens.issue(str(user.id), user.roles, user.email).token

    async def destroy_token(self, token: str, user: User) -> None:
        raise StrategyDestroyNotSupportedError


def get_strategy(context: Context) -> AccessTokenStrategy:
    return AccessTokenStrategy(context.access_tokens, context.revocations)


bearer_backend = AuthenticationBackend[User, PydanticObjectId](
    name="jwt",
    transport=BearerTransport(tokenUrl="jwt/login"),
    get_strategy=get_strategy,  # type: ignore[arg-type]
)
fastapi_users = FastAPIUsers[User, PydanticObjectId](get_user_manager, [bearer_backend])
current_active_user = fastapi_users.current_user(active=True)
current_admin = fastapi_users.current_user(active=True, superuser=True)
