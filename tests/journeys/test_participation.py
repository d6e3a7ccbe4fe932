"""Journeys of resident participation (issue 19): a clerk makes a questionnaire from a
template, looks at it as residents will in WeChat, publishes it; residents reply in their
group (through the signed intake, as the 鼓宝 bot posts them); the results move in the
open window; the clerk closes it and exports the results and the announcement. A social
worker enters a household's answers offline and they sync.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QLabel, QMessageBox, QStyle, QStyleOptionViewItem, QTableView

from gulou_desk.records import format_datetime, now
from server.demo_data import DEMO_PASSWORD
from sync.client import ApiClient
from tests.bot import bot_request
from tests.journeys.harness import WECHAT_SECRET, Journey
from ui.participation.consultations import ConsultationsPage
from ui.participation.dialogs import (
    AttendanceDialog,
    ConsultationTextDialog,
    DecisionTicketDialog,
    HouseholdAnswersDialog,
    NewActivityDialog,
    NewConsultationDialog,
    NewQuestionnaireDialog,
)
from ui.participation.meeting import MeetingDialog
from ui.participation.question_editor import QuestionCard, QuestionEditorDialog
from ui.participation.view import ParticipationView


def _reply(journey: Journey, group_id: str, sender: str, name: str, text: str) -> None:
    """A resident's message in their grid's WeChat group, as the bot hands it over."""
    body = json.dumps({
        "message_id": str(uuid.uuid4()), "group_id": group_id, "group_name": "网格群",
        "sender_id": sender, "sender_name": name, "text": text,
        "sent_at": format_datetime(now()), "keyword": ""}, ensure_ascii=False).encode()
    answer = bot_request(journey.server.api, "POST", "/intake/wechat", body,
                         secret=WECHAT_SECRET, nonce=True)
    assert answer.status_code == 200, answer.text


def _sync(journey: Journey) -> None:
    """The person clicks "Sync now" (once a sync under way ended) and the cycle ends."""
    button = journey.window.status_bar.sync_button
    journey.wait_until(button.isEnabled, what="no sync under way")
    seen = journey.syncs_finished
    journey.click(button)
    journey.wait_for_sync(after=seen)


def _page(journey: Journey) -> ParticipationView:
    page = journey.go_to("居民参与")
    view = page if isinstance(page, ParticipationView) else page.findChild(ParticipationView)
    assert isinstance(view, ParticipationView)
    return view


def _summary(view: ParticipationView) -> str:
    return view.detail.summary.text()


def _save_as(journey: Journey, path: Path) -> None:
    journey.save_as(path)


def test_a_clerk_publishes_a_questionnaire_residents_reply_and_the_clerk_closes_and_exports(
    journey: Journey, tmp_path: Path
) -> None:
    journey.start()
    journey.sign_in("clerk1")
    view = _page(journey)
    journey.shot("participation: questionnaires")

    # A new questionnaire from the courtyard template, to one grid's group.
    journey.click("新建问卷", within=view)
    dialog = journey.dialog(kind=NewQuestionnaireDialog)
    journey.choose(dialog.template, "庭院改造")
    journey.type_into(dialog.title_edit, "颐和新村庭院改造意见征集")
    grid_id, box = dialog.grids.boxes[0]
    grid_name = box.text()
    journey.click(box)
    journey.shot("new questionnaire from the template")
    journey.click("创建草稿", within=dialog)
    journey.wait_until(lambda: view.detail.results is not None and view.detail.results.record[
        "title"] == "颐和新村庭院改造意见征集", what="the draft shown")
    assert view.detail.status_chip.text() == "草稿"
    assert grid_name in _summary(view)

    # As residents will see it in their group.
    journey.tab("群内预览", within=view)
    bubble = view.detail.bubble
    assert "【民主问卷】颐和新村庭院改造意见征集" in bubble.text()
    assert "1. 您是否赞成对庭院进行改造？（必答）" in bubble.text()
    journey.shot("WeChat preview of the draft")

    journey.click("发布", within=view)
    journey.click("发布", within=journey.dialog("发布问卷", kind=QMessageBox))  # asked first
    journey.wait_until(lambda: view.detail.status_chip.text() == "收集中",
                       what="published here at once")
    _sync(journey)
    journey.wait_until(lambda: "编号 问卷" in _summary(view), what="the server's code")
    code = _summary(view).split("编号 ")[1].split(" ")[0]
    held = journey.server.pull_as("supervisor1")
    [q] = held.where("questionnaire", title="颐和新村庭院改造意见征集")
    assert q["status"] == "published" and q["code"] == code and q["grid_ids"] == [grid_id]
    group = held.get("grid", grid_id)
    assert group is not None and group["wechat_group_id"]

    # Residents reply in the group; the results move in the open window.
    journey.tab("结果", within=view)
    _reply(journey, group["wechat_group_id"], "wx-r1", "王阿姨", f"{code} 1A 2AB 3:4 4:多种树")
    _reply(journey, group["wechat_group_id"], "wx-r2", "李叔叔", f"{code} 1B 3:2")
    _reply(journey, group["wechat_group_id"], "wx-r3", "赵奶奶", f"{code} 1A 2E 3:5")
    _sync(journey)
    journey.wait_until(lambda: view.detail.chart_counts().get("question_chart_q1")
                       == [2, 1, 0], what="the first question's bars")
    assert view.detail.chart_counts()["question_chart_q3"] == [0, 1, 0, 1, 1]
    assert view.detail.chart_counts()["grid_chart"] == [3]
    assert "回复 3 / " in _summary(view)
    table = journey.by_name("questionnaires_table", QTableView, within=view)
    column = journey.column(table, "回复")
    journey.wait_until(lambda: journey.cells(table, column, [journey.row_of(
        table, "颐和新村庭院改造意见征集")])[0].startswith("3（"), what="the list's count")
    journey.shot("results arrived while the window was open")
    # A resident changes their mind: still three responses, the new answer counted.
    _reply(journey, group["wechat_group_id"], "wx-r2", "李叔叔", f"{code} 1A 3:3")
    _sync(journey)
    journey.wait_until(lambda: view.detail.chart_counts().get("question_chart_q1")
                       == [3, 0, 0], what="the replaced answer counted")
    assert "回复 3 / " in _summary(view)

    journey.tab("答复明细", within=view)
    responses_table = view.detail.responses
    row = journey.row_of(responses_table, "王阿姨（微信群）")
    assert journey.cells(responses_table, journey.column(responses_table, "回答"),
                         [row])[0] == "1A 2AB 3:4 4:多种树"
    journey.shot("responses one by one")

    # The clerk closes it; a late reply is refused and not counted.
    journey.click("截止收集", within=view)
    journey.wait_until(lambda: view.detail.status_chip.text() == "已截止", what="closed")
    _sync(journey)
    qid = view.detail.results.record["id"] if view.detail.results else None
    closed = journey.server.pull_as("clerk1").get("questionnaire", str(qid))
    assert closed is not None and closed["status"] == "closed"
    closed_at = datetime.fromisoformat(closed["closed_at"])  # the server's time of it
    # Times are kept to the second: the late reply comes in a later second.
    journey.wait_until(lambda: (now() - closed_at).total_seconds() >= 1.2,
                       what="a second after closing")
    _reply(journey, group["wechat_group_id"], "wx-r4", "钱大爷", f"{code} 1B 3:1")
    _sync(journey)
    journey.settle(200)
    assert view.detail.results is not None and view.detail.results.total == 3
    held = journey.server.pull_as("supervisor1")
    [q] = held.where("questionnaire", title="颐和新村庭院改造意见征集")
    assert q["status"] == "closed"
    answers = held.where("questionnaire_response", questionnaire_id=q["id"])
    assert sorted(r["sender_name"] for r in answers) == ["李叔叔", "王阿姨", "赵奶奶"]

    # Exports: the workbook and the one-page announcement.
    journey.tab("结果", within=view)
    workbook = tmp_path / "results.xlsx"
    _save_as(journey, workbook)
    journey.click("导出Excel", within=view)
    journey.wait_until(workbook.exists, what="the workbook written")
    sheets = load_workbook(workbook)
    rows = list(sheets["结果"].iter_rows(min_row=3, values_only=True))
    assert rows[0][:3] == ("1. 您是否赞成对庭院进行改造？", "赞成", 3)
    assert len(list(sheets["答复明细"].iter_rows(min_row=3))) == 3
    notice = tmp_path / "notice.pdf"
    _save_as(journey, notice)
    journey.click("公示PDF", within=view)
    journey.wait_until(notice.exists, what="the announcement written")
    assert notice.read_bytes().startswith(b"%PDF")
    journey.find("已保存", within=view, exact=False)
    journey.shot("closed and exported")

    journey.click("归档", within=view)
    journey.wait_until(lambda: view.detail.status_chip.text() == "已归档", what="archived")
    _sync(journey)
    [q] = journey.server.pull_as("clerk1").where("questionnaire", id=q["id"])
    assert q["status"] == "archived"


def _add_question(journey: Journey, editor: QuestionEditorDialog, kind: str, text: str,
                  options: tuple[str, ...] = ()) -> QuestionCard:
    """In the editor: pick the kind, add the question, type it and its options."""
    journey.choose(editor.add_kind, kind)
    journey.click(editor.add_button)
    card = editor.cards[-1]
    journey.wait_until(lambda: editor.in_view(card), what="the new question scrolled into view")
    journey.type_into(card.text, text)
    for i, option in enumerate(options):
        journey.type_into(card.options, option, replace=i == 0)
        if i < len(options) - 1:
            journey.press(Qt.Key.Key_Return)
    return card


def test_a_clerk_writes_a_questionnaire_from_scratch_publishes_it_and_a_resident_replies(
    journey: Journey
) -> None:
    journey.start()
    journey.sign_in("clerk1")
    view = _page(journey)

    # A blank draft: no template's questions.
    journey.click("新建问卷", within=view)
    dialog = journey.dialog(kind=NewQuestionnaireDialog)
    journey.choose(dialog.template, "空白问卷（自己编写问题）")
    assert dialog.title_edit.text() == ""
    journey.type_into(dialog.title_edit, "鼓楼新村3栋加装电梯意向调查")
    grid_id, box = dialog.grids.boxes[0]
    journey.click(box)
    journey.click("创建草稿", within=dialog)
    journey.wait_until(lambda: view.detail.results is not None and view.detail.results.record[
        "title"] == "鼓楼新村3栋加装电梯意向调查", what="the blank draft shown")
    assert view.detail.results is not None and view.detail.results.record["questions"] == []

    # The questions, written one by one, the WeChat preview following every keystroke.
    journey.click("编辑问题", within=view)
    editor = journey.dialog(kind=QuestionEditorDialog)
    assert editor.empty.isVisible()
    _add_question(journey, editor, "单选", "您是否同意本单元加装电梯？", ("同意", "不同意"))
    assert "1. 您是否同意本单元加装电梯？（必答）\n   A. 同意\n   B. 不同意" in editor.bubble.text()
    score = _add_question(journey, editor, "1–5分评分", "您觉得目前上下楼方便吗")
    journey.click(score.required)  # not a must
    worries = _add_question(journey, editor, "多选", "您最担心哪些问题？",
                            ("费用分摊", "施工噪音", "低层采光"))
    _add_question(journey, editor, "简答", "其他想法")
    assert "4. 其他想法（文字）" in editor.bubble.text()
    journey.click(worries.up)  # the worries come before the score
    journey.click(editor.cards[-1].remove)  # and no open question after all
    journey.wait_until(lambda: len(editor.cards) == 3, what="the question removed")
    preview = editor.bubble.text()
    assert "2. 您最担心哪些问题？（可多选）" in preview
    assert "3. 您觉得目前上下楼方便吗（1-5分，5分最好）\n" in preview + "\n"
    assert "其他想法" not in preview
    assert "回复方式：问卷? 1A 2AC 3:5" in preview
    journey.shot("questions written from scratch, the preview beside them")
    journey.click(editor.ok_button)
    journey.wait_until(lambda: view.detail.results is not None and len(
        view.detail.results.record["questions"]) == 3, what="the questions kept")
    journey.tab("群内预览", within=view)
    assert "2. 您最担心哪些问题？（可多选）" in view.detail.bubble.text()

    # Published, the questions no longer change: the editor is no longer offered.
    journey.click("发布", within=view)
    journey.click("发布", within=journey.dialog("发布问卷", kind=QMessageBox))  # asked first
    journey.wait_until(lambda: view.detail.status_chip.text() == "收集中",
                       what="published here at once")
    assert not view.detail.buttons["edit"].isVisible()
    _sync(journey)
    journey.wait_until(lambda: "编号 问卷" in _summary(view), what="the server's code")
    code = _summary(view).split("编号 ")[1].split(" ")[0]
    held = journey.server.pull_as("supervisor1")
    [q] = held.where("questionnaire", title="鼓楼新村3栋加装电梯意向调查")
    assert q["status"] == "published" and q["code"] == code
    assert [(x["id"], x["kind"], x["text"], x.get("options"), x["required"])
            for x in q["questions"]] == [
        ("q1", "single", "您是否同意本单元加装电梯？", ["同意", "不同意"], True),
        ("q3", "multiple", "您最担心哪些问题？", ["费用分摊", "施工噪音", "低层采光"], True),
        ("q2", "scale", "您觉得目前上下楼方便吗", None, False)]

    # A resident answers in the group; the result shows.
    journey.tab("结果", within=view)
    group = held.get("grid", grid_id)
    assert group is not None
    _reply(journey, group["wechat_group_id"], "wx-e1", "孙阿姨", f"{code} 1A 2AC 3:2")
    _sync(journey)
    journey.wait_until(lambda: view.detail.chart_counts().get("question_chart_q1")
                       == [1, 0], what="the answer counted")
    assert view.detail.chart_counts()["question_chart_q3"] == [1, 0, 1]
    assert view.detail.chart_counts()["question_chart_q2"] == [0, 1, 0, 0, 0]
    assert "回复 1 / " in _summary(view)
    journey.shot("a resident's answer to the written questionnaire")
    [answer] = journey.server.pull_as("clerk1").where("questionnaire_response",
                                                      questionnaire_id=q["id"])
    assert answer["answers"] == {"q1": 0, "q3": [0, 2], "q2": 2}


def _households_dialog(journey: Journey) -> HouseholdAnswersDialog:
    return journey.dialog(kind=HouseholdAnswersDialog)


def test_a_worker_enters_a_households_answers_offline_and_they_sync(
    journey: Journey
) -> None:
    journey.start()
    journey.sign_in("worker1")
    view = _page(journey)
    # A published questionnaire of worker1's grids (from the demo data).
    table = journey.by_name("questionnaires_table", QTableView, within=view)
    status = journey.column(table, "状态")
    journey.wait_until(lambda: table.model().rowCount() > 0 and not view.model.is_loading
                       and not view.loading, what="questionnaires listed")
    # The newest, a draft, shown first leaves the list its half (all seven steps' buttons,
    # shown for a moment, took 590 px and pushed the list to its least width).
    half, rest = view.questionnaires.splitter.sizes()
    assert half >= rest - 2, (half, rest)
    rows = [r for r in range(table.model().rowCount())
            if journey.cells(table, status, [r])[0] == "收集中"]
    assert rows, "no published questionnaire for worker1"
    journey.click_row(table, rows[0], 0)
    chosen = view.model.row_at(rows[0])
    assert chosen is not None
    journey.shot("a published questionnaire of the worker's grids")
    journey.wait_until(lambda: view.detail.results is not None
                       and view.detail.results.record["id"] == chosen.id
                       and view.detail.buttons["answers"].isVisible(),
                       what="the questionnaire shown")
    results = view.detail.results
    assert results is not None
    before = results.total
    qid = str(results.record["id"])
    questions: list[dict[str, Any]] = list(results.record["questions"])

    # The server goes away (in the field, no network): the answers are kept here.
    journey.server.stop()
    journey.click("录入答卷", within=view)
    dialog = _households_dialog(journey)
    household = dialog.household.itemText(0)
    household_id = str(dialog.household.itemData(0))
    journey.type_into(dialog.household, household)
    journey.choose(dialog.channel, "入户走访")
    for q in questions:
        widget = dialog.inputs[str(q["id"])]
        if q["kind"] in ("single", "scale"):
            journey.choose(widget, widget.itemText(1))
        elif q["kind"] == "multiple":
            journey.click(widget[0])
        else:
            journey.type_into(widget, "楼道灯坏了")
    journey.shot("a household's answers on a visit")
    journey.click("保存答卷", within=dialog)
    journey.wait_until(lambda: view.detail.results is not None
                       and view.detail.results.total == before + 1,
                       what="the answers counted here, offline")
    journey.tab("答复明细", within=view)
    journey.row_of(view.detail.responses, household.split(" ")[0])
    journey.shot("answers kept offline")

    journey.server.restart()
    _sync(journey)
    held = journey.server.pull_as("clerk1")
    answers = [r for r in held.where("questionnaire_response", questionnaire_id=qid)
               if r.get("household_id") == household_id]
    assert len(answers) == 1
    assert answers[0]["channel"] == "visit"
    assert answers[0]["entered_by_id"] is not None
    label = journey.by_name("questionnaire_summary", QLabel, within=view)
    assert f"回复 {before + 1}" in label.text()


def test_a_clerk_decides_a_consultation_on_the_board_and_its_decision_becomes_a_ticket(
    journey: Journey
) -> None:
    journey.start()
    journey.sign_in("clerk1")
    view = _page(journey)
    journey.tab("民主协商", within=view)
    board = view.board
    # The demo has a topic in every stage in clerk1's community.
    for stage in ("征集意见", "讨论中", "投票中", "已决定", "已公示", "已结束"):
        journey.find(stage, within=board, exact=False)
    journey.wait_until(lambda: all(board.lists[s].count() for s in board.lists),
                       what="a card in every stage")
    journey.shot("the consultation board")

    voting = board.lists["voting"]
    topic_card = voting.item(0).text()
    journey.click_row(voting, 0)
    pane = view.consultation
    journey.wait_until(lambda: pane.detail is not None and pane.stage_chip.text() == "投票中",
                       what="the voting topic shown")
    topic = str(pane.detail.record["topic"]) if pane.detail else ""
    consultation_id = str(pane.detail.record["id"]) if pane.detail else ""
    assert topic in topic_card
    assert "位居民参与" in pane.summary.text()
    journey.tab("居民意见", within=pane)
    assert pane.comments.rowCount() > 0
    journey.shot("a topic being voted on")

    # The meeting in the community hall: its votes join the online count.
    online = pane.detail.tally if pane.detail else None
    assert online is not None
    journey.click("记录协商会", within=pane)
    meeting = journey.dialog(kind=MeetingDialog)
    journey.type_into(meeting.place, "社区议事厅")
    journey.type_into(meeting.attendee_name, "王阿姨")
    journey.click(meeting.add_attendee_button)
    journey.choose(meeting.attendee_kind, "物业公司")
    journey.type_into(meeting.attendee_name, "物业李经理")
    journey.click(meeting.add_attendee_button)
    journey.type_into(meeting.votes["support"], "12")
    journey.type_into(meeting.votes["oppose"], "3")
    journey.shot("a meeting's votes")
    journey.click(meeting.ok_button)
    journey.wait_until(lambda: pane.detail is not None
                       and pane.detail.tally.total_support == online.total_support + 12
                       and pane.detail.tally.total_oppose == online.total_oppose + 3,
                       what="the meeting's votes counted")
    journey.tab("协商会", within=pane)
    journey.row_of(pane.meetings, "社区议事厅")

    journey.click("形成决定", within=pane)
    dialog = journey.dialog(kind=ConsultationTextDialog)
    journey.type_into(dialog.edit, "采纳方案三：绿化与停车兼顾，年内完成")
    journey.click(dialog.ok_button)
    journey.wait_until(lambda: pane.stage_chip.text() == "已决定", what="decided here at once")
    journey.wait_until(lambda: any(topic in t for t in board.card_texts("decided")),
                       what="the card moved to 已决定")

    journey.click("创建工单", within=pane)
    form = journey.dialog(kind=DecisionTicketDialog)
    journey.type_into(form.title_edit, "庭院绿化与停车位改造")
    journey.click("创建工单", within=form)
    journey.tab("工单", within=pane)
    journey.wait_until(lambda: pane.tickets.rowCount() == 1, what="the ticket linked")
    assert pane.tickets.item(0, 1).text() == "庭院绿化与停车位改造"
    _sync(journey)
    journey.wait_until(lambda: pane.tickets.item(0, 0) is not None
                       and pane.tickets.item(0, 0).text().startswith("GL"),
                       what="the server's ticket number")
    journey.shot("decided, with its ticket")

    held = journey.server.pull_as("supervisor1")
    consultation = held.get("consultation", consultation_id)
    assert consultation is not None
    assert consultation["stage"] == "decided"
    assert consultation["decision"] == "采纳方案三：绿化与停车兼顾，年内完成"
    [ticket_id] = [t for t in consultation["ticket_ids"]
                   if (held.get("ticket", t) or {}).get("title") == "庭院绿化与停车位改造"]
    ticket = held.get("ticket", ticket_id)
    assert ticket is not None and ticket["source"] == "consultation"
    [meeting_held] = held.where("consultation_meeting", consultation_id=consultation_id,
                                place="社区议事厅")
    assert meeting_held["votes"] == {"support": 12, "oppose": 3}
    assert [(a["kind"], a["name"]) for a in meeting_held["attendees"]] == [
        ("resident", "王阿姨"), ("property", "物业李经理")]


def _picture(path: Path, colour: tuple[int, int, int]) -> Path:
    """A photo taken at the meeting, as the phone's camera left it on the laptop."""
    from PIL import Image

    Image.new("RGB", (640, 480), colour).save(path, "JPEG")
    return path


