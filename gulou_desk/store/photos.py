"""Visit photos on this device: imported from disk, resized, stored by content.

A worker copies the phone's pictures to the laptop and picks them in a visit form.
:func:`import_photo` checks the file (a JPEG, PNG or WebP by its content, whatever its
name; at most :data:`MAX_SOURCE_BYTES`), turns it upright as the camera's EXIF
orientation says, shrinks it to at most :data:`MAX_SIDE` pixels on the long side,
re-encodes it as JPEG without any EXIF (no GPS position, no camera serial leaves the
device) and keeps it under its sha256, with a thumbnail (:data:`THUMB_SIDE` px) for the
history.

The bytes live inside the store (``photo_data``), so the store's encryption covers them:
a picture of a resident's home never lies in a plain file. Photos that earlier versions
kept as files under ``<data>/blobs`` and ``<data>/thumbs`` are moved in when the store
opens (:func:`move_files_in`). The ``local_blobs`` table remembers each photo and whether
the server has it (:mod:`sync.blobs`). Errors are :class:`PhotoError` with a code for the
UI to translate; nothing is stored then.

Reading and writing photos touches the disk: call these off the GUI thread.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import logging
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from PIL import Image, ImageOps, UnidentifiedImageError

from gulou_desk import records
from gulou_desk.images import sniff_type
from gulou_desk.store.engine import Store
from gulou_desk.store.schema import LocalBlob, PhotoData

log = logging.getLogger(__name__)

MAX_SOURCE_BYTES = 25 * 1024 * 1024
"""A picture file bigger than this is refused (``too_large``)."""
MAX_PIXELS = 120_000_000
"""Pictures with more pixels are refused (``too_many_pixels``): decoding one would take
gigabytes of memory (a "decompression bomb")."""
MAX_SIDE = 1600
THUMB_SIDE = 240
JPEG_QUALITY = 85
THUMB_QUALITY = 80
CONTENT_TYPE = "image/jpeg"

_SHA256 = re.compile(r"[0-9a-f]{64}")


class PhotoError(Exception):
    """A picture that cannot be used; ``code`` says why (for the UI to translate).

    Codes: ``not_found`` (no such file), ``unreadable`` (the file cannot be read),
    ``too_large`` (over :data:`MAX_SOURCE_BYTES`), ``not_an_image`` (not JPEG, PNG or
    WebP by content), ``corrupt`` (looks like one but cannot be decoded),
    ``too_many_pixels``, ``hash_mismatch`` (bytes that are not what their hash says).
    """

    def __init__(self, code: str, message: str, *, path: Path | None = None,
                 limit: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.path = path
        self.limit = limit


@dataclass(frozen=True, slots=True)
class StoredPhoto:
    sha256: str
    width: int
    height: int
    size: int
    """Bytes of the stored JPEG."""
    content_type: str = CONTENT_TYPE


_PIL_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}


# --- what is here ---------------------------------------------------------------------


def data_dir(store: Store) -> Path:
    """The folder of the store's SQLite file (the user's local data folder)."""
    if store.path is None:
        raise ValueError("an in-memory store has no data folder")
    return store.path.parent


def _check_sha(sha256: str) -> str:
    if not _SHA256.fullmatch(sha256):
        raise ValueError(f"not a sha256: {sha256!r:.80}")
    return sha256


def has_photo(store: Store, sha256: str) -> bool:
    _check_sha(sha256)
    with store.session() as session:
        return session.scalar(sa.select(sa.literal(True)).where(
            PhotoData.sha256 == sha256)) is not None


def photo_bytes(store: Store, sha256: str) -> bytes | None:
    """The photo with this hash, or ``None`` when it is not on this device."""
    _check_sha(sha256)
    with store.session() as session:
        return session.scalar(sa.select(PhotoData.data).where(PhotoData.sha256 == sha256))


# --- importing ------------------------------------------------------------------------


def import_photo(store: Store, source: Path, *, now: dt.datetime | None = None) -> StoredPhoto:
    """Check, resize and store a picture from disk; returns what a visit refers to.

    Importing the same picture twice gives the same hash and stores it once.
    """
    source = Path(source)
    try:
        size = source.stat().st_size
    except FileNotFoundError:
        raise PhotoError("not_found", f"no such file: {source}", path=source) from None
    except OSError as exc:
        raise PhotoError("unreadable", f"cannot read {source}: {exc}", path=source) from exc
    if not source.is_file():
        raise PhotoError("not_found", f"not a file: {source}", path=source)
    if size > MAX_SOURCE_BYTES:
        raise PhotoError("too_large", f"{source} has {size} bytes, over {MAX_SOURCE_BYTES}",
                         path=source, limit=MAX_SOURCE_BYTES)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise PhotoError("unreadable", f"cannot read {source}: {exc}", path=source) from exc
    return import_photo_bytes(store, data, now=now, name=source)


def import_photo_bytes(store: Store, data: bytes, *, now: dt.datetime | None = None,
                       name: Path | None = None) -> StoredPhoto:
    """:func:`import_photo` for bytes already in memory (a pasted picture, say)."""
    if len(data) > MAX_SOURCE_BYTES:
        raise PhotoError("too_large", f"{len(data)} bytes, over {MAX_SOURCE_BYTES}",
                         path=name, limit=MAX_SOURCE_BYTES)
    image = _fit(_decode(data, name), MAX_SIDE)
    jpeg = _encode(image, JPEG_QUALITY, image.info.get("icc_profile"))
    return _keep(store, jpeg, CONTENT_TYPE, image_of=image, now=now, uploaded=False)


def store_blob(store: Store, data: bytes, sha256: str, *, now: dt.datetime | None = None
               ) -> StoredPhoto:
    """Keep a photo downloaded from the server (it has it: never uploaded again).

    Raises :class:`PhotoError` ``hash_mismatch`` when the bytes are not ``sha256``'s, and
    ``not_an_image`` / ``corrupt`` when they are no picture.
    """
    if hashlib.sha256(data).hexdigest() != _check_sha(sha256):
        raise PhotoError("hash_mismatch", f"the bytes are not those of {sha256}")
    content_type = sniff_type(data)
    if content_type is None:
        raise PhotoError("not_an_image", f"{sha256} is not a JPEG, PNG or WebP picture")
    return _keep(store, data, content_type, image_of=None, now=now, uploaded=True)


def thumbnail(store: Store, sha256: str) -> bytes | None:
    """The JPEG thumbnail of a photo held here, made now if it is missing; ``None`` when
    the photo itself is not here (``sync.blobs.fetch_thumbnail`` downloads it)."""
    _check_sha(sha256)
    with store.session() as session:
        row = session.execute(sa.select(PhotoData.data, PhotoData.thumbnail)
                              .where(PhotoData.sha256 == sha256)).first()
    if row is None:
        return None
    if row.thumbnail is not None:
        return bytes(row.thumbnail)
    thumb = _thumbnail_of(_decode(bytes(row.data), None))
    with store.write() as session:
        session.execute(sa.update(PhotoData).where(PhotoData.sha256 == sha256)
                        .values(thumbnail=thumb))
    return thumb


def _thumbnail_of(image: Image.Image) -> bytes:
    return _encode(_fit(image, THUMB_SIDE), THUMB_QUALITY, None)


def _decode(data: bytes, name: Path | None) -> Image.Image:
    content_type = sniff_type(data)
    if content_type is None:
        raise PhotoError("not_an_image", f"{name or 'the data'} is not a JPEG, PNG or WebP "
                         "picture", path=name)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[_PIL_FORMATS[content_type]])
            if image.width * image.height > MAX_PIXELS:
                raise PhotoError("too_many_pixels",
                                 f"{image.width}×{image.height} pixels is too many",
                                 path=name, limit=MAX_PIXELS)
            image.load()
            upright = ImageOps.exif_transpose(image)
    except PhotoError:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise PhotoError("too_many_pixels", str(exc), path=name, limit=MAX_PIXELS) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as exc:
        raise PhotoError("corrupt", f"{name or 'the picture'} cannot be decoded: {exc}",
                         path=name) from exc
    icc = image.info.get("icc_profile")
    return _rgb(upright, icc)


def _rgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """RGB pixels; transparent parts become white (as they show on a page)."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in
                                               image.info):
        rgba = image.convert("RGBA")
        out = Image.new("RGB", rgba.size, (255, 255, 255))
        out.paste(rgba, mask=rgba.getchannel("A"))
    elif image.mode == "RGB":
        out = image.copy()
    else:  # L, P, CMYK, YCbCr, 16-bit grey …
        try:
            out = image.convert("RGB")
        except ValueError as exc:
            raise PhotoError("corrupt", f"pixels of mode {image.mode} cannot be shown") \
                from exc
    out.info = {"icc_profile": icc} if icc else {}
    return out


