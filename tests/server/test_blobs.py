"""The blob endpoints over real HTTP: a photo is stored once by its hash; bytes that are no
picture, bodies over the limit, wrong hashes and names get the protocol's error JSON;
reading follows the visits a user can see."""

from __future__ import annotations

import hashlib
import io

import pytest
import requests
from PIL import Image

from gulou_desk.records import format_datetime, new_id, now
from tests.conftest import LiveServer
from tests.world import Api, World, build_world, mutation

MAX_BLOB = 8 * 1024 * 1024


@pytest.fixture
def world(live_server: LiveServer) -> World:
    return build_world(live_server.engine)


def jpeg(colour: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def put(api: Api, name: str, data: bytes, content_type: str = "image/jpeg"
        ) -> requests.Response:
    return api.http.put(f"{api.base}/blobs/{name}", data=data, timeout=30,
                        headers={**api.headers(), "Content-Type": content_type})


def head(api: Api, name: str) -> requests.Response:
    return api.http.head(f"{api.base}/blobs/{name}", headers=api.headers(), timeout=30)


def error_of(response: requests.Response) -> dict[str, object]:
    body = response.json()
    assert set(body) == {"error"} and {"code", "message", "details"} <= set(body["error"])
    return dict(body["error"])


def test_a_photo_is_stored_once_by_its_hash(live_server: LiveServer, world: World) -> None:
    w1 = Api(live_server.api).login("worker1")
    data = jpeg()
    assert head(w1, sha(data)).status_code == 404
    assert put(w1, sha(data), data).status_code == 201
    assert put(w1, sha(data), data).status_code == 200  # had it: nothing stored twice
    answer = head(w1, sha(data))
    assert answer.status_code == 200
    assert answer.headers["Content-Length"] == str(len(data))
    assert answer.headers["Content-Type"] == "image/jpeg"
    got = w1.get(f"/blobs/{sha(data)}")
    assert got.status_code == 200 and got.content == data
    assert got.headers["Content-Type"] == "image/jpeg"


@pytest.mark.parametrize(("body", "content_type"), [
    (b"just some text, not a photo at all", "image/jpeg"),
    ("这是文字".encode(), "image/png"),
    (b"RIFF\x10\x00\x00\x00WAVEfmt " + b"\x00" * 40, "image/webp"),  # a sound, not WebP
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "image/jpeg"),  # a PNG that claims to be a JPEG
])
def test_bytes_that_are_not_the_picture_they_claim_are_refused(
        live_server: LiveServer, world: World, body: bytes, content_type: str) -> None:
    w1 = Api(live_server.api).login("worker1")
    answer = put(w1, sha(body), body, content_type)
    assert answer.status_code == 422
    error = error_of(answer)
    assert error["code"] == "validation" and error["details"] == {"field": "content_type"}
    assert head(w1, sha(body)).status_code == 404


def test_a_type_that_is_no_photo_is_refused(live_server: LiveServer, world: World) -> None:
    w1 = Api(live_server.api).login("worker1")
    data = jpeg()
    for content_type in ("text/plain", "application/pdf", "image/gif", ""):
        answer = put(w1, sha(data), data, content_type)
        assert answer.status_code == 422, content_type
        assert error_of(answer)["details"] == {"field": "content_type"}


def test_a_body_over_the_limit_is_too_large(live_server: LiveServer, world: World) -> None:
    w1 = Api(live_server.api).login("worker1")
    body = b"\xff\xd8\xff\xe0" + b"\x00" * MAX_BLOB  # four bytes over the limit
    answer = put(w1, sha(body), body)
    assert answer.status_code == 413
    error = error_of(answer)
    assert error["code"] == "too_large" and error["details"] == {"limit": MAX_BLOB}
    assert head(w1, sha(body)).status_code == 404
    # Sent in chunks without a length, it is refused all the same.
    chunks = (body[i:i + 65536] for i in range(0, len(body), 65536))
    answer = w1.http.put(f"{w1.base}/blobs/{sha(body)}", data=chunks, timeout=30,
                         headers={**w1.headers(), "Content-Type": "image/jpeg"})
    assert answer.status_code == 413 and error_of(answer)["code"] == "too_large"
    # Exactly at the limit is fine.
    fits = body[:MAX_BLOB]
    assert put(w1, sha(fits), fits).status_code == 201


def test_bytes_must_match_their_name(live_server: LiveServer, world: World) -> None:
    w1 = Api(live_server.api).login("worker1")
    data = jpeg()
    answer = put(w1, sha(jpeg((1, 2, 3))), data)
    assert answer.status_code == 422
    assert error_of(answer)["details"] == {"field": "sha256"}
    for name in ("ABC", sha(data).upper(), sha(data)[:-1], "../" + sha(data)[3:]):
        answer = put(w1, name, data)
        assert answer.status_code in (404, 422), name
        assert error_of(answer)["code"] in ("validation", "not_found")
    assert head(w1, sha(data)).status_code == 404


def test_blobs_need_a_login(live_server: LiveServer, world: World) -> None:
    data = jpeg()
    anonymous = Api(live_server.api)
    answer = put(anonymous, sha(data), data)
    assert answer.status_code == 401 and error_of(answer)["code"] == "invalid_credentials"
    assert anonymous.get(f"/blobs/{sha(data)}").status_code == 401


def test_reading_follows_the_visits_a_user_can_see(live_server: LiveServer,
                                                    world: World) -> None:
    w1 = Api(live_server.api).login("worker1")
    clerk = Api(live_server.api).login("clerk1")
    w2 = Api(live_server.api).login("worker2")
    in_photos, in_answers = jpeg((10, 10, 10)), jpeg((250, 250, 250))
    for data in (in_photos, in_answers):
        assert put(w1, sha(data), data).status_code == 201
    # Nobody else can read a photo that no visit refers to yet.
    assert clerk.get(f"/blobs/{sha(in_photos)}").status_code == 404
    template = world.save("visit_template", "photo_template", {
        "name": "拍照走访", "version": 1, "active": True, "fields": [
            {"key": "kitchen", "type": "photo", "label": {"zh": "厨房", "en": "Kitchen"}}]})
    [result] = w1.push(mutation("visit", new_id(), "create", fields={
        "household_id": world["hA1"], "worker_id": world["worker1"],
        "template_id": template, "template_version": 1,
        "visited_at": format_datetime(now()), "answers": {"kitchen": [sha(in_answers)]},
        "photos": [sha(in_photos)]}))
    assert result["status"] == "applied", result
    for data in (in_photos, in_answers):
        got = clerk.get(f"/blobs/{sha(data)}")  # the community's clerk sees the visit
        assert got.status_code == 200 and got.content == data
        answer = w2.get(f"/blobs/{sha(data)}")  # a worker of another grid does not
        assert answer.status_code == 404 and error_of(answer)["code"] == "not_found"
