"""The 鼓宝 console as people use it: a clerk writes a knowledge entry (from a question
the bot could not answer), a resident asks in the group through the bot simulator and
鼓宝's answer is queued to the group; a fire reported in a worker's group raises the
urgent banner in the worker's open window until they acknowledge it."""

from __future__ import annotations

import sqlalchemy as sa
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTableWidget,
    QWidget,
)

from server.schema import RECORD_TABLES, outbound_messages
from server.tools.bot_simulator import DEMO_URGENT, BotSimulator, groups_of
from tests.journeys.harness import WECHAT_SECRET, Journey
from ui.gubao.urgent import UrgentBanner
from ui.gubao.view import EntryDialog, GubaoView


def _sync(journey: Journey) -> None:
    button = journey.window.status_bar.sync_button
    journey.wait_until(button.isEnabled, what="no sync under way")
    seen = journey.syncs_finished
    journey.click(button)
    journey.wait_for_sync(after=seen)


def _closed(widget: QWidget) -> bool:
    try:
        return not widget.isVisible()
    except RuntimeError:  # deleted once closed
        return True


def _group_of(journey: Journey, username: str) -> str:
    """The WeChat group of a grid of ``username``'s community (a worker: their own)."""
    staff, grids = RECORD_TABLES["staff"], RECORD_TABLES["grid"]
    with journey.server.engine.connect() as conn:
        me = conn.execute(sa.select(staff.c.id, staff.c.community_id).where(
            staff.c.username == username)).one()
        for _gid, workers, group in conn.execute(
                sa.select(grids.c.id, grids.c.worker_ids, grids.c.wechat_group_id)
                .where(grids.c.community_id == me.community_id,
                       grids.c.wechat_group_id.is_not(None)).order_by(grids.c.id)):
            if me.id in (workers or []) or username.startswith("clerk"):
                return str(group)
    raise AssertionError(f"no group for {username}")


def _bot(journey: Journey) -> BotSimulator:
    return BotSimulator(journey.server.url, WECHAT_SECRET, groups_of(journey.server.engine),
                        seed=7)


def test_a_clerk_answers_an_unanswered_question_and_the_bot_uses_it(
        journey: Journey) -> None:
    journey.start()
    journey.sign_in("clerk1")
    page = journey.go_to("鼓宝")
    view = page if isinstance(page, GubaoView) else page.findChild(GubaoView)
    assert isinstance(view, GubaoView)
    unanswered = journey.by_name("unanswered_list", QListWidget, within=view)
    journey.wait_until(lambda: unanswered.count() > 0, what="the unanswered questions")
    texts = [unanswered.item(i).text() for i in range(unanswered.count())]
    assert texts[0].startswith("小区东门的路什么时候修好？") and "问过 6 次" in texts[0]
    table = journey.by_name("knowledge_table", QTableWidget, within=view)
    journey.wait_until(lambda: table.rowCount() >= 30, what="the knowledge base")
    journey.shot("knowledge base with the questions 鼓宝 could not answer")

    # Try the bot first: it has no answer yet.
    journey.type_into(journey.by_name("bot_test_input", QLineEdit, within=view),
                      "东门的路啥时候修好")
    journey.click("问一问", within=view)
    result = journey.by_name("bot_answer", QLabel, within=view)
    journey.wait_until(lambda: "不会回答" in result.text(), what="no answer yet")

    # The most asked question becomes an entry in one step.
    journey.click_row(unanswered, 0)
    journey.click("写成问答…", within=view)
    dialog = journey.dialog(kind=EntryDialog)
    question = journey.field("问题", within=dialog)
    assert isinstance(question, QLineEdit) and question.text() == "小区东门的路什么时候修好？"
    journey.type_into("关键词", "东门 修路", within=dialog)
    answer = dialog.findChild(QPlainTextEdit)
    assert answer is not None
    journey.type_into(answer, "东门道路施工预计12月20日完工，施工期间请从南门出入。")
    journey.shot("a new entry from the question")
    journey.click("保存", within=dialog)
    journey.wait_until(lambda: _closed(dialog), what="the entry saved")
    journey.wait_until(lambda: unanswered.count() == len(texts) - 1,
                       what="the question answered")
    journey.type_into(journey.by_name("bot_test_input", QLineEdit, within=view),
                      "东门的路啥时候修好")
    journey.click("问一问", within=view)
    journey.wait_until(lambda: "命中关键词“东门”" in result.text(), what="the bot's answer")
    journey.shot("the test box answers with the new entry")
    _sync(journey)

    held = journey.server.pull_as("supervisor1")
    [entry] = held.where("knowledge_entry", question="小区东门的路什么时候修好？")
    assert entry["keywords"] == ["东门", "修路"] and entry["scope"] == "community"
    assert any(q["status"] == "answered" and q["entry_id"] == entry["id"]
               for q in held.all("bot_question"))

    # A resident asks in the group; the simulator is the bot.
    group = _group_of(journey, "clerk1")
    asked = _bot(journey).ask("请问东门那边的路什么时候能修好啊", group)
    assert asked["answered"] is True and asked["id"] == entry["id"]
    with journey.server.engine.connect() as conn:
        queued = conn.execute(sa.select(outbound_messages.c.group_id, outbound_messages.c.text)
                              .where(outbound_messages.c.id.in_(asked["queued"]))).all()
    assert [(g, t.split(" ", 1)[1]) for g, t in queued] == [
        (group, "东门道路施工预计12月20日完工，施工期间请从南门出入。")]
    _sync(journey)
    journey.wait_until(lambda: any(table.item(r, 0).text() == entry["question"]
                                   and table.item(r, 2).text() == "1"
                                   for r in range(table.rowCount())), what="one hit counted")


