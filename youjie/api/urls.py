"""The /api/v1 NinjaAPI: mounts each app's router and maps errors in one place."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.http.response import HttpResponseBase
from django.urls import URLPattern, URLResolver
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.operation import Operation

from youjie.api.auth import API_AUTH
from youjie.core.errors import ApplicationError, validation_error_to_fields

_CHINESE = re.compile(r"[\u4e00-\u9fff]")


class _Api(NinjaAPI):
    """The NinjaAPI whose 405 speaks the error format too. ninja answers a method a path does
    not serve from its path view, with a bare ``Method not allowed`` that no exception handler
    sees; each route's view is wrapped here to answer it as every other error."""

    @property
    def urls(self) -> tuple[list[URLResolver | URLPattern], str, str]:
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = _method_not_allowed_as_error(pattern.callback)
        return patterns, app_name, namespace

    def get_openapi_operation_id(self, operation: Operation) -> str:
        """``<app>_api_<function>`` (ninja's default, its public hook for this), also when an
        app's ``api`` module became a package (``youjie.petitions.api.matters``): splitting a
        module by subject does not rename the operations clients were generated from."""
        module = operation.view_func.__module__
        head, separator, _rest = module.partition(".api.")
        if separator:
            module = f"{head}.api"
        return f"{module}_{operation.view_func.__name__}".replace(".", "_")


def _method_not_allowed_as_error(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    @functools.wraps(view)  # keeps csrf_exempt: the API checks CSRF in its session auth
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if not isinstance(response, HttpResponseNotAllowed):
            return response
        body = {"code": "http_405", "message": f"该地址不支持 {request.method} 请求"}
        answer = api.create_response(request, body, status=405)
        answer["Allow"] = response.get("Allow", "")
        return answer

    return wrapper


api = _Api(
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
        "string_unicode": "应为有效的 Unicode 文本",
        "int_from_float": "必须是整数",
        "int_parsing_size": "数值过大",
        "finite_number": "应为有限数值",
        "float_parsing": "应为数值",
        "float_type": "应为数值",
        "date_type": "日期格式应为 YYYY-MM-DD",
        "date_from_datetime_inexact": "日期格式应为 YYYY-MM-DD",
        "datetime_type": "时间格式不正确",
        "datetime_from_date_parsing": "时间格式不正确",
        "datetime_object_invalid": "时间格式不正确",
    }
    if kind == "value_error" and _CHINESE.search(message):
        # The project's own validators say what is wrong in Chinese (e.g. "不能包含空字符").
        return message.removeprefix("Value error, ")
    if kind in table:
        return table[kind]
    # Messages are for people, in Chinese; pydantic's English says nothing to them.
    return message if _CHINESE.search(message) else "取值无效"


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


@api.exception_handler(RequestDataTooBig)
def request_data_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    # Raised when ninja reads a body over DATA_UPLOAD_MAX_MEMORY_SIZE (below the 413 that
    # RequestSizeLimitMiddleware gives a whole request): the same answer, with this limit.
    kilobytes = int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE) // 1024
    limit = f"{kilobytes // 1024} MB" if kilobytes >= 1024 else f"{kilobytes} KB"
    body = {"code": "payload_too_large", "message": f"请求内容过大（上限 {limit}）"}
    return api.create_response(request, body, status=413)


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    body = {"code": "unauthenticated", "message": "需要有效的令牌或登录会话"}
    return api.create_response(request, body, status=401)


# ninja's own HttpErrors (a body it cannot parse, a session call without its CSRF token) say
# what went wrong in English.
_NINJA_MESSAGES = {
    400: "请求体无法解析：应为 UTF-8 编码的 JSON",
    403: "CSRF 校验失败：以登录会话调用接口须带 X-CSRFToken 请求头",
}


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    message = str(exc)
    if not _CHINESE.search(message):
        message = _NINJA_MESSAGES.get(exc.status_code, "请求无法处理")
    body = {"code": f"http_{exc.status_code}", "message": message}
    return api.create_response(request, body, status=exc.status_code)


def _mount() -> None:
    from youjie.analytics.api import router as analytics_router
    from youjie.courtcases.api import router as courtcases_router
    from youjie.desk.api import router as desk_router
    from youjie.fees.api import router as fees_router
    from youjie.filings.api import router as filings_router
    from youjie.inbound.api import router as inbound_router
    from youjie.mediation.api import router as mediation_router
    from youjie.orgs.api import router as orgs_router
    from youjie.people.api import router as people_router
    from youjie.petitions.api import router as petitions_router
    from youjie.workdays.api import router as workdays_router

    api.add_router("/orgs", orgs_router)
    api.add_router("/people", people_router)
    api.add_router("/courtcases", courtcases_router)
    api.add_router("/workdays", workdays_router)
    api.add_router("/desk", desk_router)
    api.add_router("/petitions", petitions_router)
    api.add_router("/inbound", inbound_router)
    api.add_router("/fees", fees_router)
    api.add_router("/filings", filings_router)
    api.add_router("/mediation", mediation_router)
    api.add_router("/analytics", analytics_router)


_mount()
