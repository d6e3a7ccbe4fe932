"""An image's type by its content, the same on both sides: the client checks a photo
before it keeps it (``gulou_desk.store.photos``), the server a blob before it stores it
(``server/routes/blobs.py``)."""

from __future__ import annotations

IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})


def sniff_type(data: bytes) -> str | None:
    """The image type of the bytes by their signature (``image/jpeg``, ``image/png``,
    ``image/webp``), or ``None``."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if len(data) >= 12 and data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "image/webp"
    return None
