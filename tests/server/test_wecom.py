"""WeCom (企业微信) callback: URL verification, encrypted messages, refusals, routing.

The token, EncodingAESKey, corp id and the two sample requests are WeCom's own published
sample values, so the known-answer tests show that we read what WeCom really sends.
"""

from __future__ import annotations

import base64
import secrets
import struct
import time
from collections.abc import Iterator

import pytest
import requests
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from server.embedded import EmbeddedServer
from server.intake_wecom import (
    WecomCrypto,
    WecomError,
    parse_message,
    parse_xml,
    reply_body,
    request_body,
    to_xml,
)
from server.settings import Settings, SettingsError
from tests.conftest import STRONG_SECRET, WECHAT_SECRET, LiveServer
from tests.world import Api, World, build_world

TOKEN = "QDG6eK"
AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
CORP_ID = "wx5823bf96d3bd56c7"

# WeCom's sample URL verification and its answer.
SAMPLE_VERIFY = {"msg_signature": "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3",
                 "timestamp": "1409659589", "nonce": "263014780",
                 "echostr": "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp"
                            "+4RPcs8TgAE7OaBO+FZXvnaqQ=="}
SAMPLE_ECHO = "1616140317555161061"
# WeCom's sample message ("hello" from user "mycreate", MsgId 4561255354251345929).
SAMPLE_QUERY = {"msg_signature": "477715d11cdb4164915debcba66cb864d751f3e6",
                "timestamp": "1409659813", "nonce": "1372623149"}
SAMPLE_ENCRYPT = (
    "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3"
    "QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48"
    "kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izo"
    "un1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUa"
    "x5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl"
    "/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==")

CRYPTO = WecomCrypto(TOKEN, AES_KEY, CORP_ID)


@pytest.fixture
def wecom(server_db_url: str) -> Iterator[EmbeddedServer]:
    """The real server configured for WeCom (as GULOU_WECOM_* would)."""
    server = EmbeddedServer(Settings(
        db_url=server_db_url, secret_key=secrets.token_urlsafe(48),
        wechat_secret=WECHAT_SECRET, wecom_token=TOKEN, wecom_aes_key=AES_KEY,
        wecom_corp_id=CORP_ID))
    server.start()
    yield server
    server.stop()
    server.engine.dispose()


@pytest.fixture
def world(wecom: EmbeddedServer) -> World:
    return build_world(wecom.engine)


def _message_xml(text: str = "6栋门口的垃圾三天没人收了", *, msg_id: str | None = None,
                 chat_id: str | None = "wx-gridA", msg_type: str = "text",
                 sender: str = "LiMei", created: int = 1795743000) -> bytes:
    fields: dict[str, str | int] = {
        "ToUserName": CORP_ID, "FromUserName": sender, "CreateTime": created,
        "MsgType": msg_type, "Content": text,
        "MsgId": msg_id or str(secrets.randbelow(10**19)), "AgentID": 1000002}
    if chat_id is not None:
        fields["ChatId"] = chat_id
    return to_xml(fields)


def _post(server: EmbeddedServer, body: bytes, *, crypto: WecomCrypto = CRYPTO,
          signature: str | None = None) -> requests.Response:
    """POST ``body`` as WeCom would: signed over the body's Encrypt."""
    stamp, nonce = str(int(time.time())), str(secrets.randbelow(10**10))
    encrypted = parse_xml(body).get("Encrypt", "")
    query = {"msg_signature": signature or crypto.sign(stamp, nonce, encrypted),
             "timestamp": stamp, "nonce": nonce}
    return requests.post(server.api + "/intake/wecom", params=query, data=body, timeout=10,
                         headers={"Content-Type": "text/xml"})


def _send(server: EmbeddedServer, message_xml: bytes,
          crypto: WecomCrypto = CRYPTO) -> requests.Response:
    return _post(server, request_body(crypto, message_xml, agent_id="1000002"))


def _raw_encrypt(plain: bytes, key: bytes = CRYPTO.key) -> str:
    """AES-256-CBC without any padding of ours (to build broken ciphertexts)."""
    enc = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(enc.update(plain) + enc.finalize()).decode()


