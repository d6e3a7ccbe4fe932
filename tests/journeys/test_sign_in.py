"""Journey 3: a wrong password, then Enter; the right password, then Enter: signed in.

(It used to quit the whole app: while the dialog waited for the server its fields and
its 登录 button were disabled, the focus fell to 取消, which took over as the default
button, and the next Enter cancelled the dialog, which quits the app when no window is
open yet.)
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.journeys.harness import Journey
from ui.login_dialog import LoginDialog


def test_enter_after_a_wrong_password_signs_in_with_the_right_one(journey: Journey) -> None:
    journey.start()
    dialog = journey.dialog(kind=LoginDialog)
    assert dialog.server_edit.text() == journey.server.url
    journey.shot("sign-in dialog")

    journey.type_into("用户名", "worker1", within=dialog)
    journey.type_into("密码", "not-the-password", within=dialog)
    journey.press(Qt.Key.Key_Return)
    journey.find("用户名或密码不正确。", within=dialog)
    assert journey.focus() is dialog.password_edit, "the person types the password again"
    journey.shot("wrong password said")

    journey.qtbot.keyClicks(journey.focus(), "demo1234")  # typed where the focus is
    journey.press(Qt.Key.Key_Return)
    journey.wait_until(lambda: journey.quit_requested or journey.controller.window is not None,
                       what="signed in (or the app quit)")
    assert not journey.quit_requested, "Enter after a failed attempt quit the app"
    window = journey.window
    journey.wait_for_sync(after=0)
    assert "在线" in journey.status_text()
    assert journey.find_all("从未", within=window.status_bar, exact=False) == []
    journey.shot("signed in and synced")
