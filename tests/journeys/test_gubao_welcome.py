"""A newcomer is welcomed: a clerk writes a group's own welcome message in the 鼓宝
section and schedules it; the bot (the simulator) reports that someone joined that
group; the server queues the group's welcome to it, @-mentioning the newcomer."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from PySide6.QtWidgets import QListWidget, QPlainTextEdit, QTableWidget

from gulou_desk.records import now
from server.announcements import send_due
from server.schema import RECORD_TABLES, outbound_messages
from server.tools.bot_simulator import DEMO_NEWCOMER
from tests.journeys.harness import Journey
from tests.journeys.test_gubao import _bot, _group_of, _sync
from tests.journeys.test_gubao_editors import _open, _save
from ui.gubao.dialogs import AnnouncementDialog


def _grid_name(journey: Journey, group_id: str) -> str:
    grids = RECORD_TABLES["grid"]
    with journey.server.engine.connect() as conn:
        return str(conn.execute(sa.select(grids.c.name).where(
            grids.c.wechat_group_id == group_id)).scalar_one())


def test_a_clerks_welcome_greets_a_newcomer_in_the_group(journey: Journey) -> None:
    view = _open(journey, "clerk1")
    journey.tab("群公告", within=view)
    group = _group_of(journey, "clerk1")
    name = _grid_name(journey, group)
    welcomes = journey.by_name("welcome_list", QListWidget, within=view)
    journey.wait_until(lambda: welcomes.count() > 0, what="the groups' welcome messages")
    row = next(i for i in range(welcomes.count())
               if welcomes.item(i).text().split("：", 1)[0] == name)
    # Until now the group gets the community's welcome.
    assert welcomes.item(row).text().startswith(f"{name}：【欢迎】欢迎新邻居加入本群")
    journey.click_row(welcomes, row)
    journey.click("编辑欢迎语…", within=view)
    dialog = journey.dialog(kind=AnnouncementDialog)
    # A welcome goes to each newcomer as they join: no time to go, no repeat (the dialog
    # was "新建公告" with both, and the job then posted it to every member at that time).
    assert dialog.windowTitle() == "新建欢迎语"
    assert not dialog.form.isRowVisible(dialog.send_at)
    assert not dialog.form.isRowVisible(dialog.recurrence)
    journey.find("排期前保存为草稿；排期后，鼓宝用它欢迎每位新入群的居民（在其入群时发送）。",
                 within=dialog)
    text = f"欢迎加入{name}！停车、物业和办事指南，直接@鼓宝。"
    journey.type_into(journey.by_name("announcement_text", QPlainTextEdit, within=dialog), text)
    _save(journey, dialog)
    journey.wait_until(lambda: welcomes.item(row).text()
                       == f"{name}：{text}（草稿：排期发送后才欢迎新成员）",
                       what="the group's own welcome message, a draft")
    # A draft greets no one yet: the clerk schedules it.
    table = journey.by_name("announcements_table", QTableWidget, within=view)
    journey.click_row(table, journey.row_of(table, f"欢迎加入{name}"))
    journey.click("排期发送", within=view)
    # In force from now on (not "待发送" for ever), with no time to go.
    journey.wait_until(lambda: journey.cells(table, journey.column(table, "状态"), [
        journey.row_of(table, f"欢迎加入{name}")]) == ["有效"], what="scheduled: in force")
    assert journey.cells(table, journey.column(table, "发送时间"), [
        journey.row_of(table, f"欢迎加入{name}")]) == [""]
    journey.wait_until(lambda: welcomes.item(row).text() == f"{name}：{text}",
                       what="the welcome greeting newcomers")
    journey.shot("a group's own welcome message, scheduled")
    _sync(journey)
    journey.wait_until(lambda: journey.window.status_bar.pending_count == 0,
                       what="the welcome sent")

    # Someone joins the group: the bot reports it, the server queues the welcome.
    joined = _bot(journey).join(group, DEMO_NEWCOMER)
    assert joined["status"] == "welcomed", joined
    with journey.server.engine.connect() as conn:
        queued = conn.execute(sa.select(outbound_messages.c.group_id, outbound_messages.c.text)
                              .where(outbound_messages.c.id.in_(joined["queued"]))).all()
    assert [tuple(q) for q in queued] == [(group, f"@{DEMO_NEWCOMER} {text}")]
    held = journey.server.pull_as("clerk1")
    assert held.get("announcement", joined["announcement_id"])["text"] == text  # type: ignore[index]
    # The announcements' job, days later, posts it to no one (only newcomers get it).
    send_due(journey.server.engine, now() + dt.timedelta(days=2))
    with journey.server.engine.connect() as conn:
        posted = conn.execute(sa.select(outbound_messages.c.text).where(
            outbound_messages.c.text.contains("停车、物业和办事指南"))).scalars().all()
    assert posted == [f"@{DEMO_NEWCOMER} {text}"]


def test_a_social_worker_sees_the_communitys_welcome_for_their_groups(
        journey: Journey) -> None:
    """The community's welcome (for every group, a clerk's) reaches its social workers:
    each of their groups reads it, not "none yet"; it is the clerk's to change."""
    view = _open(journey, "worker1")
    welcomes = journey.by_name("welcome_list", QListWidget, within=view)
    journey.wait_until(lambda: welcomes.count() > 0, what="the groups' welcome messages")
    texts = [welcomes.item(i).text() for i in range(welcomes.count())]
    assert all(t.split("：", 1)[1].startswith("【欢迎】欢迎新邻居加入本群") for t in texts), texts
    table = journey.by_name("announcements_table", QTableWidget, within=view)
    journey.click_row(table, journey.row_of(table, "欢迎新居民"))
    edit = view.announcements.edit_button
    assert not edit.isEnabled()
    assert edit.toolTip() == "它发往您网格以外的群，由社区办事员修改。"
    journey.shot("a social worker reads the community's welcome for their groups")