def _add_photo(journey: Journey, meeting: MeetingDialog, picture: Path) -> None:
    """Add photos…, and the picture chosen in the file dialog."""
    before = len(meeting.photos)
    journey.choose_file(picture)
    journey.click(meeting.add_photos_button)
    journey.wait_until(lambda: len(meeting.photos) == before + 1, what="the photo added")


def test_a_clerk_records_a_meeting_with_everyone_who_came_and_its_photos(
    journey: Journey, tmp_path: Path
) -> None:
    journey.start()
    journey.sign_in("clerk1")
    view = _page(journey)
    journey.tab("民主协商", within=view)
    discussing = view.board.lists["discussing"]
    journey.wait_until(lambda: discussing.count() > 0, what="a topic under discussion")
    journey.click_row(discussing, 0)
    pane = view.consultation
    journey.wait_until(lambda: pane.detail is not None and pane.stage_chip.text() == "讨论中",
                       what="the topic shown")
    assert pane.detail is not None
    consultation_id = str(pane.detail.record["id"])
    offline_before = pane.detail.tally.offline_support

    journey.click("记录协商会", within=pane)
    meeting = journey.dialog(kind=MeetingDialog)
    journey.type_into(meeting.place, "颐和新村居民议事厅")
    # A resident, by the household they came for (the head's name when none is typed).
    household = meeting.household.itemText(0)
    household_id = str(meeting.household.itemData(0))
    journey.type_into(meeting.household, household)
    journey.click(meeting.add_attendee_button)
    # A colleague, chosen from the community's staff (not typed: kept with their id).
    journey.choose(meeting.attendee_kind, "工作人员")
    assert not meeting.household.isVisible() and not meeting.attendee_name.isVisible()
    assert meeting.staff_member.count() > 0
    colleague = meeting.staff_member.itemText(0)
    colleague_id = str(meeting.staff_member.itemData(0))
    journey.type_into(meeting.staff_member, colleague)
    journey.click(meeting.add_attendee_button)
    for kind, name in (("物业公司", "物业服务中心 李经理"), ("其他单位", "街道城管科 王科长")):
        journey.choose(meeting.attendee_kind, kind)
        assert not meeting.household.isVisible() and not meeting.staff_member.isVisible()
        journey.type_into(meeting.attendee_name, name)
        journey.click(meeting.add_attendee_button)
    journey.wait_until(lambda: meeting.attendee_list.count() == 4, what="four attendees")
    assert meeting.attendee_list.item(0).text().startswith("居民 · ")
    # Two photos of the meeting, picked from the disk.
    for i, colour in enumerate(((180, 60, 40), (40, 120, 180))):
        _add_photo(journey, meeting, _picture(tmp_path / f"meeting-{i}.jpg", colour))
    journey.type_into(meeting.votes["support"], "9")
    journey.type_into(meeting.votes["oppose"], "2")
    journey.shot("a meeting: who came, its photos, the votes in the room")
    photos = list(meeting.photos)
    journey.click(meeting.ok_button)

    # The meeting joins the topic's record: its votes, who came, its photos.
    journey.wait_until(lambda: pane.detail is not None
                       and pane.detail.tally.offline_support == offline_before + 9,
                       what="the meeting's votes counted")
    assert "其中会上：赞成" in pane.summary.text()
    journey.tab("协商会", within=pane)
    row = journey.row_of(pane.meetings, "颐和新村居民议事厅")
    journey.click_row(pane.meetings, row, 0)
    # The meetings' table shows several rows, also at 1024x700 (it showed one).
    assert pane.meetings.viewport().height() >= 3 * pane.meetings.rowHeight(row), \
        pane.meetings.viewport().height()
    assert journey.cells(pane.meetings, journey.column(pane.meetings, "照片"), [row]) == ["2"]
    people = pane.meeting_people.text()
    assert f"工作人员 · {colleague}" in people and "物业公司 · 物业服务中心 李经理" in people
    assert "其他单位 · 街道城管科 王科长" in people
    journey.wait_until(lambda: len([w for w in pane.findChildren(QLabel, "photo_tile")
                                    if w.isVisible() and w.pixmap() is not None
                                    and not w.pixmap().isNull()]) == 2,
                       what="the two photos shown")
    journey.shot("the meeting in the topic's record, with its photos")

    # Sent: the photos go before the meeting; whoever sees the meeting sees them.
    _sync(journey)
    held = journey.server.pull_as("supervisor1")
    [kept] = held.where("consultation_meeting", consultation_id=consultation_id,
                        place="颐和新村居民议事厅")
    assert [a["kind"] for a in kept["attendees"]] == ["resident", "staff", "property", "other"]
    assert kept["attendees"][0]["household_id"] == household_id
    assert kept["attendees"][1] == {"kind": "staff", "name": colleague, "staff_id": colleague_id}
    assert kept["votes"] == {"support": 9, "oppose": 2}
    assert kept["photos"] == photos
    checker = ApiClient(journey.server.url, retries=0)
    checker.login("supervisor1", DEMO_PASSWORD, "journey-check-meeting", "check")
    for sha in kept["photos"]:
        photo = checker.get_blob(sha)
        assert hashlib.sha256(photo).hexdigest() == sha and photo.startswith(b"\xff\xd8")


