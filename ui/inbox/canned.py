"""Canned replies (常用回复): the short answers clerks send to groups again and again.

The list is the user's to edit; it lives in a JSON file in the user's config folder
(``canned-replies.json``), not in the synced store. Until the user saves their own list,
the defaults below are offered, in the user's language.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from ui.i18n import QT_TRANSLATE_NOOP

log = logging.getLogger(__name__)

DEFAULT_REPLIES: tuple[str, ...] = (
    QT_TRANSLATE_NOOP("CannedReplies", "Hello, we have received your message. The community "
                      "has registered it and will send someone to deal with it. Thank you "
                      "for your patience."),
    QT_TRANSLATE_NOOP("CannedReplies", "Hello, our staff are working on it; we will tell you "
                      "the result here as soon as we have it."),
    QT_TRANSLATE_NOOP("CannedReplies", "Hello, please send us the building, unit and room "
                      "number so that we can come and help."),
    QT_TRANSLATE_NOOP("CannedReplies", "Hello, this has been dealt with. If there is still a "
                      "problem, please contact the community at any time."),
    QT_TRANSLATE_NOOP("CannedReplies", "Hello, for this please ask at the community service "
                      "hall on working days, 8:30 to 17:30."),
)
MAX_REPLIES = 50
MAX_CHARS = 1000


class CannedReplies:
    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def in_folder(cls, folder: Path) -> CannedReplies:
        return cls(folder / "canned-replies.json")

    def load(self) -> list[str]:
        """The user's list, or the defaults (translated) if they have none."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return self.defaults()
        except (OSError, ValueError) as exc:
            log.warning("canned replies %s unreadable, using the defaults: %s", self.path, exc)
            return self.defaults()
        replies = data.get("replies") if isinstance(data, dict) else None
        if not isinstance(replies, list):
            return self.defaults()
        return [r for r in replies if isinstance(r, str) and r.strip()][:MAX_REPLIES]

    @staticmethod
    def defaults() -> list[str]:
        return [QCoreApplication.translate("CannedReplies", text) for text in DEFAULT_REPLIES]

    def save(self, replies: list[str]) -> list[str]:
        """Keep the list (blank entries dropped, long ones cut); returns what was kept.
        Raises ``OSError`` if the file cannot be written."""
        kept = [r.strip()[:MAX_CHARS] for r in replies if r.strip()][:MAX_REPLIES]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"replies": kept}, ensure_ascii=False, indent=1),
                       encoding="utf-8")
        tmp.replace(self.path)
        return kept
