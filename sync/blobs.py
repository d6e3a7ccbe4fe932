"""Photos between this device and the server: upload before push, download on demand.

Upload (:func:`upload_pending_blobs`, run by :meth:`SyncEngine.run_cycle
<sync.engine.SyncEngine.run_cycle>` before it pushes): every photo that a pending visit
or consultation meeting mutation refers to (its ``photos``, and a visit's photo answers)
and that the server is not known to have is checked with ``HEAD`` and, if missing, sent
with ``PUT``
(the server verifies the sha256). The protocol asks for the blob before the mutation
that refers to it, so a failure to reach the server stops the cycle before the push;
the next cycle starts again where this one stopped:

- resumable: each photo is one request and is remembered once the server has it
  (``local_blobs.uploaded_at``), so an interrupted cycle resends only what did not
  arrive;
- never twice: a remembered photo is not even asked about again; one whose ``PUT``
  arrived but whose answer was lost is found by the ``HEAD`` of the next cycle; and the
  server stores by hash, so even a repeated ``PUT`` stores nothing twice.

A photo the server refuses (422/413: not an image, too big) or that is no longer on
this device is logged and remembered in ``local_blobs.last_error``; the visit is pushed
all the same (the answers are worth more than a picture), without that photo on the
server.

Download (:func:`fetch_photo`, :func:`fetch_thumbnail`): photos of visits pulled from
the server are fetched when the user opens them (thumbnails in the visit history), and
kept like the user's own.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import sqlalchemy as sa

from gulou_desk import records
from gulou_desk.images import sniff_type
from gulou_desk.store import photos
from gulou_desk.store.engine import Store
from gulou_desk.store.schema import LocalBlob, Outbox
from sync.client import ApiClient, RequestRejected, SyncError

log = logging.getLogger(__name__)

_SHA256 = re.compile(r"[0-9a-f]{64}")
PHOTO_ENTITIES = ("visit", "consultation_meeting")
"""Records whose ``photos`` (and a visit's photo answers) hold photo hashes."""
REFUSED = "refused:"
"""``local_blobs.last_error`` of a photo the server refused: not offered again."""


@dataclass
class BlobReport:
    uploaded: list[str] = field(default_factory=list)
    """Sent with PUT in this cycle."""
    already_there: list[str] = field(default_factory=list)
    """The server had them (HEAD): not sent."""
    refused: dict[str, str] = field(default_factory=dict)
    """sha256 → the server's error code."""
    missing: list[str] = field(default_factory=list)
    """Referred to, but not on this device (or damaged)."""


def photos_of(fields: Mapping[str, Any] | None) -> list[str]:
    """The photo hashes in a visit's wire fields: ``photos`` and every answer that is a
    list of sha256 hashes (the answers of photo fields), in order, each once."""
    if not fields:
        return []
    found: list[str] = []
    values: list[Any] = [fields.get("photos")]
    answers = fields.get("answers")
    if isinstance(answers, Mapping):
        values += list(answers.values())
    for value in values:
        if isinstance(value, list) and value and all(
                isinstance(v, str) and _SHA256.fullmatch(v) for v in value):
            found += value
    return list(dict.fromkeys(found))


def pending_blobs(store: Store) -> list[str]:
    """Photos that pending visit and meeting mutations refer to and that the server is
    not known to have (nor refused), in push order."""
    with store.session() as session:
        fields = session.scalars(
            sa.select(Outbox.fields)
            .where(Outbox.entity.in_(PHOTO_ENTITIES), Outbox.op.in_(("create", "update")))
            .order_by(Outbox.seq))
        wanted = list(dict.fromkeys(sha for f in fields for sha in photos_of(f)))
        if not wanted:
            return []
        done = set(session.scalars(
            sa.select(LocalBlob.sha256).where(
                LocalBlob.sha256.in_(wanted),
                sa.or_(LocalBlob.uploaded_at.is_not(None),
                       LocalBlob.last_error.startswith(REFUSED)))))
    return [sha for sha in wanted if sha not in done]


def upload_pending_blobs(store: Store, client: ApiClient, *,
                         check: Callable[[], None] | None = None) -> BlobReport:
    """Upload what :func:`pending_blobs` lists. ``check`` is called before each photo
    (a cancel token's ``check``). Raises :class:`~sync.client.SyncError` when the server
    cannot be reached or fails: the photos sent so far stay remembered."""
    report = BlobReport()
    for sha in pending_blobs(store):
        if check is not None:
            check()
        data = photos.photo_bytes(store, sha)
        if data is None or hashlib.sha256(data).hexdigest() != sha:
            log.warning("photo %s of a pending visit is missing or damaged here", sha)
            _remember(store, sha, data, error="missing")
            report.missing.append(sha)
            continue
        try:
            if client.has_blob(sha):
                report.already_there.append(sha)
            else:
                client.put_blob(sha, data, sniff_type(data) or photos.CONTENT_TYPE)
                report.uploaded.append(sha)
        except RequestRejected as exc:
            log.warning("the server refused photo %s: %s %s", sha, exc.error_code, exc.message)
            _remember(store, sha, data, error=REFUSED + exc.error_code)
            report.refused[sha] = exc.error_code
            continue
        except SyncError as exc:
            _remember(store, sha, data, error=f"{exc.code}: {exc.message}"[:300])
            raise
        _remember(store, sha, data, uploaded=True)
    if report.uploaded or report.already_there:
        log.info("photos: %d uploaded, %d already on the server", len(report.uploaded),
                 len(report.already_there))
    return report


def _remember(store: Store, sha: str, data: bytes | None, *, uploaded: bool = False,
              error: str | None = None) -> None:
    now = records.now()
    with store.write() as session:
        row = session.get(LocalBlob, sha)
        if row is None:
            row = LocalBlob(sha256=sha, content_type=sniff_type(data or b"")
                            or photos.CONTENT_TYPE, size=len(data or b""), created_at=now,
                            uploaded_at=None, attempts=0, last_error=None)
            session.add(row)
        if uploaded:
            row.uploaded_at = now
            row.last_error = None
        else:
            row.attempts = (row.attempts or 0) + 1
            row.last_error = error


def uploaded(store: Store, hashes: Iterable[str]) -> set[str]:
    """Which of these photos the server is known to have."""
    wanted = list(hashes)
    with store.session() as session:
        return set(session.scalars(sa.select(LocalBlob.sha256).where(
            LocalBlob.sha256.in_(wanted), LocalBlob.uploaded_at.is_not(None))))


# --- download -------------------------------------------------------------------------


class BlobReader(Protocol):
    """What downloads a photo (``ApiClient``, or a view's on-demand reads)."""

    def get_blob(self, sha256: str) -> bytes: ...


def fetch_photo(store: Store, client: BlobReader, sha256: str) -> bytes:
    """The photo, downloaded first if it is not here (blocking: run it off the GUI
    thread). Raises :class:`~sync.client.SyncError` (``RequestRejected`` with
    ``error_code == "not_found"`` when the server has no such photo for this user) or
    :class:`~gulou_desk.store.photos.PhotoError` when the download is not that photo."""
    data = photos.photo_bytes(store, sha256)
    if data is not None:
        return data
    data = client.get_blob(sha256)
    photos.store_blob(store, data, sha256)
    return data


def fetch_thumbnail(store: Store, client: BlobReader, sha256: str) -> bytes:
    """The photo's thumbnail (JPEG bytes), downloading the photo first if needed."""
    thumb = photos.thumbnail(store, sha256)
    if thumb is not None:
        return thumb
    fetch_photo(store, client, sha256)
    thumb = photos.thumbnail(store, sha256)
    assert thumb is not None
    return thumb