def _show_results_and_board(journey: Journey, view: ParticipationView, *, results: str,
                            board_tab: str, questionnaire: str, stage: str) -> None:
    table = journey.by_name("questionnaires_table", QTableView, within=view)
    journey.wait_until(lambda: not view.model.is_loading and view.model.rowCount() > 0,
                       what="questionnaires listed")
    row = journey.row_of(table, questionnaire)
    journey.assert_readable(table, 0, [row])
    journey.click_row(table, row, 0)
    journey.wait_until(lambda: view.detail.results is not None and view.detail.results.record[
        "title"] == questionnaire and view.detail.chart_counts(), what="its results")
    journey.tab(results, within=view)
    assert sum(view.detail.chart_counts()["grid_chart"]) == view.detail.results.total \
        if view.detail.results else False
    journey.shot(f"results {stage}")
    journey.tab(board_tab, within=view)
    voting = view.board.lists["voting"]
    journey.wait_until(lambda: voting.count() > 0, what="the board")
    journey.click_row(voting, 0)
    journey.wait_until(lambda: view.consultation.detail is not None, what="the topic")
    journey.shot(f"consultation board {stage}")


def test_the_results_and_the_board_read_in_chinese_and_in_english(journey: Journey) -> None:
    journey.start()
    journey.sign_in("clerk1")
    view = _page(journey)
    _show_results_and_board(journey, view, results="结果", board_tab="民主协商",
                            questionnaire="小区庭院改造意见征集", stage="in Chinese")
    assert view.consultation.stage_chip.text() == "投票中"
    journey.restart("--lang", "en")
    page = journey.go_to("Participation")
    view = page if isinstance(page, ParticipationView) else page.findChild(ParticipationView)
    assert isinstance(view, ParticipationView)
    _show_results_and_board(journey, view, results="Results", board_tab="Consultations",
                            questionnaire="小区庭院改造意见征集", stage="in English")
    assert view.consultation.stage_chip.text() == "Voting"
    assert view.detail.status_chip.text() == "Open"
    # 意见 are the residents' opinions (the stance a reply takes), not "views".
    board = view.board
    texts = [board.lists[s].item(r).text() for s in board.lists
             for r in range(board.lists[s].count())]
    assert texts and all("opinions" in t and "views" not in t for t in texts), texts
    assert any(w.text().startswith("Collecting opinions") for w in
               board.findChildren(QLabel) if w.isVisible()), "the first stage's name"
    assert "opinions" in view.consultation.summary.text()


