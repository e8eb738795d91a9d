"""Login, logout and the TOTP second factor for administrators and leaders."""

from __future__ import annotations

import math
from base64 import b32encode
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from youjie.orgs import services
from youjie.orgs.models import User


class TokenForm(forms.Form):
    token = forms.CharField(
        label="动态验证码",
        min_length=6,
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


def _check_username_length(form: AuthenticationForm) -> None:
    """Django's login form sets the username's max_length after the field is built, so no
    validator checks it: a 100,000-character name went on to authenticate() and django-axes'
    failed-login record (varchar(255): a 500 on PostgreSQL). It is refused here instead."""
    field = form.fields["username"]
    assert isinstance(field, forms.CharField) and field.max_length is not None
    field.validators.append(MaxLengthValidator(field.max_length))


class LoginForm(AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _check_username_length(self)


class AdminLoginForm(AdminAuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _check_username_length(self)


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True
    authentication_form = LoginForm


def _secret_text(device: TOTPDevice) -> str:
    """The secret as an authenticator app asks for it when typed: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[start : start + 4] for start in range(0, len(secret), 4))


def _throttled_message(device: TOTPDevice) -> str:
    """django-otp refuses any token for a while after a wrong one (1, 2, 4 … seconds): say so
    instead of calling a right token wrong."""
    allowed, details = device.verify_is_allowed()
    if allowed:
        return ""
    locked_until = (details or {}).get("locked_until")
    seconds = 1
    if locked_until is not None:
        seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
    return f"尝试过于频繁：为防止猜测，请在 {seconds} 秒后再试（期间输入的验证码不会被接受）。"


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """Verify a TOTP token; on first use, show the QR code (and the secret as text) to enrol an
    authenticator app."""
    user = request.user
    assert isinstance(user, User), "login_required guarantees a signed-in user"
    device, enrolling = services.totp_device_for(user=user)
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        throttled = _throttled_message(device)
        if throttled:
            form.add_error("token", throttled)
        elif device.verify_token(form.cleaned_data["token"].strip()):
            services.totp_device_confirm(device=device)
            otp_login(request, device)
            messages.success(request, "二次验证通过。")
            return redirect("home")
        else:
            form.add_error("token", "验证码不正确或已过期，请输入验证器中当前显示的6位数字。")
    context = {
        "form": form,
        "enrolling": enrolling,
        "qr_svg": services.totp_qr_data_uri(device=device) if enrolling else "",
        "secret_text": _secret_text(device) if enrolling else "",
        "issuer": settings.OTP_TOTP_ISSUER,
        "account": user.get_username(),
    }
    return render(request, "orgs/otp_verify.html", context)


logout_view = auth_views.LogoutView.as_view()
