"""Translations: the catalogues match the code, every string has Chinese, loading works."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QApplication

from ui.i18n import (
    TRANSLATIONS_DIR,
    compile_translations,
    install_translators,
    is_stale,
    normalize_language,
    qm_path,
    remove_translators,
    ts_path,
)

ROOT = Path(__file__).resolve().parents[2]


def test_catalogues_match_the_code_and_are_fully_translated() -> None:
    """Fails when a user-visible string was added or changed without running
    ``scripts/build_translations.py`` and translating it."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_translations.py"), "--check"],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr


def test_chinese_is_the_default_and_unknown_languages_fall_back_to_it() -> None:
    assert normalize_language(None) == "zh_CN"
    assert normalize_language("fr") == "zh_CN"
    assert normalize_language("en") == "en"


def test_chinese_catalogue_and_qt_s_own_strings(qapp: QApplication) -> None:
    translators = install_translators(qapp, "zh_CN")
    try:
        assert len(translators) == 2  # qtbase + ours
        assert QCoreApplication.translate("Navigation", "Workbench") == "工作台"
        assert QCoreApplication.translate("RelativeTime", "%n minute(s) ago", None, 5) == (
            "5 分钟前"
        )
        # Qt's own dialogs speak Chinese too (qtbase_zh_CN).
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
        assert QLocale().name() == "zh_CN"
    finally:
        remove_translators(qapp, translators)
        QLocale.setDefault(QLocale("en"))


def test_every_text_with_a_count_is_a_plural_in_both_catalogues() -> None:
    """pyside6-lupdate 6.11 reads ``%n`` as a plural only from ``<Class>.tr(text, "", n)``:
    written as ``QCoreApplication.translate(context, text, None, n)`` such a text became a
    plain one ("超时 %n 天" left untranslated) or was not extracted at all."""
    import xml.etree.ElementTree as ET

    for language in ("zh_CN", "en"):
        root = ET.parse(ts_path(language)).getroot()
        plain = [m.findtext("source") for m in root.iter("message")
                 if "%n" in (m.findtext("source") or "") and m.get("numerus") != "yes"]
        assert plain == [], (language, plain)


def test_a_missed_deadline_has_one_name_in_chinese() -> None:
    """The tickets' queue was 已超期 while its cells said 超时, the workbench 逾期, the
    exports 超期: one thing, three words. It is 超时 everywhere (the 12345 hotline's word
    for a missed deadline), in the app and in its Excel exports."""
    import xml.etree.ElementTree as ET

    from gulou_desk.reports.excel import LABELS

    root = ET.parse(ts_path("zh_CN")).getroot()
    texts: dict[str, list[str]] = {}
    for message in root.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        forms = [f.text or "" for f in translation.iter("numerusform")] \
            if translation is not None and message.get("numerus") == "yes" else \
            [translation.text or "" if translation is not None else ""]
        texts.setdefault(source, []).extend(forms)
    texts.update({en: [zh] for zh, en in LABELS.values()})
    others = {s: t for s, t in texts.items() if any(w in x for x in t for w in ("超期", "逾期"))}
    assert others == {}, others
    late = {s: t for s, t in texts.items() if "overdue" in s.lower() or s == "Late"}
    assert late and all("超时" in x for t in late.values() for x in t), late


def test_counts_in_chinese_through_the_code_that_shows_them(qapp: QApplication) -> None:
    import datetime as dt

    from ui.relative_time import describe_since
    from ui.workbench.view import VisitState, state_text

    translators = install_translators(qapp, "zh_CN")
    try:
        now = dt.datetime(2026, 12, 5, 10, 0, tzinfo=dt.UTC)
        assert describe_since(now - dt.timedelta(minutes=5), now) == "5 分钟前"
        assert describe_since(now - dt.timedelta(hours=2), now) == "2 小时前"
        assert describe_since(now - dt.timedelta(days=3), now) == "3 天前"
        assert state_text(VisitState.OVERDUE, 3) == "超时 3 天"
    finally:
        remove_translators(qapp, translators)
        QLocale.setDefault(QLocale("en"))


def test_english_plurals(qapp: QApplication) -> None:
    assert QCoreApplication.translate("RelativeTime", "%n minute(s) ago", None, 1) == (
        "1 minute ago"
    )
    assert QCoreApplication.translate("SyncStatusBar", "%n edit(s) to send", None, 4) == (
        "4 edits to send"
    )
    # A question the bot could not answer, asked once ("asked 1 times" before).
    asked = "%1 (asked %n time(s))"
    assert QCoreApplication.translate("GubaoView", asked, None, 1) == "%1 (asked 1 time)"
    assert QCoreApplication.translate("GubaoView", asked, None, 3) == "%1 (asked 3 times)"
    # An alert rule's dry run that found one message ("fired 1 times" before).
    fired = "Would have fired %n time(s) in the last 30 days"
    assert QCoreApplication.translate("GubaoView", fired, None, 1) == (
        "Would have fired 1 time in the last 30 days")
    typed = "As typed, it would have fired %n time(s) in the last 30 days"
    assert QCoreApplication.translate("RuleDialog", typed, None, 1) == (
        "As typed, it would have fired 1 time in the last 30 days")