def _fit(image: Image.Image, side: int) -> Image.Image:
    if max(image.size) <= side:
        return image
    out = image.copy()
    out.thumbnail((side, side), Image.Resampling.LANCZOS)
    out.info = dict(image.info)
    return out


def _encode(image: Image.Image, quality: int, icc: bytes | None) -> bytes:
    buffer = io.BytesIO()
    options: dict[str, object] = {"quality": quality, "optimize": True, "exif": b""}
    if icc:
        options["icc_profile"] = icc
    image.save(buffer, "JPEG", **options)
    return buffer.getvalue()


def _keep(store: Store, data: bytes, content_type: str, *, image_of: Image.Image | None,
          now: dt.datetime | None, uploaded: bool) -> StoredPhoto:
    sha256 = hashlib.sha256(data).hexdigest()
    image = image_of or _decode(data, None)  # before anything is written
    thumb = _thumbnail_of(image)
    now = now or records.now()
    with store.write() as session:
        if session.get(PhotoData, sha256) is None:
            session.add(PhotoData(sha256=sha256, data=data, thumbnail=thumb))
        row = session.get(LocalBlob, sha256)
        if row is None:
            session.add(LocalBlob(sha256=sha256, content_type=content_type, size=len(data),
                                  created_at=now, uploaded_at=now if uploaded else None,
                                  attempts=0, last_error=None))
        elif uploaded and row.uploaded_at is None:
            row.uploaded_at = now
    return StoredPhoto(sha256, image.width, image.height, len(data), content_type)


