"""The user's settings, each declared once with its type, default and description.

A :class:`Setting` is a typed key; :class:`Settings` reads and writes them on a
``QSettings`` and emits ``changed(name)`` after a value really changed::

    interval = settings.get(SYNC_INTERVAL)          # int, 60 unless the user changed it
    settings.set(LANGUAGE, "en")                    # emits changed("ui/language")
    settings.changed.connect(lambda name: ...)

Window layout (geometry, main-window state, splitter positions, table column widths) is
remembered with :meth:`Settings.save_layout` / :meth:`Settings.restore_layout`: every
``QSplitter`` and ``QHeaderView`` below a widget that has a unique ``objectName`` is saved
under ``layout/<objectName>``. A view built after the window restored its layout calls
``settings.restore_layout(self)`` once its model is set.

The app uses the user's ini file (``QSettings.Format.IniFormat``, user scope); tests pass
a ``QSettings`` on a temporary file.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from PySide6.QtCore import QByteArray, QObject, QSettings, Signal
from PySide6.QtWidgets import QHeaderView, QMainWindow, QSplitter, QWidget

from ui.i18n import QT_TRANSLATE_NOOP

T = TypeVar("T")

log = logging.getLogger(__name__)

ORGANIZATION = "Gulou"
APPLICATION = "GulouDesk"


@dataclass(frozen=True, slots=True)
class Setting(Generic[T]):
    """One setting: its key, Python type, default and a translatable description.

    ``description`` is the English source text; show it with
    ``QCoreApplication.translate("Settings", setting.description)``.
    """

    name: str
    type: type[T]
    default: T
    description: str
    choices: tuple[T, ...] | None = None
    minimum: int | None = None
    maximum: int | None = None

    def accepts(self, value: object) -> bool:
        if not isinstance(value, self.type) or (self.type is int and isinstance(value, bool)):
            return False
        if self.choices is not None and value not in self.choices:
            return False
        if isinstance(value, int) and not isinstance(value, bool):
            if self.minimum is not None and value < self.minimum:
                return False
            if self.maximum is not None and value > self.maximum:
                return False
        return True


SERVER_URL: Setting[str] = Setting(
    "sync/server_url",
    str,
    "",
    QT_TRANSLATE_NOOP("Settings", "Address of the central server, e.g. https://desk.example.cn"),
)
SYNC_INTERVAL: Setting[int] = Setting(
    "sync/interval_seconds",
    int,
    60,
    QT_TRANSLATE_NOOP("Settings", "Seconds between two background syncs while online."),
    minimum=15,
    maximum=3600,
)
LANGUAGE: Setting[str] = Setting(
    "ui/language",
    str,
    "zh_CN",
    QT_TRANSLATE_NOOP("Settings", "Language of the application; applies at once."),
    choices=("zh_CN", "en"),
)

IDLE_LOCK_MINUTES: Setting[int] = Setting(
    "security/idle_lock_minutes",
    int,
    15,
    QT_TRANSLATE_NOOP("Settings", "Minutes without a key or mouse press after which the "
                      "window is covered and asks for your password (a laptop left open "
                      "in a resident's home shows nothing)."),
    minimum=1,
    maximum=240,
)
ALL_SETTINGS: tuple[Setting[Any], ...] = (SERVER_URL, SYNC_INTERVAL, LANGUAGE,
                                          IDLE_LOCK_MINUTES)


def user_qsettings() -> QSettings:
    """The user's own settings file (an ini file in the user's config folder)."""
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
    )


class Settings(QObject):
    """Typed access to the settings of :data:`ALL_SETTINGS` and the window layout.

    Signals:
        changed(str): a setting's value changed; carries the setting's ``name``.
    """

    changed = Signal(str)

    def __init__(self, store: QSettings | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store if store is not None else user_qsettings()

    @property
    def file_name(self) -> str:
        return self._store.fileName()

    def get(self, setting: Setting[T]) -> T:
        raw = self._store.value(setting.name)
        if raw is None:
            return setting.default
        value = _convert(raw, setting.type)
        if value is None or not setting.accepts(value):
            log.warning("setting %s: ignoring stored value %r", setting.name, raw)
            return setting.default
        return cast(T, value)

    def set(self, setting: Setting[T], value: T) -> None:
        """Store a value (``ValueError`` if it does not fit); emits ``changed`` if it did."""
        if not setting.accepts(value):
            raise ValueError(f"{setting.name}: {value!r} is not allowed")
        before = self.get(setting)
        self._store.setValue(setting.name, value)
        self._store.sync()
        if before != value:
            self.changed.emit(setting.name)

    def reset(self, setting: Setting[Any]) -> None:
        """Forget the user's value; emits ``changed`` if there was one."""
        if self._store.contains(setting.name):
            before = self.get(setting)
            self._store.remove(setting.name)
            self._store.sync()
            if before != setting.default:
                self.changed.emit(setting.name)

    # -- window layout -----------------------------------------------------------------

    def save_layout(self, root: QWidget) -> None:
        """Remember the geometry of ``root`` (if a window) and its splitters and headers."""
        if root.isWindow() and root.objectName():
            self._store.setValue(_key(root, "geometry"), root.saveGeometry())
            if isinstance(root, QMainWindow):
                self._store.setValue(_key(root, "state"), root.saveState())
        for widget in _remembered(root):
            self._store.setValue(_key(widget, "state"), widget.saveState())
        self._store.sync()

    def restore_layout(self, root: QWidget) -> None:
        """Put back what :meth:`save_layout` remembered; unknown keys are left alone."""
        if root.isWindow() and root.objectName():
            geometry = self._bytes(_key(root, "geometry"))
            if geometry is not None:
                root.restoreGeometry(geometry)
            state = self._bytes(_key(root, "state"))
            if state is not None and isinstance(root, QMainWindow):
                root.restoreState(state)
        for widget in _remembered(root):
            state = self._bytes(_key(widget, "state"))
            if state is not None and not widget.restoreState(state):
                log.info("layout of %s not restored (its shape changed)", widget.objectName())

    def hand_sized(self, view: QWidget) -> frozenset[int]:
        """The columns of ``view``'s list the user sized (or hid, or showed) by hand: a
        section that fits columns to their content leaves these alone, after a restart
        too (:meth:`set_hand_sized`)."""
        raw = self._store.value(_key(view, "by_hand"))
        items = raw if isinstance(raw, list) else [raw] if raw not in (None, "") else []
        return frozenset(int(item) for item in items if str(item).isdigit())

    def set_hand_sized(self, view: QWidget, columns: frozenset[int]) -> None:
        self._store.setValue(_key(view, "by_hand"), [str(c) for c in sorted(columns)])
        self._store.sync()

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._store.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None


def _key(widget: QWidget, what: str) -> str:
    return f"layout/{widget.objectName()}/{what}"


def _remembered(root: QWidget) -> list[QSplitter | QHeaderView]:
    found: list[QSplitter | QHeaderView] = []
    candidates: list[QWidget] = [root, *root.findChildren(QWidget)]
    for widget in candidates:
        if isinstance(widget, QSplitter | QHeaderView) and widget.objectName():
            found.append(widget)
    return found


def _convert(raw: object, kind: type[Any]) -> object | None:
    """QSettings hands back strings from ini files: make the declared type of them."""
    try:
        if kind is bool:
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in ("true", "1", "yes"):
                return True
            if text in ("false", "0", "no"):
                return False
            return None
        if kind is int:
            return raw if isinstance(raw, int) and not isinstance(raw, bool) else int(str(raw))
        if kind is float:
            return float(str(raw))
        if kind is str:
            return raw if isinstance(raw, str) else None
    except ValueError:
        return None
    return raw if isinstance(raw, kind) else None