def test_a_supervisor_sees_participation_per_community(journey: Journey) -> None:
    journey.start()
    journey.sign_in("supervisor1")
    view = _page(journey)
    table = view.figures.table
    journey.wait_until(lambda: table.rowCount() > 0, what="the figures")
    held = journey.server.pull_as("supervisor1")
    run: dict[str, int] = {}
    for q in held.all("questionnaire"):
        if q["status"] != "draft":
            run[q["community_id"]] = run.get(q["community_id"], 0) + 1
    names = {c["id"]: c["name"] for c in held.all("community")}
    community = journey.column(table, "社区")
    questionnaires = journey.column(table, "问卷数")
    shown = dict(zip(journey.cells(table, community), journey.cells(table, questionnaires),
                     strict=True))
    assert shown == {names[cid]: str(n) for cid, n in run.items()}
    rates = journey.cells(table, journey.column(table, "回复率"))
    assert all(rate.endswith("%") for rate in rates)
    journey.shot("participation per community")


def test_a_clerk_posts_a_topic_and_an_activity_and_residents_take_part(
    journey: Journey
) -> None:
    journey.start()
    journey.sign_in("clerk1")
    view = _page(journey)
    held = journey.server.pull_as("clerk1")

    # A topic from the parking template, posted to one grid's group.
    journey.tab("民主协商", within=view)
    journey.click("新建议题", within=view)
    dialog = journey.dialog(kind=NewConsultationDialog)
    journey.choose(dialog.template, "停车管理")
    journey.type_into(dialog.topic, "颐和新村停车收费协商")
    grid_id, box = dialog.grids.boxes[0]
    journey.click(box)
    journey.click("创建议题", within=dialog)
    pane = view.consultation
    journey.wait_until(lambda: pane.detail is not None
                       and pane.detail.record["topic"] == "颐和新村停车收费协商",
                       what="the new topic shown")
    assert any("颐和新村停车收费协商" in t for t in view.board.card_texts("collecting"))
    assert "【民主协商·征集意见】颐和新村停车收费协商" in pane.bubble.text()
    assert pane.summary.text().startswith("发到群里后生成编号 · "), pane.summary.text()
    journey.click("发到群里", within=pane)
    _sync(journey)
    journey.wait_until(lambda: pane.summary.text().startswith("协商"), what="its code")
    code = pane.summary.text().split(" ")[0]
    group = held.get("grid", grid_id)
    assert group is not None
    _reply(journey, group["wechat_group_id"], "wx-p1", "周师傅", f"{code} 支持 早该管管了")
    _sync(journey)
    journey.wait_until(lambda: any("颐和新村停车收费协商" in t and "支持 1" in t
                                   for t in view.board.card_texts("collecting")),
                       what="the resident's support on the card")
    journey.shot("a topic posted, a resident's support arrived")

    # A volunteer activity: created, looked at as residents will see it, published.
    journey.tab("志愿服务", within=view)
    journey.click("新建活动", within=view)
    form = journey.dialog(kind=NewActivityDialog)
    journey.type_into(form.title_edit, "颐和新村楼道清洁日")
    journey.type_into(form.place, "颐和新村3栋")
    journey.click(form.grids.boxes[0][1])
    journey.click("创建活动", within=form)
    table = view.activities.table
    row = journey.row_of(table, "颐和新村楼道清洁日")
    journey.click_row(table, row, 0)
    bubble = view.activities.bubble
    journey.wait_until(lambda: "【志愿服务招募】颐和新村楼道清洁日" in bubble.text(),
                       what="the recruiting message")
    publish = view.activities.publish_button
    journey.wait_until(publish.isEnabled, what="发布 offered for the draft")
    journey.click(publish)
    journey.click("发布", within=journey.dialog("发布志愿活动", kind=QMessageBox))
    _sync(journey)
    code_column = journey.column(table, "编号")
    journey.wait_until(lambda: journey.cells(table, code_column, [journey.row_of(
        table, "颐和新村楼道清洁日")])[0].startswith("活动"), what="the activity's code")
    activity_code = journey.cells(table, code_column,
                                  [journey.row_of(table, "颐和新村楼道清洁日")])[0]
    _reply(journey, group["wechat_group_id"], "wx-p2", "志愿者小王", f"报名 {activity_code}")
    _sync(journey)
    signed = journey.column(table, "报名")
    journey.wait_until(lambda: journey.cells(table, signed, [journey.row_of(
        table, "颐和新村楼道清洁日")])[0] == "1 / 10", what="the sign-up counted")
    journey.shot("an activity published, a resident signed up")

    # The day after: who came, and their hours.
    complete = view.activities.complete_button
    journey.wait_until(complete.isEnabled, what="记录到场 offered")
    journey.click(complete)
    sheet = journey.dialog(kind=AttendanceDialog)
    [(volunteer_id, came, hours)] = sheet.rows
    assert came.text() == "志愿者小王" and came.isChecked() and hours.value() == 2.0
    journey.shot("who came and their hours")
    journey.click(sheet.ok_button)
    status = journey.column(table, "状态")
    journey.wait_until(lambda: journey.cells(table, status, [journey.row_of(
        table, "颐和新村楼道清洁日")])[0] == "已完成", what="the activity done")
    assert journey.cells(table, journey.column(table, "时长"),
                         [journey.row_of(table, "颐和新村楼道清洁日")])[0] == "2.0"
    _sync(journey)

    held = journey.server.pull_as("supervisor1")
    [topic] = held.where("consultation", topic="颐和新村停车收费协商")
    assert topic["code"] == code and topic["grid_ids"] == [grid_id]
    comments = held.where("consultation_comment", consultation_id=topic["id"])
    assert [(c["sender_name"], c["stance"]) for c in comments] == [("周师傅", "support")]
    [activity] = held.where("volunteer_activity", code=activity_code)
    assert activity["title"] == "颐和新村楼道清洁日"
    assert activity["status"] == "done" and len(activity["signups"]) == 1
    assert activity["attended"] == [{"volunteer_id": volunteer_id, "hours": 2.0}]


