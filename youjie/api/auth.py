"""API authentication: a bearer token for integrations, or the page session (with CSRF)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import APIKeyHeader, HttpBearer, SessionAuth

from youjie.orgs.middleware import requires_second_factor
from youjie.orgs.services import api_token_authenticate


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(key=token)
        if user is not None:
            request.user = user
        return user


class TokenHeaderAuth(APIKeyHeader):
    """Also accept ``X-API-Key: <token>`` for phone systems that cannot send a bearer."""

    param_name = "X-API-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if not key:
            return None
        user = api_token_authenticate(key=key)
        if user is not None:
            request.user = user
        return user


class StaffSessionAuth(SessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is None or getattr(user, "is_service_account", False):
            return None
        # Administrators and leaders use the API through a session only after the second factor.
        if requires_second_factor(user) and not user.is_verified():
            return None
        return user


API_AUTH = [TokenAuth(), TokenHeaderAuth(), StaffSessionAuth()]
