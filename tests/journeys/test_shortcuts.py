"""Journey: F5 (and Ctrl+R) syncs in every section, as the Sync button's tooltip says, and
no two shortcuts of the app fight over a key (issue 10 item 9).

Today the workbench binds the platform's "Refresh" keys (F5, Ctrl+R) itself, so F5 there
does nothing but print "Ambiguous shortcut overload: F5". The walk below opens every
section of a social worker and of a supervisor and lists every shortcut a key press could
reach at that moment (the window's actions, its menus', the section's own shortcuts); two
with the same key whose reach overlaps are a clash.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QMenu, QMenuBar, QWidget

from tests.journeys.harness import Journey, plain
from ui.main_window import MainWindow

WINDOW_WIDE = (Qt.ShortcutContext.WindowShortcut, Qt.ShortcutContext.ApplicationShortcut)


@dataclass(frozen=True)
class Binding:
    """A key a person can press now and what it reaches: the whole window, or a widget
    (and, for WidgetWithChildrenShortcut, what is inside it)."""

    key: str
    what: str
    scope: QWidget | None
    """``None``: anywhere in the window."""
    children: bool

    def overlaps(self, other: Binding) -> bool:
        if self.scope is None or other.scope is None:
            return True
        if self.scope is other.scope:
            return True
        return (self.children and self.scope.isAncestorOf(other.scope)) or (
            other.children and other.scope.isAncestorOf(self.scope))


def _live(widget: QObject) -> bool:
    """A key reaches an action through this widget now (as Qt's shortcut map decides)."""
    if isinstance(widget, QMenu):
        return any(_live(owner) for owner in widget.menuAction().associatedObjects())
    if isinstance(widget, QMenuBar):
        return widget.isVisible()
    return isinstance(widget, QWidget) and widget.isVisible() and widget.isEnabled()


def _keys(sequences: list[QKeySequence]) -> list[str]:
    return [s.toString(QKeySequence.SequenceFormat.PortableText) for s in sequences
            if not s.isEmpty()]


def bindings(window: QWidget) -> list[Binding]:
    """Every shortcut of ``window`` a key press could trigger now."""
    found: list[Binding] = []
    for action in window.findChildren(QAction):
        if not action.isEnabled() or not action.shortcuts():
            continue
        owners = [o for o in action.associatedObjects() if _live(o)]
        if not owners:
            continue
        context = action.shortcutContext()
        owner = owners[0] if isinstance(owners[0], QWidget) else None
        scope = None if context in WINDOW_WIDE else owner
        for key in _keys(action.shortcuts()):
            found.append(Binding(key, f"action {plain(action.text())!r}", scope,
                                 context == Qt.ShortcutContext.WidgetWithChildrenShortcut))
    for shortcut in window.findChildren(QShortcut):
        parent = shortcut.parent()
        if not shortcut.isEnabled() or not isinstance(parent, QWidget) or not _live(parent):
            continue
        context = shortcut.context()
        scope = None if context in WINDOW_WIDE else parent
        for key in _keys(shortcut.keys()):
            found.append(Binding(
                key, f"shortcut of {type(parent).__name__} {parent.objectName()!r}", scope,
                context == Qt.ShortcutContext.WidgetWithChildrenShortcut))
    return found


def clashes(window: QWidget) -> list[str]:
    by_key: dict[str, list[Binding]] = defaultdict(list)
    for binding in bindings(window):
        by_key[binding.key].append(binding)
    out = []
    for key, group in sorted(by_key.items()):
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                if a.overlaps(b):
                    out.append(f"{key}: {a.what} and {b.what}")
    return out


def _sections(window: MainWindow) -> list[str]:
    nav = window.navigation
    return [plain(nav.item(row).data(Qt.ItemDataRole.AccessibleTextRole)
                  or nav.item(row).text()) for row in range(nav.count())]


def _walk(journey: Journey, window: MainWindow) -> None:
    """Open every section; in each, no clash, and F5 and Ctrl+R sync."""
    for section in _sections(window):
        page = journey.go_to(section)
        journey.settle(200)  # the section builds its view and reads its first page
        if QApplication.activeWindow() is not window:
            # The offscreen platform does not give the focus back to the window after a
            # short-lived top-level (a popup a view makes and hides): a person would click
            # into the window.
            window.activateWindow()
            journey.wait_until(lambda: QApplication.activeWindow() is window,
                               what="the window in front")
        assert clashes(window) == [], f"in {section}"
        for key, modifiers in ((Qt.Key.Key_F5, Qt.KeyboardModifier.NoModifier),
                               (Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)):
            journey.wait_until(window.status_bar.sync_button.isEnabled,
                               what="the previous sync to end")
            seen = journey.syncs_finished
            journey.press(key, modifiers, target=journey.focus() if journey.focus().window()
                          is window else page)
            journey.wait_for_sync(after=seen)
        journey.shot(f"{section}: F5 synced")


def test_f5_syncs_in_every_section_and_no_two_shortcuts_clash(journey: Journey) -> None:
    journey.start()
    window = journey.sign_in("worker1")
    _walk(journey, window)
    assert journey.sync_failures == []

    journey.go_to("设置")
    journey.click("退出登录", within=window)
    window = journey.sign_in("supervisor1")
    _walk(journey, window)
    assert journey.sync_failures == []
    # What the person saw: the last sync just now, the server answered every time.
    assert "刚刚" in journey.status_text()
