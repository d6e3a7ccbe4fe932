"""Which inbox messages this user has looked at: a local marker, never synced.

"New" is the message's status (nobody handled it yet); "unread" is new *and* not seen on
this computer. The ids seen are kept in a small JSON file per account in the user's
config folder; only ids of messages that are still new are kept, so it stays small.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger(__name__)


class SeenMarkers:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._seen: set[str] = set()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            self._seen = {str(i) for i in data.get("seen", []) if isinstance(i, str)}
        except FileNotFoundError:
            pass
        except (OSError, ValueError, AttributeError) as exc:
            log.warning("inbox seen markers %s unreadable, starting afresh: %s", path, exc)

    @classmethod
    def for_account(cls, folder: Path, user_id: str) -> SeenMarkers:
        safe = re.sub(r"[^A-Za-z0-9_-]+", "-", user_id) or "user"
        return cls(folder / f"inbox-seen-{safe}.json")

    def is_seen(self, message_id: str) -> bool:
        return message_id in self._seen

    def unread(self, new_ids: Iterable[str]) -> set[str]:
        return {i for i in new_ids if i not in self._seen}

    def mark(self, ids: Iterable[str]) -> bool:
        """Mark messages seen; ``True`` if anything changed (and was saved)."""
        added = set(ids) - self._seen
        if not added:
            return False
        self._seen |= added
        self._save()
        return True

    def keep_only(self, still_new: Iterable[str]) -> None:
        """Forget messages that are no longer new (handled: their marker is not needed)."""
        kept = self._seen & set(still_new)
        if kept != self._seen:
            self._seen = kept
            self._save()

    def _save(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps({"seen": sorted(self._seen)}), encoding="utf-8")
            tmp.replace(self.path)
        except OSError as exc:  # a marker is not worth an error dialog
            log.warning("inbox seen markers not saved to %s: %s", self.path, exc)