def test_the_question_editor_and_a_meeting_read_in_english(journey: Journey) -> None:
    journey.start()
    journey.sign_in("clerk1")
    journey.restart("--lang", "en")
    page = journey.go_to("Participation")
    view = page if isinstance(page, ParticipationView) else page.findChild(ParticipationView)
    assert isinstance(view, ParticipationView)

    journey.click("New questionnaire", within=view)
    dialog = journey.dialog(kind=NewQuestionnaireDialog)
    journey.choose(dialog.template, "Blank: write your own questions")
    journey.type_into(dialog.title_edit, "Lift for building 3: your view")
    journey.click(dialog.grids.boxes[0][1])
    journey.click("Create draft", within=dialog)
    journey.wait_until(lambda: view.detail.results is not None and view.detail.results.record[
        "title"] == "Lift for building 3: your view", what="the blank draft shown")
    journey.click("Edit questions", within=view)
    editor = journey.dialog(kind=QuestionEditorDialog)
    _add_question(journey, editor, "Single choice", "您是否同意加装电梯？", ("同意", "不同意"))
    _add_question(journey, editor, "Score 1–5", "上下楼方便吗")
    assert "2. 上下楼方便吗（1-5分，5分最好）（必答）" in editor.bubble.text()
    journey.shot("the question editor in English")
    journey.click(editor.ok_button)
    journey.wait_until(lambda: view.detail.results is not None and len(
        view.detail.results.record["questions"]) == 2, what="the questions kept")

    journey.tab("Consultations", within=view)
    discussing = view.board.lists["discussing"]
    journey.wait_until(lambda: discussing.count() > 0, what="a topic under discussion")
    journey.click_row(discussing, 0)
    pane = view.consultation
    journey.wait_until(lambda: pane.detail is not None, what="the topic shown")
    journey.click("Record a meeting", within=pane)
    meeting = journey.dialog(kind=MeetingDialog)
    journey.type_into(meeting.place, "Residents' hall")
    journey.choose(meeting.attendee_kind, "Property company")
    journey.type_into(meeting.attendee_name, "Property office, Mr Li")
    journey.click(meeting.add_attendee_button)
    journey.type_into(meeting.votes["support"], "7")
    journey.shot("a meeting being recorded, in English")
    journey.click(meeting.ok_button)
    journey.tab("Meetings", within=pane)
    row = journey.row_of(pane.meetings, "Residents' hall")
    journey.click_row(pane.meetings, row, 0)
    assert "Property company · Property office, Mr Li" in pane.meeting_people.text()
    assert "(in meetings: for 7 · against 0)" in pane.summary.text()
    journey.shot("a meeting in the topic's record, in English")


