"""Importing visit photos: real pictures made with Pillow, resized, upright, without EXIF,
stored by content; files that are no picture or too big get a clear error, and nothing
is stored then."""

from __future__ import annotations

import hashlib
import io
import struct
import zlib
from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import Image

from gulou_desk.store import photos
from gulou_desk.store.engine import Store
from gulou_desk.store.photos import PhotoError, import_photo
from gulou_desk.store.schema import LocalBlob

RED, BLUE = (220, 20, 20), (20, 20, 220)


def two_halves(size: tuple[int, int]) -> Image.Image:
    """Left half red, right half blue."""
    image = Image.new("RGB", size, BLUE)
    image.paste(RED, (0, 0, size[0] // 2, size[1]))
    return image


def save_jpeg(path: Path, image: Image.Image, *, orientation: int | None = None,
              gps: bool = False) -> Path:
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"  # Make
    exif[0x0110] = "Phone 12"  # Model
    if orientation is not None:
        exif[0x0112] = orientation
    if gps:
        exif[0x8825] = {1: "N", 2: (32.0, 3.0, 36.0), 3: "E", 4: (118.0, 46.0, 12.0)}
    image.save(path, "JPEG", exif=exif.tobytes(), quality=95)
    return path


def near(pixel: tuple[int, ...], colour: tuple[int, int, int]) -> bool:
    return all(abs(a - b) < 40 for a, b in zip(pixel, colour, strict=False))


def stored_files(store: Store) -> list[Path]:
    root = photos.data_dir(store)
    return sorted(p for d in ("blobs", "thumbs") for p in (root / d).rglob("*") if p.is_file())


def blob_rows(store: Store) -> list[LocalBlob]:
    with store.session() as session:
        return list(session.scalars(sa.select(LocalBlob)))


def test_a_big_jpeg_is_shrunk_and_stored_by_content(local_store: Store, tmp_path: Path) -> None:
    source = save_jpeg(tmp_path / "IMG_0001.JPG", two_halves((4000, 3000)), gps=True)
    photo = import_photo(local_store, source)
    data = photo.path.read_bytes()
    assert photo.sha256 == hashlib.sha256(data).hexdigest()
    assert photo.path == photos.data_dir(local_store) / "blobs" / photo.sha256[:2] / \
        photo.sha256
    assert photos.data_dir(local_store) == local_store.path.parent
    assert (photo.width, photo.height, photo.size) == (1600, 1200, len(data))
    with Image.open(photo.path) as stored:
        assert stored.format == "JPEG" and stored.size == (1600, 1200)
        assert dict(stored.getexif()) == {}  # no maker, no model, no GPS position
        assert "exif" not in stored.info
        assert near(stored.getpixel((10, 600)), RED) and near(stored.getpixel((1590, 600)),
                                                              BLUE)
    with Image.open(photo.thumbnail_path) as thumb:
        assert thumb.format == "JPEG" and max(thumb.size) == photos.THUMB_SIDE
    [row] = blob_rows(local_store)
    assert (row.sha256, row.content_type, row.size, row.uploaded_at) == (
        photo.sha256, "image/jpeg", len(data), None)
    assert source.read_bytes()[:2] == b"\xff\xd8"  # the user's file is left alone


def test_a_small_picture_keeps_its_size(local_store: Store, tmp_path: Path) -> None:
    source = save_jpeg(tmp_path / "small.jpg", two_halves((640, 480)))
    photo = import_photo(local_store, source)
    assert (photo.width, photo.height) == (640, 480)


@pytest.mark.parametrize(("orientation", "size", "top_left", "bottom_right"), [
    (1, (400, 200), RED, BLUE),
    (3, (400, 200), BLUE, RED),  # upside down
    (6, (200, 400), RED, BLUE),  # turned right: the left half becomes the top
    (8, (200, 400), BLUE, RED),  # turned left: the left half becomes the bottom
])
def test_exif_orientation_is_honoured(local_store: Store, tmp_path: Path, orientation: int,
                                      size: tuple[int, int], top_left: tuple[int, int, int],
                                      bottom_right: tuple[int, int, int]) -> None:
    source = save_jpeg(tmp_path / f"o{orientation}.jpg", two_halves((400, 200)),
                       orientation=orientation)
    photo = import_photo(local_store, source)
    assert (photo.width, photo.height) == size
    with Image.open(photo.path) as stored:
        assert stored.size == size
        assert 0x0112 not in stored.getexif()  # shown upright without any tag
        assert near(stored.getpixel((5, 5)), top_left)
        assert near(stored.getpixel((size[0] - 5, size[1] - 5)), bottom_right)


def test_png_with_transparency_and_webp(local_store: Store, tmp_path: Path) -> None:
    png = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    png.paste((10, 200, 10, 255), (0, 0, 150, 200))
    png.save(tmp_path / "screen.png")
    photo = import_photo(local_store, tmp_path / "screen.png")
    with Image.open(photo.path) as stored:
        assert stored.format == "JPEG" and stored.mode == "RGB"
        assert near(stored.getpixel((250, 100)), (255, 255, 255))  # transparent → white
        assert near(stored.getpixel((50, 100)), (10, 200, 10))
    two_halves((100, 50)).save(tmp_path / "phone.webp", "WEBP")
    webp = import_photo(local_store, tmp_path / "phone.webp")
    assert (webp.width, webp.height, webp.content_type) == (100, 50, "image/jpeg")
    # The name does not matter, the content does: a PNG called .jpg is a PNG.
    (tmp_path / "screen.jpg").write_bytes((tmp_path / "screen.png").read_bytes())
    assert import_photo(local_store, tmp_path / "screen.jpg").sha256 == photo.sha256


def test_the_same_picture_twice_is_stored_once(local_store: Store, tmp_path: Path) -> None:
    source = save_jpeg(tmp_path / "a.jpg", two_halves((800, 600)))
    first = import_photo(local_store, source)
    (tmp_path / "copy.jpeg").write_bytes(source.read_bytes())
    second = import_photo(local_store, tmp_path / "copy.jpeg")
    assert first == second
    assert len(stored_files(local_store)) == 2  # the photo and its thumbnail
    assert len(blob_rows(local_store)) == 1


def _refused(store: Store, path: Path, code: str) -> PhotoError:
    with pytest.raises(PhotoError) as caught:
        import_photo(store, path)
    assert caught.value.code == code
    assert stored_files(store) == [] and blob_rows(store) == []  # nothing kept
    return caught.value


def test_a_text_file_named_jpg_is_not_an_image(local_store: Store, tmp_path: Path) -> None:
    fake = tmp_path / "photo.jpg"
    fake.write_text("这不是照片 — just some notes\n", encoding="utf-8")
    error = _refused(local_store, fake, "not_an_image")
    assert error.path == fake
    (tmp_path / "empty.jpg").write_bytes(b"")
    _refused(local_store, tmp_path / "empty.jpg", "not_an_image")
    (tmp_path / "gif.jpg").write_bytes(b"GIF89a" + b"\x00" * 100)
    _refused(local_store, tmp_path / "gif.jpg", "not_an_image")


def test_a_too_big_file_is_refused_before_it_is_read(local_store: Store,
                                                      tmp_path: Path) -> None:
    big = tmp_path / "huge.jpg"
    with big.open("wb") as out:
        out.write(b"\xff\xd8\xff\xe0")
        out.truncate(photos.MAX_SOURCE_BYTES + 1)  # sparse: costs no disk
    error = _refused(local_store, big, "too_large")
    assert error.limit == photos.MAX_SOURCE_BYTES


def test_a_damaged_picture_is_corrupt(local_store: Store, tmp_path: Path) -> None:
    good = save_jpeg(tmp_path / "good.jpg", two_halves((800, 600)))
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(good.read_bytes()[:300])
    _refused(local_store, broken, "corrupt")


def _png_header_only(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(
            ">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"")) \
        + chunk(b"IEND", b"")


def test_a_decompression_bomb_is_refused_without_decoding(local_store: Store,
                                                           tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(_png_header_only(40_000, 40_000))
    assert bomb.stat().st_size < 200
    _refused(local_store, bomb, "too_many_pixels")


def test_a_missing_file(local_store: Store, tmp_path: Path) -> None:
    _refused(local_store, tmp_path / "gone.jpg", "not_found")
    _refused(local_store, tmp_path, "not_found")  # a folder


def test_a_lost_thumbnail_is_made_again(local_store: Store, tmp_path: Path) -> None:
    photo = import_photo(local_store, save_jpeg(tmp_path / "a.jpg", two_halves((800, 600))))
    photo.thumbnail_path.unlink()
    assert photos.ensure_thumbnail(local_store, photo.sha256) == photo.thumbnail_path
    assert photo.thumbnail_path.is_file()
    assert photos.ensure_thumbnail(local_store, "b" * 64) is None  # not here at all
    with pytest.raises(ValueError, match="sha256"):
        photos.photo_path(local_store, "../../etc/passwd")


def test_a_downloaded_photo_is_checked_against_its_hash(local_store: Store) -> None:
    buffer = io.BytesIO()
    two_halves((300, 200)).save(buffer, "JPEG")
    data = buffer.getvalue()
    sha = hashlib.sha256(data).hexdigest()
    with pytest.raises(PhotoError) as caught:
        photos.store_blob(local_store, data + b"x", sha)
    assert caught.value.code == "hash_mismatch"
    assert stored_files(local_store) == []
    kept = photos.store_blob(local_store, data, sha)
    assert kept.path.read_bytes() == data and kept.thumbnail_path.is_file()
    [row] = blob_rows(local_store)
    assert row.uploaded_at is not None  # the server has it: never uploaded
