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


def _open_unassigned(journey: Journey, text: str) -> tuple[
        InboxView, QPushButton, UnassignedGroupsDialog, QTableWidget]:
    """A resident posts in the proposed group; the clerk opens 未归属的群 and chooses it."""
    [group] = journey.server.pull_as("admin").where("wechat_group", group_id=PROPOSED_GROUP)
    name = str(group["name"])
    answer = journey.server.bot_posts(PROPOSED_GROUP, text, group_name=name, sender="周奶奶")
    assert answer["status"] == "unrouted"
    journey.start()
    journey.sign_in("clerk1")
    page = journey.go_to("诉求收件箱")
    view = page.findChild(InboxView)
    assert view is not None
    button = journey.by_name("unassigned_groups", QPushButton, within=page)
    journey.wait_until(lambda: button.isVisible() and "(1)" in button.text(),
                       what="one unassigned group offered")
    journey.click(button)
    dialog = journey.dialog(kind=UnassignedGroupsDialog)
    groups = journey.by_name("unassigned_table", QTableWidget, within=dialog)
    journey.click_row(groups, journey.row_of(groups, name))
    journey.row_of(journey.by_name("unassigned_messages", QTableWidget, within=dialog),
                   text[:6])
    return view, button, dialog, groups


def _sync(journey: Journey) -> None:
    seen = journey.syncs_finished
    journey.click(journey.window.status_bar.sync_button)
    journey.wait_for_sync(after=seen)


def test_a_clerk_maps_a_function_group_to_the_whole_community(journey: Journey) -> None:
    """A group of the whole community (a function group, not one grid's): mapped to the
    community; its waiting messages reach the inbox, in the community, with no grid."""
    text = "社区老年食堂下周开始供应晚餐吗？"
    view, button, dialog, groups = _open_unassigned(journey, text)
    target = journey.by_name("unassigned_target", QComboBox, within=dialog)
    journey.wait_until(lambda: target.count() > 1, what="the community's grids offered")
    whole, chosen = target.itemText(0), str(target.itemData(0))
    assert whole.startswith("整个") and whole.endswith("（功能群）"), whole
    journey.choose(target, whole)
    journey.shot("mapped to the whole community")
    journey.click("归属", within=dialog)
    journey.wait_until(lambda: groups.rowCount() == 0, what="the group no longer waits")
    _sync(journey)
    journey.click("关闭", within=dialog)
    journey.wait_until(lambda: not button.isVisible(), what="nothing unassigned left")

    def routed() -> bool:
        return any(text in m.text for m in view.model.rows())

    if not routed():  # the step's own push may have ended before the button's sync
        _sync(journey)
    journey.wait_until(routed, what="the community's message in the inbox")
    journey.shot("the function group's message in the inbox")

    held = journey.server.pull_as("clerk1")
    [mapped] = held.where("wechat_group", group_id=PROPOSED_GROUP)
    assert mapped["grid_id"] is None and mapped["community_id"]
    assert chosen.endswith(mapped["community_id"])  # the community offered
    assert mapped["waiting"] == 0 and mapped["proposed_community_id"] is None
    messages = held.where("inbox_message", group_id=PROPOSED_GROUP)
    assert messages and all(m["grid_id"] is None for m in messages)


def test_a_clerk_says_a_group_is_not_the_communitys(journey: Journey) -> None:
    """不是本社区的群: the group leaves the clerk's list and goes back to the district's
    administrators, its messages still waiting, for them to assign."""
    text = "请问这个群是哪个社区的？"
    view, button, dialog, groups = _open_unassigned(journey, text)
    decline = journey.find("不是本社区的群", QPushButton, within=dialog)
    assert decline.isEnabled() and "管理员" in decline.toolTip()
    journey.click(decline)
    journey.wait_until(lambda: groups.rowCount() == 0, what="the group gone from the list")
    journey.shot("not our community's group")
    _sync(journey)
    journey.click("关闭", within=dialog)
    journey.wait_until(lambda: not button.isVisible(), what="nothing unassigned left")
    assert not any(text in m.text for m in view.model.rows())

    held = journey.server.pull_as("admin")
    [group] = held.where("wechat_group", group_id=PROPOSED_GROUP)
    assert group["proposed_community_id"] is None and group["grid_id"] is None
    assert group["community_id"] is None and group["waiting"] >= 1


def test_the_unassigned_groups_button_reads_whole_in_english(journey: Journey) -> None:
    """Below the groups' list, narrow at 1024 px: "Unassigned groups (1)" was clipped at
    both sides; the button says it shorter, its tooltip says what waits there."""
    from PySide6.QtGui import QFontMetrics

    [group] = journey.server.pull_as("admin").where("wechat_group", group_id=PROPOSED_GROUP)
    journey.server.bot_posts(PROPOSED_GROUP, "3栋电梯按钮失灵", group_name=str(group["name"]),
                             sender="周奶奶")
    journey.start("--lang", "en")
    journey.sign_in("clerk1")
    page = journey.go_to("Inbox")
    button = journey.by_name("unassigned_groups", QPushButton, within=page)
    journey.wait_until(lambda: button.isVisible() and "(1)" in button.text(),
                       what="one unassigned group offered")
    journey.settle(100)
    journey.shot("the unassigned groups' button in English")
    need = QFontMetrics(button.font()).horizontalAdvance(button.text()) \
        + button.iconSize().width() + 24  # the icon, its gap and the paddings
    assert need <= button.width(), (button.text(), need, button.width())
    assert "WeChat groups" in button.toolTip()
