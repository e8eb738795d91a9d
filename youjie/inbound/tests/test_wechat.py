"""The WeChat official-account callback (DESIGN flow 3), with real signed and encrypted XML.

Messages are built and the replies read with wechatpy's own crypto — the real protocol.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlencode

import pytest
import xmltodict  # type: ignore[import-untyped]
from django.test import Client
from wechatpy.crypto import WeChatCrypto
from wechatpy.utils import WeChatSigner

from youjie.core.models import Event
from youjie.desk import selectors as desk_selectors
from youjie.desk.models import ServiceRequest
from youjie.inbound.models import WeChatMessage
from youjie.inbound.parsing import case_number_find, mobile_find
from youjie.notifications.models import Notification
from youjie.orgs.models import OrgUnit

from .conftest import WECHAT_AES_KEY, WECHAT_APPID, WECHAT_TOKEN

URL = "/inbound/wechat/"
OPENID = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"
ACCOUNT = "gh_1234567890ab"
FLOW_3_TEXT = "请问（2026）内0206民初123号案件什么时候开庭？我的电话13812345678"
pytestmark = pytest.mark.django_db


def signature(token: str, timestamp: str, nonce: str, *extra: str) -> str:
    signer = WeChatSigner()
    signer.add_data(token, timestamp, nonce, *extra)
    return str(signer.signature)


def message_xml(
    *, text: str = FLOW_3_TEXT, msg_id: int = 6054768590064713728, kind: str = "text"
) -> str:
    body = (
        f"<Content><![CDATA[{text}]]></Content>"
        if kind == "text"
        else (
            "<PicUrl><![CDATA[http://example.invalid/p.jpg]]></PicUrl><MediaId><![CDATA[m1]]></MediaId>"
        )
    )
    return (
        f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName>"
        f"<FromUserName><![CDATA[{OPENID}]]></FromUserName>"
        f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[{kind}]]></MsgType>"
        f"{body}<MsgId>{msg_id}</MsgId></xml>"
    )


def plain_post(xml: str | bytes, *, token: str = WECHAT_TOKEN, timestamp: str | None = None) -> Any:
    timestamp = timestamp or str(int(time.time()))
    nonce = "n0nce123"
    query = {
        "signature": signature(token, timestamp, nonce),
        "timestamp": timestamp,
        "nonce": nonce,
        "openid": OPENID,
    }
    data = xml if isinstance(xml, bytes) else xml.encode("utf-8")
    return Client().post(f"{URL}?{urlencode(query)}", data=data, content_type="text/xml")


def encrypted_post(xml: str, *, tamper: bool = False) -> tuple[Any, WeChatCrypto]:
    crypto = WeChatCrypto(WECHAT_TOKEN, WECHAT_AES_KEY, WECHAT_APPID)
    timestamp = str(int(time.time()))
    nonce = "1320562132"
    sealed = xmltodict.parse(crypto.encrypt_message(xml, nonce, timestamp))["xml"]
    encrypt = sealed["Encrypt"]
    body = (
        f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName>"
        f"<Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
    )
    query = {
        "signature": signature(WECHAT_TOKEN, timestamp, nonce),
        "timestamp": timestamp,
        "nonce": nonce,
        "openid": OPENID,
        "encrypt_type": "aes",
        "msg_signature": sealed["MsgSignature"] if not tamper else "0" * 40,
    }
    response = Client().post(
        f"{URL}?{urlencode(query)}", data=body.encode(), content_type="text/xml"
    )
    return response, crypto


def read_reply(response: Any, crypto: WeChatCrypto | None = None) -> dict[str, Any]:
    assert response.status_code == 200, response.content
    xml = response.content.decode()
    if crypto is not None:
        sealed = xmltodict.parse(xml)["xml"]
        xml = crypto.decrypt_message(
            xml, sealed["MsgSignature"], sealed["TimeStamp"], sealed["Nonce"]
        )
    return dict(xmltodict.parse(xml)["xml"])


def test_flow_3_encrypted_case_query_is_routed_to_the_judge_and_trackable(
    wechat_safe, judge, civil_case, matter_types
):
    response, crypto = encrypted_post(message_xml())
    assert b"<Encrypt>" in response.content and "已登记".encode() not in response.content
    reply = read_reply(response, crypto)
    assert reply["ToUserName"] == OPENID and reply["FromUserName"] == ACCOUNT
    assert reply["MsgType"] == "text"
    request = ServiceRequest.objects.get()
    assert request.number.encode() not in response.content  # the reply travels encrypted
    assert reply["Content"] == f"您的诉求已登记，编号{request.number}，可凭编号和手机号查询进度。"
    assert request.channel == "wechat" and request.matter_type.code == "case_query"
    assert request.related_case == civil_case
    assert request.status == "awaiting_acceptance" and request.transfer_user == judge
    assert request.routing_rule == "case"
    assert request.requester_name == f"微信用户{OPENID[-4:]}"
    assert request.requester_mobile_masked == "138****5678"
    assert request.content == FLOW_3_TEXT and request.first_contact is None
    routed = Event.objects.get(subject_id=str(request.pk), verb="routed")
    assert routed.data["rule"] == "case"
    assert [e.verb for e in desk_selectors.service_request_timeline(request)] == [
        "registered",
        "routed",
    ]
    stored = WeChatMessage.objects.get()
    assert stored.msg_id == "6054768590064713728" and stored.service_request == request
    assert OPENID not in stored.openid_hash
    # The requester gets the number by SMS too, and can track it with number + phone.
    assert Notification.objects.filter(channel="sms", subject_id=str(request.pk)).exists()
    assert desk_selectors.track(number=request.number, mobile="13812345678") == request
    assert desk_selectors.track(number=request.number, mobile="13900000000") is None
    assert request in desk_selectors.my_queue(user=judge)

    # WeChat retries the same message: the same reply, nothing new.
    retry, crypto = encrypted_post(message_xml())
    assert read_reply(retry, crypto)["Content"] == reply["Content"]
    assert ServiceRequest.objects.count() == 1 and WeChatMessage.objects.count() == 1


def test_plaintext_demand_without_a_case_number_goes_to_the_matter_types_division(
    wechat_plain, matter_types
):
    text = "我想咨询一下离婚需要准备什么材料"
    reply = read_reply(plain_post(message_xml(text=text, msg_id=42)))
    request = ServiceRequest.objects.get()
    assert request.matter_type.code == "demand" and request.routing_rule == "matter_type"
    assert request.title == f"微信留言：{text}"
    assert request.requester_mobile_masked == ""
    assert reply["Content"].startswith(f"您的诉求已登记，编号{request.number}")
    assert "请在留言中写明您的手机号" in reply["Content"]


def test_a_case_of_no_known_case_is_still_a_case_query(wechat_plain, matter_types):
    read_reply(plain_post(message_xml(text="(2026)内0206民初999号 什么时候开庭", msg_id=43)))
    request = ServiceRequest.objects.get()
    assert request.matter_type.code == "case_query" and request.related_case is None
    assert request.title == "微信咨询案件（2026）内0206民初999号"


def test_non_text_messages_get_a_polite_reply_and_create_nothing(wechat_plain, matter_types):
    reply = read_reply(plain_post(message_xml(kind="image", msg_id=44)))
    assert "文字留言" in reply["Content"]
    event = message_xml(kind="text").replace(
        "<MsgType><![CDATA[text]]></MsgType>",
        "<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe]]></Event>",
    )
    assert "文字留言" in read_reply(plain_post(event))["Content"]
    assert "请用文字" in read_reply(plain_post(message_xml(text="   ", msg_id=45)))["Content"]
    assert ServiceRequest.objects.count() == 0 and WeChatMessage.objects.count() == 0


def test_echo_check(wechat_plain):
    timestamp, nonce = str(int(time.time())), "abc"
    good = {
        "signature": signature(WECHAT_TOKEN, timestamp, nonce),
        "timestamp": timestamp,
        "nonce": nonce,
        "echostr": "7713",
    }
    response = Client().get(URL, good)
    assert response.status_code == 200 and response.content == b"7713"
    assert Client().get(URL, {**good, "signature": "0" * 40}).status_code == 403
    assert Client().get(URL, {"echostr": "1"}).status_code == 403


def test_bad_signatures_are_403_and_write_nothing(wechat_safe, civil_case, matter_types):
    response, _crypto = encrypted_post(message_xml(), tamper=True)
    assert response.status_code == 403
    assert plain_post(message_xml(), token="wrong-token").status_code == 403
    # Safe mode refuses a plaintext post even with a valid URL signature (which does not cover
    # the body).
    assert plain_post(message_xml()).status_code == 403
    assert ServiceRequest.objects.count() == 0 and WeChatMessage.objects.count() == 0


def test_stale_timestamp_is_refused(wechat_plain, matter_types):
    stale = str(int(time.time()) - 3600)
    assert plain_post(message_xml(), timestamp=stale).status_code == 403
    assert ServiceRequest.objects.count() == 0


@pytest.mark.parametrize(
    "body",
    [
        b"<xml><ToUserName>",
        b"not xml at all",
        b"",
        b"<xml><MsgType>text</MsgType></xml>",
        b"\xff\xfe<xml/>",
        b"<xml><MsgType>text</MsgType><FromUserName>a</FromUserName><MsgId>abc</MsgId><Content>x</Content></xml>",
    ],
)
def test_unreadable_bodies_are_400(wechat_plain, matter_types, body):
    response = plain_post(body)
    assert response.status_code == 400, response.content
    assert ServiceRequest.objects.count() == 0


def test_oversized_body_is_413(wechat_plain, matter_types):
    response = plain_post(message_xml(text="长" * 30000))
    assert response.status_code == 413
    assert (
        Client().post(URL, data=b"<xml/>", content_type="text/xml", CONTENT_LENGTH="x").status_code
        == 400
    )
    assert ServiceRequest.objects.count() == 0


def test_long_text_is_cut_to_2000_characters(wechat_plain, matter_types):
    read_reply(plain_post(message_xml(text="事" * 5000, msg_id=46)))
    assert len(ServiceRequest.objects.get().content) == 2000


def test_switched_off_without_a_token_and_503_on_a_bad_key(settings, wechat_plain):
    settings.YOUJIE_WECHAT_TOKEN = ""
    assert Client().get(URL).status_code == 404
    settings.YOUJIE_WECHAT_TOKEN = WECHAT_TOKEN
    settings.YOUJIE_WECHAT_AES_KEY = "short"
    assert plain_post(message_xml()).status_code == 503
    assert Client().put(URL).status_code == 405


def test_court_may_be_named_by_its_court_code(settings, wechat_plain, court, matter_types):
    settings.YOUJIE_WECHAT_COURT_CODE = "内0206"
    read_reply(plain_post(message_xml(msg_id=48)))
    assert ServiceRequest.objects.get().court == court


def test_unconfigured_it_serves_the_only_active_court(settings, wechat_plain, court, matter_types):
    settings.YOUJIE_WECHAT_COURT_CODE = ""
    # Two courts in the tree (青山区's for cross-domain filing): no court can be chosen.
    reply = read_reply(plain_post(message_xml(msg_id=46)))
    assert "暂时无法登记" in reply["Content"] and ServiceRequest.objects.count() == 0
    OrgUnit.objects.filter(code="BT-QS-FY").update(is_active=False)
    read_reply(plain_post(message_xml(msg_id=45)))
    assert ServiceRequest.objects.get().court == court


def test_no_court_configured_gets_a_polite_reply(settings, wechat_plain, matter_types):
    settings.YOUJIE_WECHAT_COURT_CODE = "NO-SUCH-COURT"
    reply = read_reply(plain_post(message_xml(msg_id=47)))
    assert "暂时无法登记" in reply["Content"]
    assert ServiceRequest.objects.count() == 0


def test_text_parsers():
    assert str(case_number_find("问下（２０２６）内0206民初123号的事")) == "（2026）内0206民初123号"
    assert case_number_find("(2026)内0206民初123号") is not None
    assert case_number_find("（2026）随便写写号") is None
    assert case_number_find("没有案号") is None
    assert mobile_find("电话：138 1234 5678。") == "13812345678"
    assert mobile_find("电话+86-13812345678") == "13812345678"
    assert mobile_find("１３８１２３４５６７８") == "13812345678"
    assert mobile_find("编号123812345678901") == ""


def test_system_check_reports_a_malformed_key(settings, wechat_plain):
    from youjie.inbound.checks import wechat_settings_check

    assert wechat_settings_check() == []
    settings.YOUJIE_WECHAT_AES_KEY = "!" * 43  # 43 characters, but not base64 of 32 bytes
    assert [message.id for message in wechat_settings_check()] == ["inbound.E001"]
    settings.YOUJIE_WECHAT_TOKEN = ""
    assert wechat_settings_check() == []
