"""Pictures for the demo's meetings: a community hall with residents round a table, drawn
as PNGs with the standard library (the server does not depend on an imaging library).
Seeding puts them in the blob store; each demo meeting refers to two of them by their
sha256, as a meeting recorded in the desk app refers to the photos it uploaded."""

from __future__ import annotations

import functools
import hashlib
import struct
import zlib

WIDTH, HEIGHT = 320, 240
Colour = tuple[int, int, int]
# Wall, floor, table, banner; the people's clothes.
SCENES: tuple[tuple[Colour, Colour, Colour, Colour], ...] = (
    ((236, 228, 212), (168, 140, 110), (120, 82, 52), (190, 40, 40)),
    ((222, 232, 236), (150, 150, 140), (96, 70, 50), (180, 36, 36)),
    ((240, 236, 224), (130, 110, 90), (140, 98, 60), (200, 56, 40)),
)
CLOTHES: tuple[Colour, ...] = ((52, 88, 150), (70, 120, 80), (150, 60, 60), (90, 90, 100),
                               (200, 150, 60), (60, 60, 70))
SKIN: Colour = (232, 196, 160)


def _png(rows: list[bytearray]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    raw = b"".join(b"\x00" + bytes(row) for row in rows)
    header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def _rect(rows: list[bytearray], x0: int, y0: int, x1: int, y1: int, c: Colour) -> None:
    x0, x1 = max(x0, 0), min(x1, WIDTH)
    for y in range(max(y0, 0), min(y1, HEIGHT)):
        rows[y][3 * x0:3 * x1] = bytes(c) * (x1 - x0)


def _disc(rows: list[bytearray], cx: int, cy: int, r: int, c: Colour) -> None:
    for dy in range(-r, r + 1):
        half = int((r * r - dy * dy) ** 0.5)
        _rect(rows, cx - half, cy + dy, cx + half + 1, cy + dy + 1, c)


def _scene(n: int) -> bytes:
    wall, floor, table, banner = SCENES[n % len(SCENES)]
    rows = [bytearray(bytes(wall) * WIDTH) for _ in range(HEIGHT)]
    _rect(rows, 0, 150, WIDTH, HEIGHT, floor)
    _rect(rows, 60, 22, 260, 46, banner)  # the meeting's banner on the wall
    for i in range(6):  # residents seated round the table
        x = 42 + i * 47 + (n * 11) % 17
        clothes = CLOTHES[(i + n) % len(CLOTHES)]
        _rect(rows, x - 16, 112, x + 16, 170, clothes)
        _disc(rows, x, 98, 12, SKIN)
    _rect(rows, 20, 150, WIDTH - 20, 176, table)
    _rect(rows, 34, 176, 44, 214, table)
    _rect(rows, WIDTH - 44, 176, WIDTH - 34, 214, table)
    return _png(rows)


@functools.cache
def meeting_pictures() -> tuple[tuple[str, bytes], ...]:
    """(sha256, PNG bytes) of the demo's meeting pictures."""
    pictures = [_scene(n) for n in range(len(SCENES))]
    return tuple((hashlib.sha256(p).hexdigest(), p) for p in pictures)