def test_a_meeting_recorded_on_another_computer_shows_its_photos(journey: Journey) -> None:
    from tests.server.test_blobs import jpeg, put, sha
    from tests.world import Api, mutation

    # The clerk recorded a meeting with a photo on their own computer; it reached the server.
    held = journey.server.pull_as("clerk1")
    [topic] = [c for c in held.all("consultation") if c["stage"] == "voting"][:1]
    clerk = Api(journey.server.api).login("clerk1", DEMO_PASSWORD)
    photo = jpeg((30, 150, 60))
    assert put(clerk, sha(photo), photo).status_code == 201
    assert clerk.push(mutation("consultation_meeting", str(uuid.uuid4()), "create", fields={
        "consultation_id": topic["id"], "held_at": format_datetime(now()),
        "place": "街道会议室", "attendees": [{"kind": "staff", "name": "社区书记"}],
        "photos": [sha(photo)], "votes": {"support": 4}}))[0]["status"] == "applied"

    # The supervisor, on theirs, sees the meeting and its photo, fetched when shown.
    journey.start()
    journey.sign_in("supervisor1")
    view = _page(journey)
    journey.tab("民主协商", within=view)
    voting = view.board.lists["voting"]
    journey.wait_until(lambda: voting.count() > 0, what="the board")
    row = next(i for i in range(voting.count())
               if voting.item(i).text().startswith(f"{topic['code']} · "))
    journey.click_row(voting, row)
    pane = view.consultation
    journey.wait_until(lambda: pane.detail is not None
                       and pane.detail.record["id"] == topic["id"], what="the topic shown")
    journey.tab("协商会", within=pane)
    journey.row_of(pane.meetings, "街道会议室")
    journey.wait_until(lambda: any(
        w.isVisible() and w.pixmap() is not None and not w.pixmap().isNull()
        for w in pane.findChildren(QLabel, "photo_tile")), what="the photo downloaded")
    journey.shot("a meeting recorded elsewhere, its photo fetched")


def test_every_card_of_a_busy_board_is_sized_for_its_column(journey: Journey) -> None:
    """A supervisor's board holds the street's topics: a column scrolls, its scroll bar
    takes room, and every card must still show its whole text (once cut to "…")."""
    journey.start()
    journey.sign_in("supervisor1")
    view = _page(journey)
    journey.tab("民主协商", within=view)
    board = view.board
    journey.wait_until(lambda: board.lists["voting"].count() > 1, what="the street's topics")
    journey.settle(100)
    for stage, items in board.lists.items():
        for i in range(items.count()):
            index = items.model().index(i, 0)
            option = QStyleOptionViewItem()
            items.initViewItemOption(option)
            option.rect = items.visualRect(index)
            items.itemDelegateForIndex(index).initStyleOption(option, index)
            style = items.style()
            text = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, items)
            margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, items) + 1
            needed = QFontMetrics(option.font).boundingRect(
                QRect(0, 0, text.width() - 2 * margin, 10_000),
                int(Qt.TextFlag.TextWordWrap), option.text)
            assert needed.height() <= text.height(), (
                f"a card of {stage} is cut: {option.text!r} needs {needed.height()} px, "
                f"has {text.height()}")
    journey.shot("a busy board, every card whole")


def test_a_tall_window_shows_the_fullest_stage_of_the_board_whole(journey: Journey) -> None:
    """At 1600x1000 a supervisor's four topics in voting scrolled in 300 px while half the
    page below said "no topic chosen": the board takes what its fullest stage needs, as
    far as the chosen topic keeps its room. At 1024x700 the topic keeps its three fifths
    (its meetings' table needs them)."""
    journey.start()
    journey.sign_in("supervisor1")
    view = _page(journey)
    journey.tab("民主协商", within=view)
    board, page = view.board, view.consultations
    journey.wait_until(lambda: board.lists["voting"].count() > 3, what="the street's topics")
    journey.settle(100)
    board_height, pane_height = page.splitter.sizes()
    if journey.size[1] >= 1000:
        assert pane_height >= ConsultationsPage.PANE_ROOM
        for stage, items in board.lists.items():
            last = items.visualRect(items.model().index(items.count() - 1, 0))
            assert not items.verticalScrollBar().isVisible(), stage
            assert last.bottom() <= items.viewport().height(), stage
    else:
        assert pane_height * 5 >= (board_height + pane_height) * 3 - 5
    journey.shot("the board above the chosen topic")


def test_an_activitys_recruiting_message_reads_whole_under_the_list(journey: Journey) -> None:
    """At 1024×700 the chosen activity's message as residents see it had what the list
    left it: about 60 px, its first line and a scroll bar. It shows whole (the list
    scrolls instead), at both window sizes."""
    journey.start()
    journey.sign_in("clerk1")
    view = _page(journey)
    journey.tab("志愿服务", within=view)
    table = view.activities.table
    journey.wait_until(lambda: table.rowCount() >= 3, what="the activities")
    journey.click_row(table, 0, 0)
    bubble, preview = view.activities.bubble, view.activities.preview
    journey.wait_until(lambda: "【志愿服务招募】" in bubble.text(), what="the recruiting message")
    journey.settle(100)
    assert not preview.verticalScrollBar().isVisible(), (
        preview.height(), preview.minimumHeight(), preview.widget().sizeHint().height())
    bottom = bubble.mapTo(preview.viewport(), bubble.rect().bottomLeft()).y()
    assert bottom <= preview.viewport().height(), (bottom, preview.viewport().height())
    journey.cells(table, journey.column(table, "活动"), [0])
    journey.shot("the recruiting message whole under the activities")


