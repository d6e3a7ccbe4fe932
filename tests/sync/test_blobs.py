"""Visit photos through the sync engine and the real server: uploaded before the visit,
resumed after an interruption, never sent twice, refused ones do not hold a visit back,
and downloaded on demand by the users who can see the visit.

What went over the wire is read from the server's own request log.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from PIL import Image

from gulou_desk import records
from gulou_desk.store import photos
from gulou_desk.store.schema import LocalBlob, PhotoData
from gulou_desk.store.usecases import create_record
from server.schema import RECORD_TABLES, blobs
from sync import blobs as blob_sync
from sync.client import OfflineError, RequestRejected
from tests.conftest import LiveServer
from tests.world import World

_REQUEST = re.compile(r"^(GET|HEAD|PUT|POST) (/api/v1/\S+) (\d+) ")


@pytest.fixture
def wire(caplog: pytest.LogCaptureFixture) -> Any:
    """The requests the server answered, as (method, path, status)."""
    caplog.set_level(logging.INFO, logger="gulou.server")

    def requests(prefix: str = "/api/v1/") -> list[tuple[str, str, int]]:
        out = []
        for record in caplog.records:
            if record.name == "gulou.server":
                m = _REQUEST.match(record.getMessage())
                if m and m.group(2).startswith(prefix):
                    out.append((m.group(1), m.group(2), int(m.group(3))))
        return out

    return requests


def picture(folder: Path, name: str, colour: tuple[int, int, int]) -> Path:
    path = folder / name
    Image.new("RGB", (2400, 1800), colour).save(path, "JPEG")
    return path


def visit_with(device: Any, world: World, shas: list[str], household: str = "hA1") -> str:
    vid, _ = create_record(device.store, "visit", {
        "household_id": world[household], "template_id": world["template"],
        "visited_at": records.now().replace(microsecond=0), "answers": {"at_home": True},
        "photos": shas}, actor=device.actor())
    return vid


def server_blobs(server: LiveServer) -> dict[str, int]:
    with server.engine.connect() as conn:
        return {sha: size for sha, size in conn.execute(sa.select(blobs.c.sha256, blobs.c.size))}


def server_visit(server: LiveServer, vid: str) -> dict[str, Any] | None:
    visits = RECORD_TABLES["visit"]
    with server.engine.connect() as conn:
        row = conn.execute(sa.select(visits).where(visits.c.id == vid)).mappings().first()
    return dict(row) if row else None


def puts(wire: Any) -> list[str]:
    return [path.rsplit("/", 1)[1] for method, path, _ in wire("/api/v1/blobs/")
            if method == "PUT"]


def test_a_photo_reaches_the_server_before_its_visit(
        devices: Any, world: World, live_server: LiveServer, tmp_path: Path, wire: Any
) -> None:
    w1 = devices("worker1")
    w1.sync()
    photo = photos.import_photo(w1.store, picture(tmp_path, "IMG_1.jpg", (200, 30, 30)))
    vid = visit_with(w1, world, [photo.sha256])
    report = w1.sync()
    assert report.applied == 1
    assert server_blobs(live_server) == {photo.sha256: photo.size}
    assert server_visit(live_server, vid)["photos"] == [photo.sha256]
    calls = [(m, p) for m, p, _ in wire()]
    put = calls.index(("PUT", f"/api/v1/blobs/{photo.sha256}"))
    push = calls.index(("POST", "/api/v1/sync/push"))
    assert put < push  # the photo before the mutation that refers to it
    # The clerk of the community sees the visit and opens its thumbnail.
    clerk = devices("clerk1")
    clerk.sync()
    assert not photos.has_photo(clerk.store, photo.sha256)
    thumb = blob_sync.fetch_thumbnail(clerk.store, clerk.client, photo.sha256)
    assert thumb[:2] == b"\xff\xd8" and thumb == photos.thumbnail(clerk.store, photo.sha256)
    assert photos.photo_bytes(clerk.store, photo.sha256) == photos.photo_bytes(
        w1.store, photo.sha256)
    gets = [p for m, p, _ in wire("/api/v1/blobs/") if m == "GET"]
    assert gets == [f"/api/v1/blobs/{photo.sha256}"]
    blob_sync.fetch_photo(clerk.store, clerk.client, photo.sha256)  # held now: no request
    assert len([p for m, p, _ in wire("/api/v1/blobs/") if m == "GET"]) == 1
    # A worker of another grid cannot fetch it.
    other = devices("worker2")
    other.sync()
    with pytest.raises(RequestRejected) as caught:
        blob_sync.fetch_photo(other.store, other.client, photo.sha256)
    assert caught.value.error_code == "not_found"
    assert not photos.has_photo(other.store, photo.sha256)


def test_upload_resumes_after_the_server_went_away_mid_way(
        devices: Any, world: World, live_server: LiveServer, tmp_path: Path, wire: Any
) -> None:
    w1 = devices("worker1")
    w1.sync()
    first = photos.import_photo(w1.store, picture(tmp_path, "1.jpg", (200, 30, 30)))
    second = photos.import_photo(w1.store, picture(tmp_path, "2.jpg", (30, 200, 30)))
    vid = visit_with(w1, world, [first.sha256, second.sha256])
    real_put = w1.client.put_blob

    def put_then_lose_the_server(sha: str, data: bytes, content_type: str) -> None:
        real_put(sha, data, content_type)
        live_server.stop()  # the network goes after the first photo arrived

    w1.client.put_blob = put_then_lose_the_server  # type: ignore[method-assign]
    try:
        with pytest.raises(OfflineError):
            w1.sync()
    finally:
        w1.client.put_blob = real_put  # type: ignore[method-assign]
        live_server.restart()
    assert set(server_blobs(live_server)) == {first.sha256}
    assert server_visit(live_server, vid) is None  # not pushed without its photos
    report = w1.sync()
    assert report.applied == 1
    assert set(server_blobs(live_server)) == {first.sha256, second.sha256}
    assert puts(wire) == [first.sha256, second.sha256]  # each sent once
    assert server_visit(live_server, vid)["photos"] == [first.sha256, second.sha256]


def test_upload_waits_for_a_server_that_is_down(
        devices: Any, world: World, live_server: LiveServer, tmp_path: Path, wire: Any
) -> None:
    w1 = devices("worker1")
    w1.sync()
    photo = photos.import_photo(w1.store, picture(tmp_path, "1.jpg", (200, 30, 30)))
    vid = visit_with(w1, world, [photo.sha256])
    live_server.stop()
    try:
        with pytest.raises(OfflineError):
            w1.sync()
    finally:
        live_server.restart()
    with w1.store.session() as session:
        row = session.get(LocalBlob, photo.sha256)
        assert row.uploaded_at is None and row.attempts == 1 and "offline" in row.last_error
    assert server_blobs(live_server) == {} and server_visit(live_server, vid) is None
    assert w1.sync().applied == 1
    assert server_blobs(live_server) == {photo.sha256: photo.size}
    assert puts(wire) == [photo.sha256]


def test_a_lost_answer_does_not_make_a_second_upload(
        devices: Any, world: World, live_server: LiveServer, tmp_path: Path, wire: Any
) -> None:
    w1 = devices("worker1")
    w1.sync()
    photo = photos.import_photo(w1.store, picture(tmp_path, "1.jpg", (200, 30, 30)))
    visit_with(w1, world, [photo.sha256])
    real_put = w1.client.put_blob

    def arrives_but_the_answer_is_lost(sha: str, data: bytes, content_type: str) -> None:
        real_put(sha, data, content_type)
        raise OfflineError("the connection dropped before the answer")

    w1.client.put_blob = arrives_but_the_answer_is_lost  # type: ignore[method-assign]
    try:
        with pytest.raises(OfflineError):
            w1.sync()
    finally:
        w1.client.put_blob = real_put  # type: ignore[method-assign]
    assert w1.sync().applied == 1
    assert puts(wire) == [photo.sha256]  # the next cycle asked (HEAD) and did not resend
    heads = [p for m, p, s in wire("/api/v1/blobs/") if m == "HEAD"]
    assert heads == [f"/api/v1/blobs/{photo.sha256}"] * 2


def test_a_photo_the_server_has_is_not_sent_again(
        devices: Any, world: World, live_server: LiveServer, tmp_path: Path, wire: Any
) -> None:
    source = picture(tmp_path, "shared.jpg", (200, 30, 30))
    w1 = devices("worker1")
    w1.sync()
    photo = photos.import_photo(w1.store, source)
    visit_with(w1, world, [photo.sha256])
    w1.sync()
    # The same photo in a later visit on this device: not even asked about again.
    visit_with(w1, world, [photo.sha256], household="hA2")
    assert w1.sync().applied == 1
    # The same picture imported on another laptop: the server says it has it.
    laptop = devices("worker1")
    laptop.sync()
    again = photos.import_photo(laptop.store, source)
    assert again.sha256 == photo.sha256
    visit_with(laptop, world, [again.sha256], household="hB1")
    assert laptop.sync().applied == 1
    assert puts(wire) == [photo.sha256]
    statuses = [(m, s) for m, p, s in wire("/api/v1/blobs/")]
    assert statuses == [("HEAD", 404), ("PUT", 201), ("HEAD", 200)]
    assert len(server_blobs(live_server)) == 1


def test_a_refused_photo_does_not_hold_the_visit_back(
        devices: Any, world: World, live_server: LiveServer, tmp_path: Path, wire: Any
) -> None:
    w1 = devices("worker1")
    w1.sync()
    photo = photos.import_photo(w1.store, picture(tmp_path, "1.jpg", (200, 30, 30)))
    vid = visit_with(w1, world, [photo.sha256])
    settings = live_server.app.state.settings
    live_server.app.state.settings = dataclasses.replace(settings, max_blob_bytes=1000)
    try:
        assert w1.sync().applied == 1
    finally:
        live_server.app.state.settings = settings
    assert server_visit(live_server, vid) is not None
    assert server_blobs(live_server) == {}
    with w1.store.session() as session:
        assert session.get(LocalBlob, photo.sha256).last_error == "refused:too_large"
    visit_with(w1, world, [photo.sha256], household="hA2")
    w1.sync()
    assert puts(wire) == [photo.sha256]  # refused once, not offered again


def test_a_photo_missing_here_is_reported_and_the_visit_still_goes(
        devices: Any, world: World, live_server: LiveServer, tmp_path: Path) -> None:
    w1 = devices("worker1")
    w1.sync()
    photo = photos.import_photo(w1.store, picture(tmp_path, "1.jpg", (200, 30, 30)))
    vid = visit_with(w1, world, [photo.sha256])
    with w1.store.write() as session:  # lost here (a damaged photo file of an old version)
        session.execute(sa.delete(PhotoData).where(PhotoData.sha256 == photo.sha256))
    assert w1.sync().applied == 1
    assert server_visit(live_server, vid) is not None and server_blobs(live_server) == {}
    with w1.store.session() as session:
        assert session.get(LocalBlob, photo.sha256).last_error == "missing"


def test_fetching_a_photo_nobody_uploaded(devices: Any, world: World) -> None:
    w1 = devices("worker1")
    with pytest.raises(RequestRejected) as caught:
        blob_sync.fetch_photo(w1.store, w1.client, "c" * 64)
    assert caught.value.error_code == "not_found"
    assert not photos.has_photo(w1.store, "c" * 64)


def test_photos_of_a_visit_are_its_photos_and_photo_answers() -> None:
    a, b, c = "a" * 64, "b" * 64, "c" * 64
    assert blob_sync.photos_of({"photos": [a, b], "answers": {
        "kitchen": [c, a], "note": "ok", "count": 3, "tags": ["x"], "empty": []}}) == [a, b, c]
    assert blob_sync.photos_of(None) == []
    assert blob_sync.photos_of({"photos": None, "answers": None}) == []
