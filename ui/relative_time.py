"""Times as people say them: "刚刚", "3 分钟前", "昨天 14:32" (in the user's language)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication, QDate, QLocale, QObject, QTime

from gulou_desk.records import SHANGHAI

translate = QCoreApplication.translate

class RelativeTime(QObject):
    """Translation context of this module's plurals. pyside6-lupdate (6.11) reads a text
    with ``%n`` as a plural only from ``<Class>.tr(text, "", n)``: from
    ``QCoreApplication.translate(context, text, None, n)`` it took a plain text, or none."""



def describe_since(then: dt.datetime | None, now: dt.datetime) -> str:
    """How long ago ``then`` was, seen at ``now`` (both aware)."""
    if then is None:
        return translate("RelativeTime", "never")
    seconds = (now - then).total_seconds()
    if seconds < 60:
        return translate("RelativeTime", "just now")
    if seconds < 3600:
        return RelativeTime.tr("%n minute(s) ago", "", int(seconds // 60))
    local_then = then.astimezone(SHANGHAI)
    local_now = now.astimezone(SHANGHAI)
    days = (local_now.date() - local_then.date()).days
    clock = QLocale().toString(QTime(local_then.hour, local_then.minute), "HH:mm")
    if days == 0:
        return RelativeTime.tr("%n hour(s) ago", "", int(seconds // 3600))
    if days == 1:
        return translate("RelativeTime", "yesterday %1").replace("%1", clock)
    if days < 7:
        return RelativeTime.tr("%n day(s) ago", "", days)
    day = local_then.date()
    date = QLocale().toString(QDate(day.year, day.month, day.day),
                              QLocale.FormatType.ShortFormat)
    return f"{date} {clock}"