def test_the_figures_read_in_english_at_a_laptops_width(journey: Journey) -> None:
    """In English at 1024×700 the figures' number columns took their headers' width
    ("Questionnaires", "Activities done", "Volunteer hours") and left the community
    column 66 px: "ommunit" over "汇林绿…". The long headers go on two lines where the
    table is narrow; every community's name and every header reads whole."""
    from ui.settings import LANGUAGE, Settings

    Settings().set(LANGUAGE, "en")
    journey.start()
    journey.sign_in("supervisor1")
    page = journey.go_to("Participation")
    view = page if isinstance(page, ParticipationView) else page.findChild(ParticipationView)
    assert isinstance(view, ParticipationView)
    journey.tab("Figures", within=view)
    table = view.figures.table
    journey.wait_until(lambda: table.rowCount() > 0, what="the figures")
    journey.settle(100)
    names = {c["name"] for c in journey.server.pull_as("supervisor1").all("community")}
    shown = journey.cells(table, journey.column(table, "Community"))
    assert set(shown) <= names and len(shown) == table.rowCount(), shown
    header = table.horizontalHeader()
    metrics = QFontMetrics(header.font())
    for column in range(table.columnCount()):
        text = table.horizontalHeaderItem(column).text()
        wide = max(metrics.horizontalAdvance(line) for line in text.splitlines())
        assert wide + 8 <= header.sectionSize(column), (text, header.sectionSize(column))
        assert header.height() >= len(text.splitlines()) * metrics.height(), (
            text, header.height())
    journey.cells(table, table.columnCount() - 1)  # the volunteer hours
    journey.shot("the figures in English")


def test_the_responses_read_without_scrolling_sideways(journey: Journey) -> None:
    """A response entered from a phone call or a visit is named by its household's whole
    address ("南京市鼓楼区江东街道汇林绿洲15栋1单元101室（来电）"): the "who" column took
    that width and pushed the answers and the time past the table's right edge at
    1024×700. Who gives way (its tooltip has it whole); the answers and the time read."""
    journey.start()
    journey.sign_in("clerk1")
    view = _page(journey)
    table = journey.by_name("questionnaires_table", QTableView, within=view)
    journey.wait_until(lambda: view.detail.results is not None, what="the first one shown")
    journey.settle(300)  # the panes sized, the list read again after the first sync
    journey.click_row(table, journey.row_of(table, "老旧小区加装电梯意愿调查"), 0)
    journey.wait_until(lambda: view.detail.results is not None and view.detail.results.record[
        "title"] == "老旧小区加装电梯意愿调查", what="the questionnaire shown")
    journey.tab("答复明细", within=view)
    responses = view.detail.responses

    def whos() -> list[str]:
        items = (responses.item(r, 0) for r in range(responses.rowCount()))
        return [item.text() for item in items if item is not None]

    journey.wait_until(lambda: any("室" in who for who in whos()),
                       what="responses from a phone call or a visit")
    journey.settle(100)
    rows = range(responses.rowCount())
    journey.cells(responses, journey.column(responses, "回答"), rows)
    journey.cells(responses, journey.column(responses, "时间"), rows)
    journey.cells(responses, journey.column(responses, "答复人"), rows)
    journey.shot("the responses, every column in the table")


def test_a_drafts_summary_says_its_code_comes_on_publishing(journey: Journey) -> None:
    """A draft has no code yet: its summary read "编号 — · …", as if one were missing.
    It says the code is given on publishing, in Chinese and in English. Its results tab,
    charts with no bars, says what will fill them once it is published."""
    draft = "小区停车管理方案征求意见"  # the demo's draft in clerk1's community

    def summary_of_draft(view: ParticipationView) -> str:
        table = journey.by_name("questionnaires_table", QTableView, within=view)
        journey.wait_until(lambda: view.detail.results is not None, what="the first one")
        journey.click_row(table, journey.row_of(table, draft), 0)
        journey.wait_until(lambda: view.detail.results is not None and view.detail.results
                           .record["title"] == draft, what="the draft shown")
        return _summary(view)

    journey.start()
    journey.sign_in("clerk1")
    view = _page(journey)
    text = summary_of_draft(view)
    assert text.startswith("发布后生成编号 · 汇林绿洲第"), text
    assert "编号 —" not in text and " · 回复 0" in text
    # Its results are empty axes: a line above them says what will fill them, and when.
    note = journey.by_name("draft_results_note", QLabel, within=view.detail)
    assert note.isVisible() and note.text().startswith("尚未发布：发布后，居民的回复"), (
        note.text())
    journey.shot("a draft's summary")
    journey.restart("--lang", "en")
    page = journey.go_to("Participation")
    view = page if isinstance(page, ParticipationView) else page.findChild(ParticipationView)
    assert isinstance(view, ParticipationView)
    text = summary_of_draft(view)
    assert text.startswith("Code given on publishing · "), text
    assert " · responses 0" in text


def test_a_click_on_the_list_right_after_it_fills_is_kept(journey: Journey) -> None:
    """The first questionnaire is shown as the list first fills; a person who clicks
    another at once gets that one, whatever the list reads next (the first sync). The list
    first filled by title (turning sorting on asked for it), then, read again newest
    first, moved under the click: the click took the row now there."""
    journey.start()
    journey.sign_in("clerk1")
    view = _page(journey)
    table = journey.by_name("questionnaires_table", QTableView, within=view)
    journey.wait_until(lambda: view.detail.results is not None, what="the first one shown")
    # Newest first from the start: the demo's draft, made a day after the others, and
    # every row (the draft also comes first by title; the rows after it do not).
    assert view.detail.results is not None
    assert view.detail.results.record["title"] == "小区停车管理方案征求意见"
    shown = [view.model.row_at(r) for r in range(view.model.rowCount())]
    made = [r.created_at for r in shown if r is not None and r.created_at is not None]
    assert len(made) == len(shown) > 2 and made == sorted(made, reverse=True), \
        [r.title for r in shown if r is not None]
    wanted = "老旧小区加装电梯意愿调查"
    journey.click_row(table, journey.row_of(table, wanted), 0)
    journey.wait_until(lambda: view.detail.results is not None and view.detail.results.record[
        "title"] == wanted and not view.loading and not view.model.is_loading,
        what="the questionnaire clicked shown")
    journey.settle(1500)  # whatever the list and the pane read next
    assert view.detail.results is not None and view.detail.results.record["title"] == wanted
    row = view.model.row_at(table.currentIndex().row())
    assert row is not None and row.title == wanted