def _inbox(api: Api) -> list[dict]:
    return [c for c in api.pull_all()[0] if c["entity"] == "inbox_message"]


# --- URL verification -------------------------------------------------------------------


def _fresh_query() -> dict[str, str]:
    """WeCom's sample message query with the timestamp of now (its signature no longer
    matches: for bodies refused before the signature is checked)."""
    return {**SAMPLE_QUERY, "timestamp": str(int(time.time()))}


def _fresh_verify(echostr: str = SAMPLE_VERIFY["echostr"]) -> dict[str, str]:
    """A URL verification query with WeCom's sample echo string, signed now."""
    stamp, nonce = str(int(time.time())), SAMPLE_VERIFY["nonce"]
    return {"msg_signature": CRYPTO.sign(stamp, nonce, echostr), "timestamp": stamp,
            "nonce": nonce, "echostr": echostr}


def test_wecoms_sample_verification_checks_out() -> None:
    """WeCom's own sample (signed in 2014): our signature and decryption agree with it."""
    CRYPTO.verify(SAMPLE_VERIFY["msg_signature"], SAMPLE_VERIFY["timestamp"],
                  SAMPLE_VERIFY["nonce"], SAMPLE_VERIFY["echostr"])
    assert CRYPTO.decrypt(SAMPLE_VERIFY["echostr"]).decode() == SAMPLE_ECHO


def test_url_verification_answers_wecoms_sample(wecom: EmbeddedServer) -> None:
    r = requests.get(wecom.api + "/intake/wecom", params=_fresh_verify(), timeout=10)
    assert r.status_code == 200, r.text
    assert r.text == SAMPLE_ECHO


def test_url_verification_round_trip_and_unescaped_plus(wecom: EmbeddedServer) -> None:
    # Our own encryption, through the endpoint, gives the plain text back.
    echostr = CRYPTO.encrypt("回声-42")
    stamp, nonce = str(int(time.time())), "5551212"
    r = requests.get(wecom.api + "/intake/wecom", timeout=10, params={
        "msg_signature": CRYPTO.sign(stamp, nonce, echostr), "timestamp": stamp,
        "nonce": nonce, "echostr": echostr})
    assert r.status_code == 200 and r.text == "回声-42"
    # A "+" that reaches us unescaped in the query (read as a space) still verifies.
    raw = "&".join(f"{k}={v}" for k, v in _fresh_verify().items())
    assert "+" in raw
    r = requests.get(wecom.api + "/intake/wecom?" + raw, timeout=10)
    assert r.status_code == 200 and r.text == SAMPLE_ECHO


def test_url_verification_with_a_bad_signature_is_401(wecom: EmbeddedServer) -> None:
    r = requests.get(wecom.api + "/intake/wecom", timeout=10,
                     params={**_fresh_verify(), "nonce": "263014781"})
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "invalid_credentials"
    missing = requests.get(wecom.api + "/intake/wecom", timeout=10)
    assert missing.status_code == 401


@pytest.mark.parametrize("off", [-302, 305, 100_000_000])
def test_a_callback_more_than_300_s_off_is_refused(wecom: EmbeddedServer, world: World,
                                                  off: int) -> None:
    """A callback signed at another time (WeCom's 2014 sample, a recorded request played
    again later) is refused before anything is decrypted or stored."""
    assert requests.get(wecom.api + "/intake/wecom", params=SAMPLE_VERIFY,
                        timeout=10).status_code == 401
    stamp, nonce = str(int(time.time()) + off), "42"
    body = request_body(CRYPTO, _message_xml())
    encrypted = parse_xml(body)["Encrypt"]
    r = requests.post(wecom.api + "/intake/wecom", data=body, timeout=10, params={
        "msg_signature": CRYPTO.sign(stamp, nonce, encrypted), "timestamp": stamp,
        "nonce": nonce})
    assert r.status_code == 401, r.text
    assert r.json()["error"]["code"] == "invalid_credentials"
    assert _inbox(Api(wecom.api).login("admin")) == []


def test_a_non_ascii_msg_signature_is_422(wecom: EmbeddedServer) -> None:
    r = requests.get(wecom.api + "/intake/wecom", timeout=10,
                     params={**_fresh_verify(), "msg_signature": "签名"})
    assert r.status_code == 422, r.text
    assert r.json()["error"]["details"]["field"] == "msg_signature"


