"""Canned replies (常用回复): the short answers clerks send to groups again and again.

The district's replies come first: administrators edit them in the catalogue
(``catalogue_entry`` records, synced; :func:`gulou_desk.domain.catalogue.district_replies`).
Then the user's own, which they edit; those live in a JSON file in the user's config
folder (``canned-replies.json``), not in the synced store. With neither (a desk that has
not synced yet), the defaults below are offered, in the user's language.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from gulou_desk.domain import catalogue
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
        """The menu: the district's replies, then the user's own (not repeating them)."""
        district = list(catalogue.district_replies())
        own = self.own()
        return [*district, *(r for r in own if r not in district)][:MAX_REPLIES]

    def own(self) -> list[str]:
        """The user's list; without one, the defaults (translated) unless the district
        has replies."""
        fallback = [] if catalogue.district_replies() else self.defaults()
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return fallback
        except (OSError, ValueError) as exc:
            log.warning("canned replies %s unreadable, using the defaults: %s", self.path, exc)
            return fallback
        replies = data.get("replies") if isinstance(data, dict) else None
        if not isinstance(replies, list):
            return fallback
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
