"""Who an admin's override is for: a known, active user (auth's principal check, as for
project members) and that user's e-mail for the audit trail. core-api keeps no e-mails, so it
asks the auth service's admin user list (`GET /users?ids=<id>`) with the admin caller's own
access token: it learns nothing the admin could not read for themselves."""

from dataclasses import dataclass

import httpx
from fastapi import status
from pydantic import BaseModel, ValidationError

from core_api.principals import PrincipalChecker, PrincipalsUnavailable
from core_api.registry.errors import RegistryCode, not_found, registry_error

LOOKUP_TIMEOUT_S = 5.0


class _User(BaseModel):
    id: str
    email: str


class _UserPage(BaseModel):
    items: list[_User]


@dataclass(frozen=True)
class UserDirectory:
    principals: PrincipalChecker
    http: httpx.AsyncClient
    users_url: str
    # The caller's access token: the e-mail is read with the admin's own rights.
    bearer: str

    async def email_of_active_user(self, user_id: str) -> str:
        """404 for an unknown or deactivated user or a service account (no shell to load an
        override in); 503 when the auth service cannot say."""
        try:
            known = not user_id.startswith("client:") and await self.principals.is_active(user_id)
        except PrincipalsUnavailable as error:
            raise _unavailable() from error
        if not known:
            raise _unknown(user_id)
        return await self._email_of(user_id)

    async def _email_of(self, user_id: str) -> str:
        try:
            response = await self.http.get(
                self.users_url,
                params={"ids": user_id},
                headers={"Authorization": f"Bearer {self.bearer}"},
                timeout=LOOKUP_TIMEOUT_S,
            )
            response.raise_for_status()
            page = _UserPage.model_validate_json(response.content)
        except (httpx.HTTPError, ValidationError) as error:
            raise _unavailable() from error
        emails = [user.email for user in page.items if user.id == user_id]
        if not emails:
            raise _unknown(user_id)
        return emails[0]


def _unavailable() -> Exception:
    return registry_error(
        status.HTTP_503_SERVICE_UNAVAILABLE,
        RegistryCode.OVERRIDE_SUBJECT_CHECK_UNAVAILABLE,
        "The auth service could not confirm the user: try again",
    )


def _unknown(user_id: str) -> Exception:
    return not_found(
        RegistryCode.OVERRIDE_SUBJECT_UNKNOWN, f"{user_id!r} is not a known, active user"
    )
