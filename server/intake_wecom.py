"""The WeCom (企业微信) callback: signatures, message encryption and the message XML.

This is the protocol half of the second intake adapter (the route is
``/api/v1/intake/wecom`` in :mod:`server.routes.intake`). Implemented from WeCom's
description of its callback encryption:

- **Signature**: ``msg_signature = hex SHA1 of "".join(sorted([token, timestamp, nonce,
  encrypted]))``, where ``encrypted`` is ``echostr`` (URL verification) or the
  ``<Encrypt>`` text of the posted XML.
- **Key**: ``AESKey = base64decode(EncodingAESKey + "=")`` (43 characters → 32 bytes);
  AES-256-CBC with ``IV = AESKey[:16]``.
- **Padding**: PKCS#7 over a *32-byte* block, so a pad value is 1..32 (values above 16
  are legal and common).
- **Plain text**: 16 random bytes, the message length as 4 bytes big-endian, the message
  (UTF-8 XML, or the echo string), then the receive id (the corp id), which must match.

Every way an input can be wrong raises :class:`WecomError` with an HTTP status and a
``problem`` code, so the route answers 401/422 and never 500. XML is parsed by
``defusedxml`` with document type declarations refused, so no entity (internal or
external) is ever expanded.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import os
import struct
from dataclasses import dataclass
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as defused_etree

from gulou_desk.records import SHANGHAI

BLOCK = 32
"""WeCom pads to 32-byte blocks (AES itself works on 16)."""
KEY_CHARS = 43
MAX_XML_BYTES = 64 * 1024
"""A WeCom text message is at most 2,048 bytes; anything far larger is not from WeCom."""


class WecomError(Exception):
    """A callback that cannot be accepted: ``status`` 401 (signature) or 422 (content),
    ``problem`` a code (``signature``, ``base64``, ``length``, ``padding``,
    ``receive_id``, ``xml``, ``field``), ``field`` the part of the input at fault."""

    def __init__(self, status: int, problem: str, message: str, field: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.problem = problem
        self.message = message
        self.field = field


def signature(token: str, timestamp: str, nonce: str, encrypted: str) -> str:
    """WeCom's ``msg_signature``: hex SHA1 of the four strings sorted and joined."""
    return hashlib.sha1("".join(sorted([token, timestamp, nonce, encrypted])).encode()
                        ).hexdigest()


def aes_key(encoding_aes_key: str) -> bytes:
    """The 32-byte AES key of a 43-character EncodingAESKey (``ValueError`` otherwise:
    that is a configuration error, not a bad request)."""
    if len(encoding_aes_key) != KEY_CHARS:
        raise ValueError(f"an EncodingAESKey has {KEY_CHARS} characters")
    try:
        key = base64.b64decode(encoding_aes_key + "=", validate=True)
    except binascii.Error as exc:
        raise ValueError(f"the EncodingAESKey is not base64: {exc}") from None
    if len(key) != 32:  # pragma: no cover - 43 valid base64 chars always give 32 bytes
        raise ValueError("the EncodingAESKey does not decode to 32 bytes")
    return key


class WecomCrypto:
    """Sign, verify, encrypt and decrypt for one WeCom app (token, key, corp id)."""

    def __init__(self, token: str, encoding_aes_key: str, receive_id: str) -> None:
        self.token = token
        self.key = aes_key(encoding_aes_key)
        self.receive_id = receive_id

    def sign(self, timestamp: str, nonce: str, encrypted: str) -> str:
        return signature(self.token, timestamp, nonce, encrypted)

    def verify(self, msg_signature: str, timestamp: str, nonce: str, encrypted: str) -> None:
        expected = self.sign(timestamp, nonce, encrypted)
        if not msg_signature.isascii():
            raise WecomError(422, "not_ascii", "msg_signature must be ASCII", "msg_signature")
        if not hmac.compare_digest(expected, msg_signature.lower()):
            raise WecomError(401, "signature", "bad msg_signature", "msg_signature")

    def _cipher(self) -> Cipher[modes.CBC]:
        return Cipher(algorithms.AES(self.key), modes.CBC(self.key[:16]))

    def encrypt(self, message: bytes | str, *, random_prefix: bytes | None = None) -> str:
        """The base64 text WeCom would send for ``message`` (the inverse of
        :meth:`decrypt`); ``random_prefix`` (16 bytes) makes the output reproducible."""
        body = message.encode() if isinstance(message, str) else message
        prefix = os.urandom(16) if random_prefix is None else random_prefix
        if len(prefix) != 16:
            raise ValueError("the random prefix has 16 bytes")
        plain = prefix + struct.pack(">I", len(body)) + body + self.receive_id.encode()
        pad = BLOCK - len(plain) % BLOCK
        plain += bytes([pad]) * pad
        enc = self._cipher().encryptor()
        return base64.b64encode(enc.update(plain) + enc.finalize()).decode()

    def decrypt(self, encrypted: str) -> bytes:
        """The message inside ``encrypted`` (checks base64, length, padding, receive id)."""
        try:
            data = base64.b64decode(encrypted, validate=True)
        except (binascii.Error, ValueError):
            raise WecomError(422, "base64", "the encrypted text is not base64",
                             "Encrypt") from None
        if not data or len(data) % 16:
            raise WecomError(422, "length", "the encrypted text is not whole AES blocks",
                             "Encrypt")
        dec = self._cipher().decryptor()
        plain = dec.update(data) + dec.finalize()
        pad = plain[-1]
        if not 1 <= pad <= BLOCK or pad > len(plain) or plain[-pad:] != bytes([pad]) * pad:
            raise WecomError(422, "padding", "bad padding (wrong key?)", "Encrypt")
        plain = plain[:-pad]
        if len(plain) < 20:
            raise WecomError(422, "length", "the decrypted text is too short", "Encrypt")
        (size,) = struct.unpack(">I", plain[16:20])
        if 20 + size > len(plain):
            raise WecomError(422, "length", "the message length is beyond the text",
                             "Encrypt")
        message = plain[20:20 + size]
        receive_id = plain[20 + size:]
        if not hmac.compare_digest(receive_id, self.receive_id.encode()):
            raise WecomError(422, "receive_id",
                             "the message is for another receive id (corp id)", "Encrypt")
        return message


