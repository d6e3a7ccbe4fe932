"""Times as people say them: "刚刚", "3 分钟前", "昨天 14:32" (in the user's language)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication, QDate, QLocale, QTime

from gulou_desk.records import SHANGHAI
from ui.i18n import PluralContext

translate = QCoreApplication.translate

class RelativeTime(PluralContext):
    """The texts of this module that carry a count (see :class:`ui.i18n.PluralContext`)."""



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