def test_an_urgent_message_raises_the_banner_in_a_workers_window(journey: Journey) -> None:
    journey.start()
    journey.sign_in("worker1")
    banner_before = journey.window.findChild(UrgentBanner)
    assert banner_before is None or not banner_before.isVisible()
    answer = _bot(journey).ask(DEMO_URGENT, _group_of(journey, "worker1"))
    assert answer["answered"] is False and answer["intake"]["status"] == "routed"
    _sync(journey)
    journey.wait_until(lambda: (b := journey.window.findChild(UrgentBanner)) is not None
                       and b.isVisible(), what="the urgent banner")
    banner = journey.window.findChild(UrgentBanner)
    assert banner is not None
    assert "紧急告警" in banner.text_label.text() and "着火" in banner.text_label.text()
    journey.shot("an urgent alert raises the banner")
    assert journey.controller.backend.scheduler.interval == 30.0
    held = journey.server.pull_as("clerk1")
    [message] = held.where("inbox_message", text=DEMO_URGENT)
    assert message["urgent"] is True
    ticket = held.get("ticket", message["ticket_id"])
    assert ticket is not None and ticket["priority"] == "urgent"
    # It stays over a change of section until acknowledged.
    journey.go_to("工单")
    assert banner.isVisible()
    journey.click("知道了", within=banner)
    journey.wait_until(lambda: not banner.isVisible(), what="the banner acknowledged")



def test_a_clerk_goes_from_the_urgent_banner_to_the_alerts_ticket(journey: Journey) -> None:
    """A fire reported in a group raised the banner "紧急告警 … （工单 GL…）" with only
    "知道了": the ticket went straight to the grid's social worker (not in the clerk's
    待派单), and the alert rules' tab only counts the open alerts, so the clerk had to
    type the number into a search to reach a fire. The banner opens the ticket."""
    from ui.tickets.view import TicketsView

    journey.start()
    journey.sign_in("clerk1")
    journey.go_to("居民参与")  # busy elsewhere
    answer = _bot(journey).ask(DEMO_URGENT, _group_of(journey, "clerk1"))
    assert answer["alert"] is True
    _sync(journey)
    journey.wait_until(lambda: (b := journey.window.findChild(UrgentBanner)) is not None
                       and b.isVisible(), what="the urgent banner")
    banner = journey.window.findChild(UrgentBanner)
    assert banner is not None
    held = journey.server.pull_as("supervisor1")
    [message] = held.where("inbox_message", text=DEMO_URGENT)
    ticket = held.get("ticket", message["ticket_id"])
    assert ticket is not None and ticket["number"] in banner.text_label.text()
    journey.shot("the urgent banner over another section")

    journey.click("查看工单", within=banner)
    journey.wait_until(lambda: journey.window.current_section() == "tickets",
                       what="the tickets section")
    view = journey.window.page("tickets").findChild(TicketsView)
    assert view is not None
    detail = view.detail
    journey.wait_until(lambda: ticket["number"] in " ".join(
        label.text() for label in detail.findChildren(QLabel) if label.isVisible()),
        what=f"the ticket {ticket['number']} shown")
    assert ticket["title"] in " ".join(
        label.text() for label in detail.findChildren(QLabel) if label.isVisible())
    journey.shot("the alert's ticket, one click from the banner")
    assert banner.isVisible()  # still there until acknowledged
    journey.click("知道了", within=banner)
    journey.wait_until(lambda: not banner.isVisible(), what="the banner acknowledged")


QUESTION_CHARACTERS = 12
"""A knowledge base question's characters that read in its column (most are 8 to 14)."""


def test_the_knowledge_bases_questions_read_at_a_laptops_width(journey: Journey) -> None:
    """At 1024×700 the question column was about seven characters wide ("身份证过期了怎么…")
    beside the keywords, the hits, where it applies and whether it is valid, with the
    unanswered questions taking two fifths of the section. A question now shows its
    first :data:`QUESTION_CHARACTERS` characters, at both window sizes."""
    from PySide6.QtGui import QFontMetrics

    journey.start()
    journey.sign_in("clerk1")
    page = journey.go_to("鼓宝")
    table = journey.by_name("knowledge_table", QTableWidget, within=page)
    journey.wait_until(lambda: table.rowCount() >= 30, what="the knowledge base")
    journey.settle(100)
    question = journey.column(table, "问题")
    glyph = QFontMetrics(table.font()).horizontalAdvance("汉")
    width = table.columnWidth(question)
    assert width >= QUESTION_CHARACTERS * glyph + 12, (width, glyph)
    journey.cells(table, question, range(8))
    for header in ("关键词", "命中次数", "适用范围", "有效期"):
        journey.cells(table, journey.column(table, header), range(8))
    journey.shot("the knowledge base's questions read")