def test_a_social_workers_participation_figures_say_they_are_their_grids(
        journey: Journey) -> None:
    """A social worker's desk holds the responses and households of their own grids only.
    Their 参与统计 read "各社区居民参与情况 · 汇林绿洲社区 · 3 questionnaires, 78 responses"
    where the clerk's read 4 and 141 for the same community, and a questionnaire sent to
    every grid showed the other grids as "0 (—)", as if nobody had answered there. A
    worker's figures now say they are their grids', and the grids chart lists theirs."""
    from PySide6.QtCharts import QChartView

    title = "社区服务满意度调查"  # the demo's closed one, sent to every grid
    clerk = journey.server.pull_as("clerk1")
    [asked] = clerk.where("questionnaire", title=title)
    everyone = len([r for r in clerk.all("questionnaire_response")
                    if r["questionnaire_id"] == asked["id"]])
    held = journey.server.pull_as("worker1")
    [me] = held.where("staff", username="worker1")
    mine = {g["name"] for g in held.all("grid") if me["id"] in (g.get("worker_ids") or [])}

    journey.start()
    journey.sign_in("worker1")
    worker = _page(journey)
    table = journey.by_name("questionnaires_table", QTableView, within=worker)
    row = journey.row_of(table, title)
    responses = journey.cells(table, journey.column(table, "我的网格回复"), [row])[0]
    assert int(responses.split("（")[0].split(" ")[0]) < everyone, (responses, everyone)
    journey.click_row(table, row, 0)
    journey.wait_until(lambda: worker.detail.results is not None and worker.detail.results
                       .record["title"] == title, what="the questionnaire shown")
    assert "（我的网格）" in _summary(worker), _summary(worker)
    def grid_charts() -> list[Any]:
        return [v.chart() for v in worker.detail.results_body.findChildren(QChartView)
                if v.chart().objectName() == "grid_chart"]

    # The charts of the questionnaire shown before go once the event loop has run.
    journey.wait_until(lambda: len(grid_charts()) == 1, what="one grids chart")
    [chart] = grid_charts()
    [axis] = chart.axes(Qt.Orientation.Vertical)
    grids = {label.split(" (")[0] for label in axis.categories()}  # type: ignore[attr-defined]
    assert grids == mine, (grids, mine)
    journey.shot("a social worker's questionnaire: their grids")
    journey.tab("参与统计", within=worker)
    journey.wait_until(lambda: worker.figures.table.rowCount() > 0, what="the figures")
    assert journey.find("我的网格居民参与情况", QLabel, within=worker.figures).isVisible()
    journey.shot("a social worker's figures: their grids")
    # In English the column's header reads whole ("grids' respon" in 92 px).
    journey.restart("--lang", "en")
    page = journey.go_to("Participation")
    worker = page if isinstance(page, ParticipationView) else page.findChild(ParticipationView)
    assert isinstance(worker, ParticipationView)
    table = journey.by_name("questionnaires_table", QTableView, within=worker)
    journey.row_of(table, title)
    column = journey.column(table, "My grids' responses")
    header = table.horizontalHeader()
    wide = QFontMetrics(header.font()).horizontalAdvance("My grids' responses")
    assert wide + 12 <= header.sectionSize(column), (wide, header.sectionSize(column))
    journey.cells(table, column)
    journey.shot("a social worker's questionnaires in English")


def test_a_supervisors_questionnaires_say_whose_community_they_are(journey: Journey) -> None:
    """A street's supervisor lists every community's questionnaires, and one title is often
    run in each: 社区服务满意度调查 five times over, 小区庭院改造意见征集 four, and the list
    said nowhere which community's each was. A 社区 column says it, readable at both
    sizes; sorted by it, each community's questionnaires come together."""
    held = journey.server.pull_as("supervisor1")
    names = {c["id"]: c["name"] for c in held.all("community")}
    expected = sorted((q["title"], names[q["community_id"]]) for q in held.all("questionnaire"))
    journey.start()
    journey.sign_in("supervisor1")
    view = _page(journey)
    journey.tab("民主问卷", within=view)
    table = journey.by_name("questionnaires_table", QTableView, within=view)
    journey.wait_until(lambda: table.model().rowCount() == len(expected),
                       what="every questionnaire of the street")
    journey.settle(100)
    rows = range(table.model().rowCount())
    community = journey.column(table, "社区")
    shown = sorted(zip((table.model().index(r, 0).data() for r in rows),
                       journey.cells(table, community, rows), strict=True))
    assert shown == expected, (shown, expected)
    assert len({c for _t, c in shown}) >= 2
    header = table.horizontalHeader()
    journey.qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QRect(
        header.sectionViewportPosition(community), 0, header.sectionSize(community),
        header.height()).center())

    def grouped() -> bool:
        order = [table.model().index(r, community).data() for r in rows]
        return all(order.index(c) + order.count(c) - 1 == len(order) - 1 - order[::-1].index(c)
                   for c in order)

    journey.wait_until(grouped, what="the list grouped by community")
    journey.shot("a supervisor's questionnaires, each with its community")


def test_publishing_says_where_it_goes_and_waits_for_a_yes(journey: Journey) -> None:
    """发布 sent a questionnaire (or a volunteer activity) to residents' groups at one
    click: no word of the groups and households it goes to, nor that its questions
    then no longer change, and nothing to take it back. The clerk is asked first; 取消
    leaves the draft a draft."""
    journey.start()
    journey.sign_in("clerk1")
    view = _page(journey)
    table = journey.by_name("questionnaires_table", QTableView, within=view)
    row = journey.row_of(table, "小区停车管理方案征求意见")
    journey.click_row(table, row, 0)
    journey.wait_until(lambda: view.detail.status_chip.text() == "草稿", what="the draft shown")
    summary = _summary(view)
    households = summary.split("回复 0 / ")[1].split(" ")[0]
    groups = summary.split(" · ")[1]

    def asked(title: str) -> QMessageBox:
        return journey.dialog(title, kind=QMessageBox)

    def answered(box: QMessageBox) -> bool:
        try:
            return not box.isVisible()
        except RuntimeError:  # closed and deleted
            return True

    journey.click("发布", within=view)
    box = asked("发布问卷")
    said = box.text() + " " + box.informativeText()
    assert groups in said and f"{households} 户" in said and "不能再修改" in said, said
    journey.shot("publishing a questionnaire asks first")
    journey.click("取消", within=box)
    journey.wait_until(lambda: answered(box), what="the question answered")
    journey.settle(200)
    assert view.detail.status_chip.text() == "草稿"

    journey.click("发布", within=view)
    journey.click("发布", within=asked("发布问卷"))
    journey.wait_until(lambda: view.detail.status_chip.text() == "收集中",
                       what="published once the clerk said yes")
    _sync(journey)
    [q] = journey.server.pull_as("supervisor1").where("questionnaire",
                                                      title="小区停车管理方案征求意见")
    assert q["status"] == "published"

    # A volunteer activity too.
    journey.tab("志愿服务", within=view)
    activities = view.activities.table
    journey.click_row(activities, journey.row_of(activities, "邻里游园会"), 0)
    publish = view.activities.publish_button
    journey.wait_until(publish.isEnabled, what="发布 offered for the draft")
    journey.click(publish)
    box = asked("发布志愿活动")
    assert "邻里游园会" in box.text() + box.informativeText()
    journey.shot("publishing an activity asks first")
    journey.click("取消", within=box)
    journey.wait_until(lambda: answered(box), what="the question answered")
    journey.settle(200)
    status = journey.column(activities, "状态")
    assert journey.cells(activities, status, [journey.row_of(activities, "邻里游园会")]) == [
        "草稿"]