# --- messages ---------------------------------------------------------------------------


def test_wecoms_sample_message_decrypts_and_is_kept_unrouted(wecom: EmbeddedServer,
                                                            world: World) -> None:
    message = parse_message(CRYPTO.decrypt(SAMPLE_ENCRYPT))
    assert (message.msg_type, message.from_user, message.content, message.msg_id) == (
        "text", "mycreate", "hello", "4561255354251345929")
    CRYPTO.verify(**SAMPLE_QUERY, encrypted=SAMPLE_ENCRYPT)  # WeCom's own signature
    body = to_xml({"ToUserName": CORP_ID, "Encrypt": SAMPLE_ENCRYPT, "AgentID": "218"})
    r = _post(wecom, body)  # signed now: a callback is refused 300 s after its time
    assert r.status_code == 200, r.text
    assert r.text == "success"
    # Said to the app directly, not in a group chat: no group, so the unrouted queue.
    assert r.headers["X-Gulou-Intake-Status"] == "unrouted"
    [msg] = _inbox(Api(wecom.api).login("admin"))
    assert msg["id"] == r.headers["X-Gulou-Inbox-Id"]
    assert msg["data"]["source"] == "wecom"
    assert msg["data"]["group_id"] is None and msg["data"]["grid_id"] is None
    assert msg["data"]["text"] == "hello" and msg["data"]["sender_id"] == "mycreate"


def test_group_message_reaches_the_users_of_its_grid(wecom: EmbeddedServer,
                                                     world: World) -> None:
    worker1 = Api(wecom.api).login("worker1")
    _, cursor = worker1.pull_all()
    r = _send(wecom, _message_xml("3栋楼道的路灯坏了，晚上很黑", chat_id="wx-gridA",
                                  created=1795743000))
    assert r.status_code == 200, r.text
    assert r.headers["X-Gulou-Intake-Status"] == "routed"
    changes, _ = worker1.pull_all(cursor)
    [msg] = [c for c in changes if c["entity"] == "inbox_message"]
    data = msg["data"]
    assert (data["source"], data["grid_id"], data["group_id"]) == (
        "wecom", world["gridA"], "wx-gridA")
    assert data["text"] == "3栋楼道的路灯坏了，晚上很黑"
    assert data["sender_id"] == "LiMei" and data["status"] == "new"
    assert data["sent_at"] == "2026-11-27T09:30:00+08:00"  # CreateTime, in Shanghai
    assert [m["id"] for m in _inbox(Api(wecom.api).login("clerk1"))] == [msg["id"]]
    assert _inbox(Api(wecom.api).login("worker2")) == []  # grid C only


def test_duplicate_msgid_is_stored_once(wecom: EmbeddedServer, world: World) -> None:
    xml = _message_xml(msg_id="7001")
    first = _send(wecom, xml)
    second = _send(wecom, xml)  # a retry: new random bytes, nonce and signature
    assert first.headers["X-Gulou-Intake-Status"] == "routed"
    assert second.status_code == 200 and second.text == "success"
    assert second.headers["X-Gulou-Intake-Status"] == "duplicate"
    assert second.headers["X-Gulou-Inbox-Id"] == first.headers["X-Gulou-Inbox-Id"]
    assert len(_inbox(Api(wecom.api).login("clerk1"))) == 1


def test_unknown_group_goes_to_the_unrouted_queue(wecom: EmbeddedServer,
                                                  world: World) -> None:
    r = _send(wecom, _message_xml(chat_id="wrOgQhDgAAunknown"))
    assert r.headers["X-Gulou-Intake-Status"] == "unrouted"
    assert _inbox(Api(wecom.api).login("clerk1")) == []
    [msg] = _inbox(Api(wecom.api).login("admin"))
    assert msg["data"]["group_id"] == "wrOgQhDgAAunknown"
    assert msg["data"]["grid_id"] is None


def test_other_message_types_are_acknowledged_not_stored(wecom: EmbeddedServer,
                                                         world: World) -> None:
    r = _send(wecom, _message_xml("", msg_type="event"))
    assert r.status_code == 200 and r.text == "success"
    assert r.headers["X-Gulou-Intake-Status"] == "ignored"
    assert _inbox(Api(wecom.api).login("admin")) == []


