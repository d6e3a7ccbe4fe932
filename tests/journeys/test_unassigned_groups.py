"""Journey of issue 18 item 3 as a community's clerk lives it: a WeChat group the registry
does not know, whose name names clerk1's community, waits in the inbox under "未归属的群"
with its messages; the clerk maps it in one step to a grid of the community, and after
one sync its waiting messages are ordinary messages of the inbox. The server holds the
mapping and the routed messages."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QPushButton, QTableView, QTableWidget, QWidget

from server.demo_admin import PROPOSED_GROUP
from tests.journeys.harness import Journey
from ui.inbox.unassigned import UnassignedGroupsDialog
from ui.inbox.view import InboxView


def test_a_clerk_maps_an_unassigned_group_and_its_messages_reach_the_inbox(
    journey: Journey
) -> None:
    before = journey.server.pull_as("admin")
    [group] = before.where("wechat_group", group_id=PROPOSED_GROUP)
    name = str(group["name"])
    answer = journey.server.bot_posts(PROPOSED_GROUP, "3栋电梯按钮失灵，按了没反应",
                                      group_name=name, sender="周奶奶")
    assert answer["status"] == "unrouted"
    journey.start()
    window = journey.sign_in("clerk1")
    page = journey.go_to("诉求收件箱")
    view = page.findChild(InboxView)
    assert view is not None
    inbox = journey.by_name("inbox_table", QTableView, within=page)
    button = journey.by_name("unassigned_groups", QPushButton, within=page)
    journey.wait_until(lambda: button.isVisible() and "(1)" in button.text(),
                       what="one unassigned group offered")
    assert button.text() == "未归属的群 (1)"
    journey.assert_reachable(button)
    # Its messages wait there, not in the inbox.
    assert all("电梯按钮失灵" not in m.text for m in view.model.rows())

    journey.click(button)
    dialog = journey.dialog(kind=UnassignedGroupsDialog)
    groups = journey.by_name("unassigned_table", QTableWidget, within=dialog)
    row = journey.row_of(groups, name)
    assert journey.cells(groups, 1, [row]) == ["3"]
    journey.click_row(groups, row)
    messages = journey.by_name("unassigned_messages", QTableWidget, within=dialog)
    journey.row_of(messages, "电梯按钮失灵")
    target = journey.by_name("unassigned_target", QComboBox, within=dialog)
    journey.wait_until(lambda: target.count() > 1, what="the community's grids offered")
    assert target.itemText(0).startswith("整个")
    grid_name = target.itemText(1)
    journey.choose(target, grid_name)
    journey.shot("the clerk's unassigned groups")
    journey.click("归属", within=dialog)
    journey.wait_until(lambda: groups.rowCount() == 0, what="the group no longer waits")
    seen = journey.syncs_finished
    journey.click(window.status_bar.sync_button)
    journey.wait_for_sync(after=seen)
    journey.click("关闭", within=dialog)
    journey.wait_until(lambda: not button.isVisible(), what="nothing unassigned left")

    # The waiting messages come back from the server routed to the grid: ordinary
    # messages of the inbox, with their grid.
    def routed() -> bool:
        return any("电梯按钮失灵" in m.text and m.grid_name == grid_name
                   for m in view.model.rows())

    if not routed():  # the step's own push may have ended before the button's sync
        seen = journey.syncs_finished
        journey.click(window.status_bar.sync_button)
        journey.wait_for_sync(after=seen)
    journey.wait_until(routed, what="the routed messages in the inbox, in their grid")
    row = journey.row_of(inbox, "电梯按钮失灵")
    journey.click_row(inbox, row, 3)
    journey.shot("the mapped group's messages in the inbox")

    held = journey.server.pull_as("clerk1")
    [grid] = held.where("grid", name=grid_name)
    [mapped] = held.where("wechat_group", group_id=PROPOSED_GROUP)
    assert mapped["grid_id"] == grid["id"] and mapped["waiting"] == 0
    assert mapped["proposed_community_id"] is None
    routed = held.where("inbox_message", group_id=PROPOSED_GROUP)
    assert len(routed) == 3 and {m["grid_id"] for m in routed} == {grid["id"]}
    assert isinstance(page, QWidget)
