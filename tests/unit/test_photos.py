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

from gulou_desk import records
from gulou_desk.store import cipher, photos
from gulou_desk.store.engine import Store, open_store
from gulou_desk.store.photos import PhotoError, import_photo
from gulou_desk.store.schema import LocalBlob, PhotoData

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


def stored_photos(store: Store) -> list[PhotoData]:
    with store.session() as session:
        return list(session.scalars(sa.select(PhotoData)))


def opened(store: Store, sha256: str) -> Image.Image:
    data = photos.photo_bytes(store, sha256)
    assert data is not None
    return Image.open(io.BytesIO(data))


def blob_rows(store: Store) -> list[LocalBlob]:
    with store.session() as session:
        return list(session.scalars(sa.select(LocalBlob)))


def test_a_big_jpeg_is_shrunk_and_stored_by_content(local_store: Store, tmp_path: Path) -> None:
    source = save_jpeg(tmp_path / "IMG_0001.JPG", two_halves((4000, 3000)), gps=True)
    photo = import_photo(local_store, source)
    data = photos.photo_bytes(local_store, photo.sha256)
    assert data is not None and photo.sha256 == hashlib.sha256(data).hexdigest()
    assert not (local_store.path.parent / "blobs").exists()  # inside the store, no file
    assert (photo.width, photo.height, photo.size) == (1600, 1200, len(data))
    with opened(local_store, photo.sha256) as stored:
        assert stored.format == "JPEG" and stored.size == (1600, 1200)
        assert dict(stored.getexif()) == {}  # no maker, no model, no GPS position
        assert "exif" not in stored.info
        assert near(stored.getpixel((10, 600)), RED) and near(stored.getpixel((1590, 600)),
                                                              BLUE)
    thumbnail = photos.thumbnail(local_store, photo.sha256)
    assert thumbnail is not None
    with Image.open(io.BytesIO(thumbnail)) as thumb:
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
    with opened(local_store, photo.sha256) as stored:
        assert stored.size == size
        assert 0x0112 not in stored.getexif()  # shown upright without any tag
        assert near(stored.getpixel((5, 5)), top_left)
        assert near(stored.getpixel((size[0] - 5, size[1] - 5)), bottom_right)


def test_png_with_transparency_and_webp(local_store: Store, tmp_path: Path) -> None:
    png = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    png.paste((10, 200, 10, 255), (0, 0, 150, 200))
    png.save(tmp_path / "screen.png")
    photo = import_photo(local_store, tmp_path / "screen.png")
    with opened(local_store, photo.sha256) as stored:
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
    [kept] = stored_photos(local_store)  # the photo and its thumbnail, once
    assert kept.thumbnail is not None
    assert len(blob_rows(local_store)) == 1


def _refused(store: Store, path: Path, code: str) -> PhotoError:
    with pytest.raises(PhotoError) as caught:
        import_photo(store, path)
    assert caught.value.code == code
    assert stored_photos(store) == [] and blob_rows(store) == []  # nothing kept
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
    with local_store.write() as session:
        session.execute(sa.update(PhotoData).values(thumbnail=None))
    made = photos.thumbnail(local_store, photo.sha256)
    assert made is not None and made[:2] == b"\xff\xd8"
    [kept] = stored_photos(local_store)
    assert kept.thumbnail == made  # kept for next time
    assert photos.thumbnail(local_store, "b" * 64) is None  # not here at all
    with pytest.raises(ValueError, match="sha256"):
        photos.photo_bytes(local_store, "../../etc/passwd")


def test_a_downloaded_photo_is_checked_against_its_hash(local_store: Store) -> None:
    buffer = io.BytesIO()
    two_halves((300, 200)).save(buffer, "JPEG")
    data = buffer.getvalue()
    sha = hashlib.sha256(data).hexdigest()
    with pytest.raises(PhotoError) as caught:
        photos.store_blob(local_store, data + b"x", sha)
    assert caught.value.code == "hash_mismatch"
    assert stored_photos(local_store) == []
    kept = photos.store_blob(local_store, data, sha)
    assert photos.photo_bytes(local_store, sha) == data and kept.size == len(data)
    assert photos.thumbnail(local_store, sha) is not None
    [row] = blob_rows(local_store)
    assert row.uploaded_at is not None  # the server has it: never uploaded


def _files_holding(root: Path, needle: bytes) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*")
                  if p.is_file() and needle in p.read_bytes())


def test_a_photo_lies_in_no_plain_file_on_an_encrypted_store(
        store_path: Path, tmp_path: Path) -> None:
    """Issue 14 item 3: a picture of a resident's home is inside the encrypted store; no
    file of the data folder (store, WAL, anything else) holds its bytes or its thumbnail's."""
    key = cipher.new_key()
    store = open_store(store_path, key=key)
    try:
        photo = import_photo(store, save_jpeg(tmp_path / "kitchen.jpg",
                                              two_halves((900, 700))))
        data = photos.photo_bytes(store, photo.sha256)
        thumb = photos.thumbnail(store, photo.sha256)
        assert data is not None and thumb is not None
        for needle in (data[200:264], data[-64:], thumb[200:264]):
            assert _files_holding(store_path.parent, needle) == []
    finally:
        store.close()
    with open_store(store_path, key=key) as again:  # and with its key, it is all there
        assert photos.photo_bytes(again, photo.sha256) == data


def test_photo_files_of_an_earlier_version_move_into_the_store(
        store_path: Path, tmp_path: Path) -> None:
    """A laptop upgraded from a version that kept photos as files beside the stores: at
    the next open each store takes in the photos it lists and the files go; a damaged
    one is dropped (its visit shows it as missing); another account's photo is left for
    that account's store."""
    def jpeg(colour: tuple[int, int, int]) -> tuple[bytes, str]:
        buffer = io.BytesIO()
        Image.new("RGB", (320, 240), colour).save(buffer, "JPEG")
        return buffer.getvalue(), hashlib.sha256(buffer.getvalue()).hexdigest()

    (good, sha), (_, damaged), (other, other_sha) = jpeg(RED), jpeg(BLUE), jpeg((9, 9, 9))
    key = cipher.new_key()
    with open_store(store_path, key=key) as store, store.write() as session:
        for listed in (sha, damaged):  # what the old version's table listed
            session.add(LocalBlob(sha256=listed, content_type="image/jpeg", size=1,
                                  created_at=records.now(), attempts=0))
    root = store_path.parent
    for name, data in ((sha, good), (damaged, b"not what the name says"),
                       (other_sha, other)):
        (root / "blobs" / name[:2]).mkdir(parents=True, exist_ok=True)
        (root / "blobs" / name[:2] / name).write_bytes(data)
    (root / "thumbs" / sha[:2]).mkdir(parents=True)
    (root / "thumbs" / sha[:2] / f"{sha}.jpg").write_bytes(good[:100])
    with open_store(store_path, key=key) as store:
        assert photos.photo_bytes(store, sha) == good
        assert photos.thumbnail(store, sha) == good[:100]
        assert not photos.has_photo(store, damaged)
        assert not photos.has_photo(store, other_sha)
    left = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()
                  and p.parent.parent.name in ("blobs", "thumbs"))
    assert left == [f"blobs/{other_sha[:2]}/{other_sha}"]  # the other account's, only
    assert not (root / "thumbs").exists()
