"""The /api/v1 NinjaAPI: mounts each app's router and maps errors in one place."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from youjie.api.auth import API_AUTH
from youjie.core.errors import ApplicationError, validation_error_to_fields

api = NinjaAPI(
    title="有解 API",
    version="1.0.0",
    description=(
        "youjie (有解) 接口。集成系统使用管理员创建的令牌（Authorization: Bearer yj_…），"
        "令牌绑定机构范围；页面会话亦可调用。错误统一为 {code, message, fields}。"
    ),
    auth=API_AUTH,
    urls_namespace="api",
)


def _ninja_fields(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    skip = {"body", "query", "path", "payload", "header", "form", "file"}
    for error in errors:
        location: list[Any] = list(error.get("loc", []))
        # Drop only the leading source markers ("body", "payload"): a field may be named "body".
        while location and location[0] in skip:
            location.pop(0)
        parts = [str(part) for part in location]
        key = ".".join(parts) or "__all__"
        message = _translate(str(error.get("msg", "")), str(error.get("type", "")))
        fields.setdefault(key, []).append(message)
    return fields


def _translate(message: str, kind: str) -> str:
    table = {
        "missing": "此项为必填项",
        "string_too_long": "内容过长",
        "string_too_short": "内容过短",
        "int_parsing": "必须是整数",
        "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
        "date_parsing": "日期格式应为 YYYY-MM-DD",
        "datetime_parsing": "时间格式不正确",
        "greater_than_equal": "数值过小",
        "less_than_equal": "数值过大",
        "literal_error": "取值不在允许范围内",
        "enum": "取值不在允许范围内",
        "json_invalid": "请求体不是合法的 JSON",
        "string_type": "应为文本",
        "int_type": "应为整数",
        "bool_type": "应为布尔值",
        "bool_parsing": "应为布尔值",
        "value_error": "取值无效",
        "model_attributes_type": "格式不正确",
        "dict_type": "格式不正确",
        "list_type": "应为列表",
        "extra_forbidden": "不允许的字段",
        "timezone_aware": "时间必须带时区",
    }
    return table.get(kind, message)


@api.exception_handler(ApplicationError)
def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status_code)


@api.exception_handler(DjangoValidationError)
def django_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    body = {
        "code": "validation_failed",
        "message": "输入有误",
        "fields": validation_error_to_fields(exc),
    }
    return api.create_response(request, body, status=422)


@api.exception_handler(NinjaValidationError)
def ninja_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    body = {"code": "validation_failed", "message": "输入有误", "fields": _ninja_fields(exc.errors)}
    return api.create_response(request, body, status=422)


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    body = {"code": "unauthenticated", "message": "需要有效的令牌或登录会话"}
    return api.create_response(request, body, status=401)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    body = {"code": f"http_{exc.status_code}", "message": str(exc)}
    return api.create_response(request, body, status=exc.status_code)


def _mount() -> None:
    from youjie.courtcases.api import router as courtcases_router
    from youjie.desk.api import router as desk_router
    from youjie.inbound.api import router as inbound_router
    from youjie.orgs.api import router as orgs_router
    from youjie.people.api import router as people_router
    from youjie.workdays.api import router as workdays_router

    api.add_router("/orgs", orgs_router)
    api.add_router("/people", people_router)
    api.add_router("/courtcases", courtcases_router)
    api.add_router("/workdays", workdays_router)
    api.add_router("/desk", desk_router)
    api.add_router("/inbound", inbound_router)


_mount()
