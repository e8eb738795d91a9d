"""Login, logout and the TOTP second factor for administrators and leaders."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django_otp import login as otp_login

from youjie.orgs import services


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


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """Verify a TOTP token; on first use, show the QR code to enrol an authenticator app."""
    user = request.user
    device, enrolling = services.totp_device_for(user=user)  # type: ignore[arg-type]
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            services.totp_device_confirm(device=device)
            otp_login(request, device)
            messages.success(request, "二次验证通过。")
            return redirect("home")
        form.add_error("token", "验证码不正确或已过期，请输入验证器中当前显示的6位数字。")
    context = {
        "form": form,
        "enrolling": enrolling,
        "qr_svg": services.totp_qr_data_uri(device=device) if enrolling else "",
    }
    return render(request, "orgs/otp_verify.html", context)


logout_view = auth_views.LogoutView.as_view()
