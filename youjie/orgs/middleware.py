"""Administrators and court leaders must pass a TOTP second factor before using the site."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from youjie.core.viewers import Viewer
from youjie.orgs.models import User

EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz", "/api/", "/portal/", "/favicon")


def requires_second_factor(user: Viewer) -> bool:
    if not settings.YOUJIE_OTP_ENFORCED or not isinstance(user, User):
        return False
    return user.has_role(*settings.YOUJIE_REQUIRE_OTP_FOR)


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            requires_second_factor(user)
            and not user.is_verified()  # type: ignore[union-attr]
            and not request.path.startswith(EXEMPT_PREFIXES)
        ):
            return redirect("otp_verify")
        return self.get_response(request)
