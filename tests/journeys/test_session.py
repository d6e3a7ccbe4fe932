"""Journey 2: the session runs out and the server's secret changes; the work still syncs
(issue 10 item 2).

It used to go wrong twice. A photo's ``HEAD /blobs/…`` answered 401 for an expired
access token, a HEAD answer has no body to say why, and the client asked for a sign-in
instead of refreshing the token; and once the person signed in again, the sync engine's
client kept the tokens it had when the window opened, so every sync said 登录已过期
again and nothing was sent.

Here the server's access tokens live a few seconds. The worker signs in, goes offline,
makes a visit with a photo, stays offline longer than a token lives and comes back: the
photo and the visit reach the server with no prompt. The server then restarts with a new
secret (every token it signed is void; the refresh tokens it keeps still work): no
prompt either. Last, the operator also signs every device out: one sign-in prompt, and
after it everything syncs, with no second prompt.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import secrets
import time
from pathlib import Path

import sqlalchemy as sa
from PIL import Image
from PySide6.QtCore import Qt

from server.app import create_app
from server.demo_data import DEMO_PASSWORD
from server.schema import device_sessions
from sync.client import ApiClient
from tests.journeys.harness import Journey, JourneyServer
from tests.journeys.visit_steps import ROUTINE, field, open_household, pick, start_visit, submit
from ui.login_dialog import LoginDialog

TOKEN_SECONDS = 3
SLOW_SYNC_MS = 180_000


def _restart(server: JourneyServer, **settings: object) -> None:
    """The server restarts on its port with these settings changed."""
    server.stop()
    server.settings = dataclasses.replace(server.settings, **settings)  # type: ignore[arg-type]
    server.app = create_app(server.settings, server.engine)
    server.restart()


def _sign_every_device_out(server: JourneyServer) -> None:
    """What an operator does after rotating a leaked secret: every session ends."""
    with server.engine.begin() as conn:
        conn.execute(sa.update(device_sessions).where(device_sessions.c.revoked_at.is_(None))
                     .values(revoked_at=dt.datetime.now(dt.UTC), revoked_reason="secret_rotated"))


def _routine_visit(journey: Journey, row: int, interviewee: str,
                   photo: Path | None = None) -> str:
    """A routine visit of the household on ``row`` of 住户; returns its head's name."""
    head, detail = open_household(journey, row)
    dialog = start_visit(journey, detail, ROUTINE)
    journey.type_into(field(journey, dialog, "interviewee"), interviewee)
    journey.type_into(field(journey, dialog, "people_at_home"), "2")
    pick(journey, dialog, "living_situation", "良好")
    pick(journey, dialog, "problem_found", "否")
    pick(journey, dialog, "follow_up_needed", "否")
    if photo is not None:
        journey.choose_file(photo)
        journey.click("添加照片…", within=dialog)
        journey.wait_until(lambda: bool(dialog.form and dialog.form.photo_shas()),
                           what="the photo added")
    submit(journey, dialog)
    return head


def _sync_now(journey: Journey) -> int:
    """立即同步, once the sync running by itself (the app syncs when the server is back)
    has finished; nothing to click if that sync asked for a sign-in already. Returns the
    count of finished syncs before the click."""
    button = journey.window.status_bar.sync_button
    journey.wait_until(lambda: button.isEnabled() or not _no_prompt(journey),
                       what="the running sync finished", timeout=SLOW_SYNC_MS)
    seen = journey.syncs_finished
    if _no_prompt(journey):
        journey.click(button)
    return seen


def _no_prompt(journey: Journey) -> bool:
    return not any(w.isVisible() for w in journey.windows() if isinstance(w, LoginDialog))


def _all_sent(journey: Journey) -> bool:
    status = journey.window.status_bar
    return "已全部上传" in status.pending_label.text() and status.sync_button.isEnabled()