# --- photos kept as files by earlier versions -----------------------------------------

_OLD_FOLDERS = ("blobs", "thumbs")


def move_files_in(store: Store) -> int:
    """Move the photos that earlier versions kept as plain files beside the store
    (``<stores>/blobs/ab/<sha>`` and ``<stores>/thumbs/ab/<sha>.jpg``) into it, and delete
    those files. The folder was shared by every account's store on the computer: a file
    is taken only by a store whose ``local_blobs`` lists it (another account moves its
    own when it opens), and the folders go once empty. A listed file whose bytes are not
    what its name says is damaged and deleted (its visit shows the photo as missing).
    Returns the number of photos moved in. Nothing to do (the usual case) costs a
    ``stat``."""
    if store.path is None:
        return 0
    root = data_dir(store)
    if not any((root / folder).is_dir() for folder in _OLD_FOLDERS):
        return 0
    with store.session() as session:
        ours = set(session.scalars(sa.select(LocalBlob.sha256)))
    moved = 0
    for path in sorted((root / "blobs").glob("*/*")):
        sha = path.name
        if sha not in ours:
            continue
        thumb_file = root / "thumbs" / sha[:2] / f"{sha}.jpg"
        try:
            data = path.read_bytes()
            thumb = thumb_file.read_bytes() if thumb_file.is_file() else None
        except OSError:
            continue
        if hashlib.sha256(data).hexdigest() == sha:
            with store.write() as session:
                if session.get(PhotoData, sha) is None:
                    session.add(PhotoData(sha256=sha, data=data, thumbnail=thumb))
                    moved += 1
        else:
            log.warning("photo file %s is damaged: not moved into the store", sha)
        path.unlink(missing_ok=True)
        thumb_file.unlink(missing_ok=True)
    for folder in _OLD_FOLDERS:
        for sub in sorted((root / folder).glob("*"), reverse=True):
            _remove_if_empty(sub)
        _remove_if_empty(root / folder)
    if moved:
        log.info("moved %d photo files into the encrypted store", moved)
    return moved


def _remove_if_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not empty (another account's photos), or gone
        folder.rmdir()