# --- padding ----------------------------------------------------------------------------


@pytest.mark.parametrize("size", range(0, 40))
def test_every_pad_value_round_trips(size: int) -> None:
    """A 32-byte block means pad values 1..32; every one of them decrypts."""
    message = b"x" * size
    encrypted = CRYPTO.encrypt(message)
    dec = Cipher(algorithms.AES(CRYPTO.key), modes.CBC(CRYPTO.key[:16])).decryptor()
    padded = dec.update(base64.b64decode(encrypted)) + dec.finalize()
    assert padded[-1] == 32 - (20 + size + len(CORP_ID)) % 32
    assert CRYPTO.decrypt(encrypted) == message


def test_a_message_whose_pad_is_above_16_is_stored(wecom: EmbeddedServer,
                                                   world: World) -> None:
    text = "楼上漏水"
    for extra in range(40):  # find a text whose padded plain text ends in a pad of 17..32
        xml = _message_xml(text + "啊" * extra, msg_id="pad-17")
        pad = 32 - (20 + len(xml) + len(CORP_ID)) % 32
        if pad > 16:
            break
    assert pad > 16
    r = _send(wecom, xml)
    assert r.status_code == 200, r.text
    [msg] = _inbox(Api(wecom.api).login("worker1"))
    assert msg["data"]["text"] == text + "啊" * extra


# --- refusals: nothing stored, never a 500 ----------------------------------------------


def test_bad_signature_is_401_and_stores_nothing(wecom: EmbeddedServer, world: World) -> None:
    body = request_body(CRYPTO, _message_xml())
    r = _post(wecom, body, signature="0" * 40)
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "invalid_credentials"
    other = WecomCrypto("another-token", AES_KEY, CORP_ID)
    assert _post(wecom, body, crypto=other).status_code == 401
    assert _inbox(Api(wecom.api).login("admin")) == []


def test_wrong_receive_id_is_refused(wecom: EmbeddedServer, world: World) -> None:
    elsewhere = WecomCrypto(TOKEN, AES_KEY, "ww0000000000000000")
    r = _send(wecom, _message_xml(), crypto=elsewhere)
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "validation"
    assert error["details"]["problem"] == "receive_id"
    assert _inbox(Api(wecom.api).login("admin")) == []


def _broken(encrypted: str) -> bytes:
    return to_xml({"ToUserName": CORP_ID, "Encrypt": encrypted})


@pytest.mark.parametrize(("encrypted", "problem"), [
    ("this is not base64!", "base64"),
    (base64.b64encode(b"0123456789").decode(), "length"),  # not whole AES blocks
    # A pad value of 0 and one of 33: both impossible with 32-byte blocks.
    (_raw_encrypt(b"\x01" * 63 + b"\x00"), "padding"),
    (_raw_encrypt(b"\x01" * 31 + b"\x21" * 33), "padding"),
    # A pad that claims more equal bytes than there are.
    (_raw_encrypt(b"\x01" * 40 + b"\x05" * 3 + b"\x18" * 21), "padding"),
    # Well padded, but the length field points past the end.
    (_raw_encrypt(b"r" * 16 + struct.pack(">I", 999) + b"<xml/>" + b"\x06" * 6), "length"),
    # Encrypted with another key: the padding does not come out.
    (_raw_encrypt(b"\x01" * 64, key=bytes(range(32))), "padding"),
])
def test_bad_ciphertexts_are_422_with_a_clear_problem(
        wecom: EmbeddedServer, world: World, encrypted: str, problem: str) -> None:
    r = _post(wecom, _broken(encrypted))
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] == "validation"
    assert r.json()["error"]["details"]["problem"] == problem


@pytest.mark.parametrize(("body", "problem"), [
    (b"<xml><Encrypt>", "xml"),
    (b"not xml at all", "xml"),
    (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'
     b"<xml><Encrypt>&a;</Encrypt></xml>", "xml"),
    (b"<xml><ToUserName>x</ToUserName></xml>", "field"),
])
def test_unreadable_bodies_are_422(wecom: EmbeddedServer, body: bytes, problem: str) -> None:
    r = requests.post(wecom.api + "/intake/wecom", params=_fresh_query(), data=body,
                      timeout=10)
    assert r.status_code == 422, r.text
    assert r.json()["error"]["details"]["problem"] == problem