def test_an_expired_session_and_a_new_server_secret_do_not_stop_the_sync(
    journey: Journey, tmp_path: Path
) -> None:
    _restart(journey.server, access_token_seconds=TOKEN_SECONDS)
    journey.start()
    journey.sign_in("worker1")

    # Offline: a visit with a photo, kept here.
    journey.server.stop()
    picture = tmp_path / "楼道.jpg"
    Image.new("RGB", (800, 600), (90, 140, 60)).save(picture, "JPEG")
    went_offline = time.monotonic()
    head = _routine_visit(journey, 0, "张桂英", picture)
    journey.wait_until(lambda: time.monotonic() - went_offline > TOKEN_SECONDS + 1,
                       what="longer offline than an access token lives",
                       timeout=(TOKEN_SECONDS + 5) * 1000)
    journey.shot("a visit with a photo made offline")

    # Back online: the photo and the visit go, with no sign-in asked.
    journey.server.restart()
    failures = len(journey.sync_failures)
    _sync_now(journey)
    journey.wait_until(lambda: _all_sent(journey) or not _no_prompt(journey),
                       what="the visit sent", timeout=60_000)
    assert _no_prompt(journey), "an expired access token asked for a sign-in"
    assert journey.sync_failures[failures:] == []
    journey.shot("back online: sent without a prompt")
    held = journey.server.pull_as("supervisor1")
    [household] = held.where("household", head_name=head)
    [visit] = [v for v in held.where("visit", household_id=household["id"])
               if v["answers"].get("interviewee") == "张桂英"]
    [sha] = visit["photos"]
    checker = ApiClient(journey.server.url, retries=0)
    checker.login("supervisor1", DEMO_PASSWORD, "journey-check-photo", "check")
    photo = checker.get_blob(sha)  # the picture as the app keeps it (re-encoded, no EXIF)
    assert hashlib.sha256(photo).hexdigest() == sha and photo.startswith(b"\xff\xd8")

    # The server restarts with a new secret: the tokens it signed are void, the refresh
    # token still opens a session. Nobody is asked anything.
    _restart(journey.server, secret_key=secrets.token_urlsafe(48))
    _routine_visit(journey, 1, "李明")
    _sync_now(journey)
    journey.wait_until(lambda: _all_sent(journey) or not _no_prompt(journey),
                       what="the second visit sent", timeout=SLOW_SYNC_MS)
    assert _no_prompt(journey), "a new server secret asked for a sign-in"

    # Offline again, a third visit; meanwhile the server gets a new secret once more and
    # the operator signs every device out: one prompt, then everything syncs.
    journey.server.stop()
    third = _routine_visit(journey, 2, "王芳")
    _sign_every_device_out(journey.server)
    _restart(journey.server, secret_key=secrets.token_urlsafe(48))
    _sync_now(journey)
    prompt = journey.dialog(kind=LoginDialog, timeout=60_000)
    journey.find("登录已过期", within=prompt, exact=False)
    journey.shot("signed out by the server: asked to sign in once")
    journey.type_into(prompt.password_edit, DEMO_PASSWORD)
    journey.press(Qt.Key.Key_Return, target=prompt.password_edit)
    # (The server's new secret voids the pull cursor too: the sync downloads everything
    # again, which takes a while on a busy machine.)
    journey.wait_until(lambda: _no_prompt(journey) and _all_sent(journey),
                       what="signed in again and everything sent", timeout=SLOW_SYNC_MS)
    seen = _sync_now(journey)  # and the next sync too uses the new tokens
    journey.wait_for_sync(after=seen, timeout=SLOW_SYNC_MS)
    journey.wait_until(lambda: _all_sent(journey), what="synced again", timeout=SLOW_SYNC_MS)
    assert _no_prompt(journey), "a second sign-in was asked for"
    journey.shot("signed in again: everything synced")
    held = journey.server.pull_as("supervisor1")
    [household] = held.where("household", head_name=third)
    assert [v for v in held.where("visit", household_id=household["id"])
            if v["answers"].get("interviewee") == "王芳"]

