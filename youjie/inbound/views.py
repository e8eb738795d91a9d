"""The WeChat official-account callback (DESIGN flow 3): a plain view, no login, no CSRF.

WeChat authenticates itself with the signature (and, in safe mode, the encrypted body), not a
session, so CSRF does not apply. Whatever arrives, the answer is a status code or a passive reply;
nothing a sender types can cause a 500.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from youjie.core.errors import ValidationFailed
from youjie.inbound import services, wechat

logger = logging.getLogger("youjie.inbound")

REPLY_REGISTERED = "您的诉求已登记，编号{number}，可凭编号和手机号查询进度。"
REPLY_NEEDS_MOBILE = "（查询进度需提供手机号码：请在留言中写明您的手机号。）"
REPLY_NOT_TEXT = "您好，本公众号目前只能受理文字留言。请用文字写明您的诉求或案号，我们会尽快处理。"
REPLY_EMPTY = "您好，请用文字写明您的诉求或案号，我们会尽快处理。"
REPLY_UNAVAILABLE = "您好，留言暂时无法登记，请稍后再试或拨打诉讼服务热线12368。"


def _text(body: str, status: int) -> HttpResponse:
    return HttpResponse(body, status=status, content_type="text/plain; charset=utf-8")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def wechat_callback(request: HttpRequest) -> HttpResponse:
    try:
        config = wechat.config_from_settings()
    except wechat.Disabled:
        return _text("未启用微信公众号接入", 404)
    except wechat.NotConfigured as exc:
        logger.error("wechat callback misconfigured: %s", exc)
        return _text("微信公众号接入配置有误", 503)
    if request.method == "GET":
        try:
            return _text(wechat.echo_verify(config, request.GET), 200)
        except wechat.BadSignature:
            return _text("签名无效", 403)
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if not (declared.isascii() and declared.isdigit()):  # "²".isdigit() is true too
        return _text("Content-Length 无效", 400)
    digits = declared.lstrip("0") or "0"  # int() refuses 4,300+ digits: compare lengths first
    if len(digits) > len(str(wechat.MAX_BODY_BYTES)) or int(digits) > wechat.MAX_BODY_BYTES:
        return _text("请求体过大", 413)
    body = request.read(wechat.MAX_BODY_BYTES + 1)
    if len(body) > wechat.MAX_BODY_BYTES:
        return _text("请求体过大", 413)
    try:
        incoming = wechat.message_open(config, query=request.GET, body=body)
        msg_id = incoming.dedupe_key()
    except wechat.BadSignature as exc:
        logger.warning("wechat callback refused: %s", exc)
        return _text("签名无效", 403)
    except wechat.BadMessage as exc:
        logger.warning("wechat callback unreadable: %s", exc)
        return _text("消息格式无效", 400)
    reply = _reply_for(incoming, msg_id=msg_id, court_code=config.court_code)
    return HttpResponse(
        wechat.reply_render(config, incoming, reply), content_type="application/xml; charset=utf-8"
    )


def _reply_for(incoming: wechat.Incoming, *, msg_id: str, court_code: str) -> str:
    text = incoming.text
    if text is None:
        return REPLY_NOT_TEXT
    if not text.strip():
        return REPLY_EMPTY
    try:
        intake = services.wechat_message_record(
            msg_id=msg_id, openid=incoming.openid, text=text, court_code=court_code
        )
    except ValidationFailed as exc:
        logger.warning("wechat message %s not registered: %s %s", msg_id, exc.code, exc.fields)
        return REPLY_UNAVAILABLE
    reply = REPLY_REGISTERED.format(number=intake.service_request.number)
    return reply if intake.mobile_given else reply + REPLY_NEEDS_MOBILE