def test_a_missing_or_stale_catalogue_is_built(tmp_path: Path) -> None:
    shutil.copy(ts_path("zh_CN"), tmp_path / ts_path("zh_CN").name)
    assert is_stale("zh_CN", tmp_path)
    written = compile_translations(["zh_CN"], tmp_path, only_stale=True)
    assert written == [qm_path("zh_CN", tmp_path)]
    assert not is_stale("zh_CN", tmp_path)
    assert compile_translations(["zh_CN"], tmp_path, only_stale=True) == []


def test_qm_files_are_generated_next_to_the_sources(translations_built: Path) -> None:
    assert translations_built == TRANSLATIONS_DIR
    for language in ("zh_CN", "en"):
        assert qm_path(language).exists()
        assert not is_stale(language)


def test_the_step_words_follow_the_workflow_tables(chinese: None) -> None:
    """Every step of the tables has its button and its name in a sentence, in Chinese,
    and no word is kept for a step the tables do not have."""
    from gulou_desk.domain.workflows import ACTIONS
    from ui.performance import labels as performance_labels
    from ui.tickets import labels as ticket_labels
    from ui.workflow_labels import _STEP_NAMES, step_name

    ticket = set(ACTIONS["ticket"])
    every = {action for actions in ACTIONS.values() for action in actions}
    assert set(ticket_labels._STEPS) == ticket
    assert set(_STEP_NAMES) == every | {"create", "update"}
    # (the performance history also names what the server did: "recomputed", "edited")
    assert set(ACTIONS["performance_record"]) <= set(performance_labels._ACTIONS)
    for step in ticket:
        assert ticket_labels.step_label(step) != step and step_name(step) != step


def test_every_step_of_every_workflow_is_named_in_chinese(chinese: None) -> None:
    """A refused step reads "未能<step>：…" in words for every workflow's every step: an
    announcement's refused approval read "未能approve…" (its steps had no names)."""
    import re

    from gulou_desk.domain.workflows import TABLES
    from ui.shell.steps import describe_step_error

    latin = re.compile(r"[A-Za-z]")
    for entity, table in TABLES.items():
        for action in table:
            text = describe_step_error(RuntimeError(), action, entity)
            name = text.removeprefix("未能").split("：")[0]
            assert name and not latin.search(name), (entity, action, text)


def test_every_kind_of_record_has_a_name_in_both_languages(chinese: None) -> None:
    """A pending or conflicting edit of an announcement or a catalogue entry named its
    record by its code ('announcement') in the Chinese UI: only seven kinds had labels."""
    from gulou_desk import records
    from ui.record_labels import entity_label

    for entity in records.ENTITIES:
        label = entity_label(entity)
        assert label != entity and any("\u4e00" <= c <= "\u9fff" for c in label), entity
    assert entity_label("announcement") == records.ENTITIES["announcement"].label_zh


def test_every_care_tag_has_its_label() -> None:
    """The care tags are stored in Chinese (records.HOUSEHOLD_TAGS) and read in the UI's
    language through record_labels: a tag added there without a label would show in
    Chinese on English screens."""
    from gulou_desk import records
    from ui import record_labels

    assert {tag for field, tag in record_labels._CHOICE_LABELS if field == "tags"} == \
        set(records.HOUSEHOLD_TAGS)


def test_a_services_category_reads_in_the_uis_language(english: None) -> None:
    """The service catalogue's categories are stored in Chinese (records.SERVICE_CATEGORIES)
    and showed so on English screens ("便民维修" beside "Every day 8:00-18:00"): each has
    its label, and in Chinese it reads as stored."""
    from gulou_desk import records
    from ui import record_labels

    labels = {value: record_labels.service_category_label(value)
              for value in records.SERVICE_CATEGORIES}
    assert labels["便民维修"] == "Repairs" and labels["养老助餐"] == "Meals for the elderly"
    assert not any("\u4e00" <= c <= "\u9fff" for label in labels.values() for c in label), labels
    assert record_labels.service_category_label("社区食堂") == "社区食堂"  # not one of ours


def test_a_services_category_reads_as_stored_in_chinese(chinese: None) -> None:
    from gulou_desk import records
    from ui import record_labels

    for value in records.SERVICE_CATEGORIES:
        assert record_labels.service_category_label(value) == value
