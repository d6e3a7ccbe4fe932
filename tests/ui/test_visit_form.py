"""The visit form built from a template: every field type, validation as you type with the
server's validator, show-if conditions, labels in the UI language, photos (good and bad).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
)
from pytestqt.qtbot import QtBot

from gulou_desk.domain import forms
from gulou_desk.domain.templates import DEFAULT_TEMPLATES, ELDERLY_CARE_TEMPLATE_ID
from gulou_desk.store import Store, open_store, photos
from ui.visits.form import VisitForm


def _label(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


EVERY_TYPE: list[dict[str, Any]] = [
    {"key": "name", "type": "text", "label": _label("姓名", "Name"), "required": True,
     "max_length": 8},
    {"key": "phone", "type": "text", "label": _label("电话", "Phone"),
     "pattern": r"1[3-9]\d{9}"},
    {"key": "story", "type": "long_text", "label": _label("情况", "Story"), "max_length": 20},
    {"key": "people", "type": "number", "label": _label("人数", "People"), "required": True,
     "min": 1, "max": 9, "integer": True},
    {"key": "mood", "type": "choice", "label": _label("心情", "Mood"), "required": True,
     "options": [{"value": "good", "label": _label("好", "Good")},
                 {"value": "low", "label": _label("差", "Low")}]},
    {"key": "needs", "type": "multi_choice", "label": _label("需求", "Needs"),
     "options": [{"value": "meal", "label": _label("助餐", "Meals")},
                 {"value": "other", "label": _label("其他", "Other")}]},
    {"key": "needs_other", "type": "text", "label": _label("其他需求", "Other need"),
     "required": True, "show_if": {"field": "needs", "equals": "other"}},
    {"key": "next", "type": "date", "label": _label("下次", "Next visit")},
    {"key": "alone", "type": "yes_no", "label": _label("独居", "Lives alone"),
     "required": True},
    {"key": "alone_since", "type": "date", "label": _label("独居起始", "Alone since"),
     "required": True, "show_if": {"field": "alone", "equals": True}},
    {"key": "pics", "type": "photo", "label": _label("照片", "Photos")},
]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = open_store(tmp_path / "desk" / "desk.sqlite")
    yield s
    s.close()


def make_form(qtbot: QtBot, fields: list[dict[str, Any]], lang: str = "en",
              store: Store | None = None) -> VisitForm:
    form = VisitForm(fields, lang, store)
    qtbot.addWidget(form)
    form.show()
    return form


def test_the_form_has_the_editor_each_field_type_needs(qtbot: QtBot) -> None:
    assert not forms.validate_template(EVERY_TYPE)
    form = make_form(qtbot, EVERY_TYPE)
    e = form.editors
    assert isinstance(e["name"].widget, QLineEdit)
    assert isinstance(e["story"].widget, QPlainTextEdit)
    box = e["people"].widget
    assert isinstance(box, QLineEdit) and box.placeholderText() == "1–9"
    assert len(e["mood"].widget.findChildren(QRadioButton)) == 2
    assert [b.text() for b in e["needs"].widget.findChildren(QCheckBox)] == ["Meals", "Other"]
    assert isinstance(e["next"].edit, QDateEdit)
    yes_no = e["alone"].widget.findChildren(QRadioButton)
    assert [b.text() for b in yes_no] == ["Yes", "No"]
    assert not any(b.isChecked() for b in yes_no), "yes/no has no default"
    assert form.answers() == {}, "nothing is answered until the worker answers"
    assert e["pics"].widget.findChild(type(e["pics"].add_button), "addPhotos") is not None


def test_a_choice_with_many_options_is_a_combo_box(qtbot: QtBot) -> None:
    elderly = next(t for t in DEFAULT_TEMPLATES if t["id"] == ELDERLY_CARE_TEMPLATE_ID)
    routine = next(t for t in DEFAULT_TEMPLATES if t["id"] != ELDERLY_CARE_TEMPLATE_ID)
    form = make_form(qtbot, routine["fields"])
    assert isinstance(form.editors["problem_category"].widget, QComboBox)
    form2 = make_form(qtbot, elderly["fields"])
    assert form2.editors["gas_check"].widget.findChildren(QRadioButton)


def test_required_messages_appear_once_a_field_is_touched_and_on_submit(
        qtbot: QtBot) -> None:
    form = make_form(qtbot, EVERY_TYPE)
    assert form.error_text("name") == "", "no scolding before the worker typed"
    form.editors["name"].widget.setText("张")
    form.editors["name"].widget.setText("")
    assert form.error_text("name") == "Please fill this in."
    assert form.error_text("people") == ""
    problems = form.show_all_problems()
    assert {p.field for p in problems} == {"name", "people", "mood", "alone"}
    assert form.error_text("mood") == "Please fill this in."
    assert form.error_text("alone") == "Please fill this in."


def test_lengths_ranges_and_patterns_are_checked_as_you_type(qtbot: QtBot) -> None:
    form = make_form(qtbot, EVERY_TYPE)
    form.editors["name"].widget.setText("一二三四五六七八九")
    assert form.error_text("name") == "At most 8 characters."
    form.editors["name"].widget.setText("张三")
    assert form.error_text("name") == ""
    form.editors["phone"].widget.setText("12345")
    assert "expected form" in form.error_text("phone")
    form.editors["phone"].widget.setText("13912345678")
    assert form.error_text("phone") == ""
    form.editors["story"].widget.setPlainText("x" * 21)
    assert form.error_text("story") == "At most 20 characters."
    people = form.editors["people"].widget
    qtbot.keyClicks(people, "12")  # kept as typed, and flagged with the range
    assert people.text() == "12" and form.answers()["people"] == 12
    assert form.error_text("people") == "Outside the allowed range 1–9: check the value."
    qtbot.keyClicks(people, "x.")  # what cannot be part of a whole number is not taken
    assert people.text() == "12"
    people.clear()  # empty is "not answered": a required field says so
    assert "people" not in form.answers()
    assert form.error_text("people") == "Please fill this in."
    form.set_answers({"people": 3})
    assert form.answers()["people"] == 3 and form.error_text("people") == ""
    assert people.text() == "3"


def test_the_range_sentences_come_from_the_validator_codes(qtbot: QtBot) -> None:
    from ui.visits.messages import describe_form_problem

    field = dict(EVERY_TYPE[3])
    [low] = forms.validate_answers([field], {"people": 0})
    [high] = forms.validate_answers([field], {"people": 10})
    range_text = "Outside the allowed range 1–9: check the value."
    assert describe_form_problem(low.code, low.params) == range_text
    assert describe_form_problem(high.code, high.params) == range_text
    assert describe_form_problem("above_max", {"max": 9}) == "Must be at most 9."


def test_show_if_shows_and_hides_fields_and_a_hidden_required_field_does_not_block(
        qtbot: QtBot) -> None:
    form = make_form(qtbot, EVERY_TYPE)
    e = form.editors
    e["name"].widget.setText("张三")
    e["people"].widget.setText("2")
    e["mood"].group.button(0).click()
    e["alone"].group.button(1).click()  # no
    assert not form.is_shown("alone_since") and not e["alone_since"].widget.isVisible()
    assert not form.is_shown("needs_other")
    assert form.show_all_problems() == []
    e["alone"].group.button(0).click()  # yes: "since when" appears, and is required
    assert e["alone_since"].widget.isVisible()
    assert [p.field for p in form.show_all_problems()] == ["alone_since"]
    e["alone_since"].edit.setDate(QDate(2020, 5, 1))
    assert form.show_all_problems() == []
    boxes = e["needs"].widget.findChildren(QCheckBox)
    boxes[1].setChecked(True)  # other
    assert e["needs_other"].widget.isVisible()
    assert form.error_text("needs_other") == "Please fill this in."  # after a submit try
    assert [p.field for p in form.show_all_problems()] == ["needs_other"]
    boxes[1].setChecked(False)
    assert not e["needs_other"].widget.isVisible() and form.show_all_problems() == []
    answers = form.answers(visible_only=True)
    assert answers == {"name": "张三", "people": 2, "mood": "good", "alone": True,
                       "alone_since": "2020-05-01"}
    assert forms.validate_answers(EVERY_TYPE, answers) == []


def test_labels_are_in_chinese_with_required_marks(qtbot: QtBot, chinese: None) -> None:
    elderly = copy.deepcopy(
        next(t for t in DEFAULT_TEMPLATES if t["id"] == ELDERLY_CARE_TEMPLATE_ID))
    form = make_form(qtbot, elderly["fields"], lang="zh_CN")
    texts = [w.text() for w in form.findChildren(QLabel)]
    assert any(t.startswith("燃气安全检查") and "*" in t for t in texts)
    assert "慢性病" in texts, "optional fields have no mark"
    gas = form.editors["gas_check"].widget.findChildren(QRadioButton)
    assert [b.text() for b in gas] == ["正常", "存在隐患", "未通燃气"]
    assert [b.text() for b in form.editors["takes_medication"].widget.findChildren(
        QRadioButton)] == ["是", "否"]
    gas[1].click()
    assert form.editors["gas_hazard_detail"].widget.isVisible()
    form.show_all_problems()
    assert form.error_text("gas_hazard_detail") == "请填写此项。"


def picture(path: Path, colour: tuple[int, int, int] = (30, 120, 200)) -> Path:
    Image.new("RGB", (1200, 900), colour).save(path, "JPEG")
    return path


def test_a_photo_is_imported_shown_as_a_thumbnail_and_removable(
        qtbot: QtBot, store: Store, tmp_path: Path) -> None:
    form = make_form(qtbot, EVERY_TYPE, store=store)
    with qtbot.waitSignal(form.photos_imported, timeout=10000) as got:
        form.import_photos("pics", [picture(tmp_path / "a.jpg")])
    [sha] = got.args[0]
    assert form.answers()["pics"] == [sha] and form.photo_shas() == [sha]
    assert photos.has_photo(store, sha)
    editor = form.editors["pics"]
    picture_label = editor.tiles[sha].findChild(QLabel)
    qtbot.waitUntil(lambda: picture_label.pixmap() is not None
                    and not picture_label.pixmap().isNull(), timeout=5000)
    editor._remove(sha)
    assert "pics" not in form.answers()


def test_a_bad_photo_gets_a_clear_message_and_nothing_is_added(
        qtbot: QtBot, store: Store, tmp_path: Path) -> None:
    form = make_form(qtbot, EVERY_TYPE, store=store)
    text = tmp_path / "notes.jpg"
    text.write_text("这不是照片", encoding="utf-8")
    big = tmp_path / "huge.jpg"
    with big.open("wb") as f:
        f.write(b"\xff\xd8\xff\xe0")
        f.truncate(photos.MAX_SOURCE_BYTES + 1)
    with qtbot.waitSignal(form.photo_failed, timeout=10000) as got:
        form.import_photos("pics", [text, big])
    message = got.args[0]
    assert "notes.jpg: This is not a picture: choose a JPEG, PNG or WebP photo." in message
    assert "huge.jpg: The file is too big (more than 25 MB)." in message
    assert form.error_text("pics") == message
    assert "pics" not in form.answers()
