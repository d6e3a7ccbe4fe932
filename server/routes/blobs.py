"""``/blobs/{sha256}``: content-addressed attachments (photos of visits and of
consultation meetings).

``PUT`` checks the name (a lower-case sha256), the type (JPEG, PNG, WebP: the declared
``Content-Type`` and the bytes' signature must agree), the size (``max_blob_bytes``; the
body is read in chunks and not kept once it is over, so a huge upload costs no memory)
and that the bytes hash to the name; 201 when stored, 200 when the server had it
(content addressing: nothing is stored twice). ``GET`` returns it to its uploader and to
users who can see a visit that refers to it in a photo field (``photos``, or the answer
to a question of type ``photo``) or a consultation meeting that holds it in its
``photos``; ``HEAD`` tells whether the server has it, to the same users only.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.responses import Response

from gulou_desk.images import IMAGE_TYPES, sniff_type
from gulou_desk.records import now
from server import scope
from server.database import writer
from server.errors import ApiError
from server.routes.deps import CurrentUser, EngineDep, SettingsDep
from server.schema import RECORD_TABLES, blobs
from server.store import load, stored_keys

router = APIRouter(prefix="/blobs", tags=["blobs"])

ALLOWED_TYPES = IMAGE_TYPES
_SHA = re.compile(r"^[0-9a-f]{64}$")


def _check_sha(sha256: str) -> str:
    if not _SHA.match(sha256):
        raise ApiError(422, "validation", "a blob is named by its lower-case sha256",
                       {"field": "sha256"})
    return sha256


@router.put("/{sha256}")
async def put_blob(sha256: str, request: Request, user: CurrentUser, engine: EngineDep,
                   settings: SettingsDep) -> Response:
    _check_sha(sha256)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in ALLOWED_TYPES:
        raise ApiError(422, "validation", f"photos must be one of {sorted(ALLOWED_TYPES)}",
                       {"field": "content_type"})
    limit = settings.max_blob_bytes
    too_large = ApiError(413, "too_large", f"a photo may be at most {limit} bytes",
                         {"limit": limit})
    parts: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size <= limit:
            parts.append(chunk)
        elif size > settings.max_body_bytes:
            break
        # Over the limit: the rest is read and dropped (not kept in memory), so that the
        # client, still sending, gets the answer instead of a reset connection.
    if size > limit:
        raise too_large
    data = b"".join(parts)
    if sniff_type(data) != content_type:
        raise ApiError(422, "validation", "the bytes are not the image type they claim to be",
                       {"field": "content_type"})
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ApiError(422, "validation", "the bytes do not match their sha256",
                       {"field": "sha256"})
    with writer(engine).begin() as conn:
        exists = conn.execute(sa.select(blobs.c.sha256).where(blobs.c.sha256 == sha256)).first()
        if exists:
            return Response(status_code=200)
        conn.execute(sa.insert(blobs).values(
            sha256=sha256, content_type=content_type, size=len(data), data=data,
            created_at=now(), created_by=user.id))
    return Response(status_code=201)


@router.head("/{sha256}")
def head_blob(sha256: str, user: CurrentUser, engine: EngineDep) -> Response:
    """Whether the server has the photo, for those who may read it (a ``404`` otherwise:
    that a hash exists is not told to someone who may not see it)."""
    _check_sha(sha256)
    with engine.connect() as conn:
        row = conn.execute(sa.select(blobs.c.size, blobs.c.content_type, blobs.c.created_by)
                           .where(blobs.c.sha256 == sha256)).first()
        if row is None or not _may_read(conn, user, sha256, row.created_by):
            return Response(status_code=404)
    return Response(status_code=200, headers={"Content-Length": str(row.size),
                                              "Content-Type": row.content_type})


@router.get("/{sha256}")
def get_blob(sha256: str, user: CurrentUser, engine: EngineDep) -> Response:
    _check_sha(sha256)
    with engine.connect() as conn:
        row = conn.execute(sa.select(blobs).where(blobs.c.sha256 == sha256)).mappings().first()
        if row is None or not _may_read(conn, user, sha256, row["created_by"]):
            raise ApiError(404, "not_found", "no such photo")
    return Response(content=row["data"], media_type=row["content_type"])


def _may_read(conn: sa.Connection, user: scope.Principal, sha256: str,
              uploader: str | None) -> bool:
    """Its uploader, and users who can see a visit that holds it in a photo field (its
    ``photos``, or an answer to a question of type ``photo``) or a consultation meeting
    that holds it in its ``photos``. A hash written into a text answer or a note gives no
    right to the photo."""
    if uploader == user.id:
        return True
    keys = scope.user_keys(conn, user)
    visits = RECORD_TABLES["visit"]
    q = sa.select(visits.c.id, visits.c.template_id, visits.c.photos, visits.c.answers).where(
        sa.or_(sa.cast(visits.c.photos, sa.Text).contains(sha256),
               sa.cast(visits.c.answers, sa.Text).contains(sha256)))
    if any(_holds_photo(conn, row, sha256)
           and scope.can_see(keys, stored_keys(conn, "visit", row.id))
           for row in conn.execute(q)):
        return True
    meetings = RECORD_TABLES["consultation_meeting"]
    q = sa.select(meetings.c.id, meetings.c.photos).where(
        sa.cast(meetings.c.photos, sa.Text).contains(sha256))
    return any(sha256 in (row.photos or [])
               and scope.can_see(keys, stored_keys(conn, "consultation_meeting", row.id))
               for row in conn.execute(q))


def _holds_photo(conn: sa.Connection, visit: Any, sha256: str) -> bool:
    if sha256 in (visit.photos or []):
        return True
    answers = visit.answers if isinstance(visit.answers, dict) else {}
    keys = {key for key, value in answers.items()
            if isinstance(value, list) and sha256 in value}
    if not keys:
        return False
    template = load(conn, "visit_template", str(visit.template_id))
    fields = template["fields"] if template and isinstance(template["fields"], list) else []
    return any(isinstance(f, dict) and f.get("type") == "photo" and f.get("key") in keys
               for f in fields)