def test_a_decrypted_message_with_entities_is_refused(wecom: EmbeddedServer,
                                                      world: World) -> None:
    evil = (b'<!DOCTYPE xml [<!ENTITY e "x">]><xml><MsgType>text</MsgType>'
            b"<Content>&e;</Content><MsgId>1</MsgId><FromUserName>u</FromUserName>"
            b"<CreateTime>1795743000</CreateTime></xml>")
    r = _send(wecom, evil)
    assert r.status_code == 422
    assert r.json()["error"]["details"]["problem"] == "xml"
    no_id = _message_xml().replace(b"<MsgId>", b"<Other>").replace(b"</MsgId>", b"</Other>")
    r = _send(wecom, no_id)
    assert r.status_code == 422 and r.json()["error"]["details"]["field"] == "MsgId"
    assert _inbox(Api(wecom.api).login("admin")) == []


# --- configuration and the reply path ---------------------------------------------------


def test_an_unconfigured_server_answers_404(live_server: LiveServer) -> None:
    r = requests.get(live_server.api + "/intake/wecom", params=SAMPLE_VERIFY, timeout=10)
    assert r.status_code == 404
    assert "GULOU_WECOM_TOKEN" in r.json()["error"]["message"]
    r = requests.post(live_server.api + "/intake/wecom", params=SAMPLE_QUERY,
                      data=_broken(SAMPLE_ENCRYPT), timeout=10)
    assert r.status_code == 404


@pytest.mark.parametrize("key", ["short", AES_KEY[:-1] + "!"])
def test_a_bad_aes_key_is_refused_at_startup(key: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GULOU_WECOM_AES_KEY", key)
    with pytest.raises(SettingsError, match="GULOU_WECOM_AES_KEY"):
        Settings.from_env(secret_key=STRONG_SECRET, wechat_secret=WECHAT_SECRET)
    monkeypatch.setenv("GULOU_WECOM_AES_KEY", AES_KEY)
    settings = Settings.from_env(secret_key=STRONG_SECRET, wechat_secret=WECHAT_SECRET)
    assert settings.wecom_aes_key == AES_KEY


def test_a_reply_body_is_signed_and_decrypts_to_the_reply() -> None:
    reply = to_xml({"ToUserName": "LiMei", "FromUserName": CORP_ID,
                    "CreateTime": 1795743100, "MsgType": "text", "Content": "已派人处理，谢谢"})
    body = parse_xml(reply_body(CRYPTO, reply, "1795743100", "99"))
    CRYPTO.verify(body["MsgSignature"], body["TimeStamp"], body["Nonce"], body["Encrypt"])
    assert CRYPTO.decrypt(body["Encrypt"]) == reply
    with pytest.raises(WecomError) as refused:
        CRYPTO.verify(body["MsgSignature"], body["TimeStamp"], "98", body["Encrypt"])
    assert refused.value.status == 401


def test_wechat_and_wecom_ids_do_not_collide(wecom: EmbeddedServer, world: World) -> None:
    """De-duplication is per source: a WeCom MsgId equal to a WeChat message_id is
    another message."""
    import json

    from tests.bot import bot_request

    body = json.dumps({"message_id": "7002", "group_id": "wx-gridA", "sender_id": "wxid_1",
                       "text": "电梯又停了", "sent_at": "2026-11-27T09:00:00+08:00"},
                      ensure_ascii=False).encode()
    r = bot_request(wecom.api, "POST", "/intake/wechat", body)
    assert r.json()["status"] == "routed"
    w = _send(wecom, _message_xml("电梯又停了", msg_id="7002"))
    assert w.headers["X-Gulou-Intake-Status"] == "routed"
    assert w.headers["X-Gulou-Inbox-Id"] != r.json()["id"]
    assert sorted(m["data"]["source"] for m in _inbox(Api(wecom.api).login("clerk1"))) == [
        "wechat", "wecom"]
