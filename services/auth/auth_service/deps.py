"""Named dependencies, so route signatures read like sentences."""

from typing import Annotated

from fastapi import Depends, Request

from auth_service.accounts import Context, current_active_user, current_admin, get_user_manager
from auth_service.manager import UserManager
from auth_service.models import User
from platform_common.pagination import CursorCodec

__all__ = ["AdminUser", "ClientAddress", "Context", "CurrentUser", "Cursors", "Manager"]


def client_address(request: Request) -> str:
    # The gateway's X-Forwarded-For is applied by the proxy-headers middleware.
    return request.client.host if request.client else "unknown"


def _cursors(context: Context) -> CursorCodec:
    return context.cursors


Manager = Annotated[UserManager, Depends(get_user_manager)]
CurrentUser = Annotated[User, Depends(current_active_user)]
AdminUser = Annotated[User, Depends(current_admin)]
ClientAddress = Annotated[str, Depends(client_address)]
Cursors = Annotated[CursorCodec, Depends(_cursors)]