# --- XML ------------------------------------------------------------------------------


def parse_xml(data: bytes) -> dict[str, str]:
    """The child elements of a flat WeCom XML document as ``{tag: text}``.

    Parsed with ``defusedxml`` and document type declarations forbidden: without a DTD
    no entity can be declared, so nothing is ever expanded (no billion laughs, no
    external fetch). Deeper elements are ignored; the root's name does not matter
    (WeCom's is ``xml``).
    """
    if len(data) > MAX_XML_BYTES:
        raise WecomError(422, "xml", "the XML is too large", "body")
    try:
        root = defused_etree.fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise WecomError(422, "xml", "document type declarations and entities are not "
                         "accepted", "body") from None
    except ElementTree.ParseError as exc:
        raise WecomError(422, "xml", f"the XML is not well formed: {exc}", "body") from None
    return {child.tag: child.text or "" for child in root if isinstance(child.tag, str)}


def _cdata(value: str) -> str:
    if "]]>" in value:  # a CDATA section cannot hold its own end marker
        return escape(value)
    return f"<![CDATA[{value}]]>"


def to_xml(fields: dict[str, str | int]) -> bytes:
    """A flat ``<xml>`` document as WeCom writes them (text in CDATA, numbers bare)."""
    parts = [f"<{k}>{v}</{k}>" if isinstance(v, int) else f"<{k}>{_cdata(v)}</{k}>"
             for k, v in fields.items()]
    return ("<xml>" + "".join(parts) + "</xml>").encode()


@dataclass(frozen=True, slots=True)
class WecomMessage:
    """One decrypted callback message.

    ``chat_id`` is WeCom's ``ChatId`` (the group chat the message was said in; it is what
    the intake stores as the inbox message's ``group_id`` and routes through the group →
    grid registry); a message sent to the app directly has none.
    """

    msg_type: str
    to_user: str
    from_user: str
    created_at: dt.datetime
    content: str
    msg_id: str
    chat_id: str


def parse_message(data: bytes) -> WecomMessage:
    """The decrypted message XML; a ``text`` message must have Content and MsgId."""
    fields = parse_xml(data)
    msg_type = fields.get("MsgType", "").strip()
    if not msg_type:
        raise WecomError(422, "field", "the message has no MsgType", "MsgType")
    try:
        created = dt.datetime.fromtimestamp(int(fields.get("CreateTime", "")), SHANGHAI)
    except (ValueError, OverflowError, OSError):
        raise WecomError(422, "field", "CreateTime is not a unix time", "CreateTime") from None
    message = WecomMessage(
        msg_type=msg_type, to_user=fields.get("ToUserName", "").strip(),
        from_user=fields.get("FromUserName", "").strip(), created_at=created,
        content=fields.get("Content", ""), msg_id=fields.get("MsgId", "").strip(),
        chat_id=fields.get("ChatId", "").strip(),
    )
    if msg_type == "text":
        if not message.msg_id:
            raise WecomError(422, "field", "a text message needs a MsgId", "MsgId")
        if not message.content.strip():
            raise WecomError(422, "field", "a text message needs a Content", "Content")
        if not message.from_user:
            raise WecomError(422, "field", "a text message needs a FromUserName",
                             "FromUserName")
    return message


def request_body(crypto: WecomCrypto, message_xml: bytes, *, agent_id: str = "",
                 random_prefix: bytes | None = None) -> bytes:
    """The XML body WeCom posts for ``message_xml`` (for tests and simulators)."""
    fields: dict[str, str | int] = {"ToUserName": crypto.receive_id,
                                    "Encrypt": crypto.encrypt(message_xml,
                                                              random_prefix=random_prefix)}
    if agent_id:
        fields["AgentID"] = agent_id
    return to_xml(fields)


def reply_body(crypto: WecomCrypto, message_xml: bytes, timestamp: str, nonce: str) -> bytes:
    """A passive reply as WeCom expects it: the encrypted message with its signature."""
    encrypted = crypto.encrypt(message_xml)
    return to_xml({"Encrypt": encrypted, "MsgSignature": crypto.sign(timestamp, nonce,
                                                                     encrypted),
                   "TimeStamp": timestamp, "Nonce": nonce})
