"""Background work for every view: one helper, on top of qasync.

Views never start threads of their own and the GUI thread never waits. A view describes
a piece of blocking work and what to do with its outcome; :class:`Op` runs the work in
a worker thread (``loop.run_in_executor``) and calls back **on the GUI thread**::

    Op(self, lambda progress: repo.search(text)).success(self.show_rows).run()

    Op(self, save_visit, lane=Lane.WRITE) \\
        .success(lambda changes: self.changes_applied.emit(changes)) \\
        .failure(lambda error: self.form.show_error(error.message)) \\
        .with_progress(self.tr("Saving the visit…")) \\
        .run()

Work is a callable taking a :class:`Progress`. It reports how far it got with
``progress.update(done, total, label)`` (cheap, any rate: the GUI sees at most ten
updates a second) and checks for cancellation between stages with
``progress.check_cancelled()`` (or ``progress.stage(label)``, which does both), which
raises :class:`Cancelled`. Work must not touch widgets; it gets plain values in and gives
plain values (dataclasses, tuples of rows) back, never live ORM objects.

Lanes (see :class:`Lane`): ``WRITE`` is ONE thread, so database writes run in the order
they were asked for; ``READ`` (queries) and ``NETWORK`` (HTTP) are small pools of their
own, so a slow server never delays a query.

Outcomes, always on the GUI thread and exactly one of them:

* ``success(value)``;
* ``failure(OpError)`` — ``OpError.message`` is a translated sentence made by
  :func:`ui.errors.describe_error`; the exception and its traceback go to the log. Without
  a failure callback the message is shown in a non-blocking message box (never a
  traceback);
* ``on_cancel()`` — once an op is cancelled (its handle, the progress dialog's Cancel
  button, or its parent being destroyed), success and failure never fire, even if the
  work finished anyway.

If the parent QObject is destroyed before the work ends, no callback runs at all.

The ops need a running asyncio loop on the GUI thread: :mod:`ui.app` runs the qasync
loop, the UI tests get one from the ``qloop`` fixture of ``tests/ui/conftest.py``.
"""

from __future__ import annotations

import asyncio
import enum
import inspect
import logging
import threading
import time
import weakref
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QWidget

from gulou_desk.cancel import Cancelled, CancelToken
from ui.errors import describe_error

T = TypeVar("T")

log = logging.getLogger(__name__)

PROGRESS_INTERVAL_MS = 100
"""The GUI hears about progress at most once per interval (≤ 10 updates a second)."""


class Lane(enum.Enum):
    """Which worker threads run an op."""

    READ = "read"
    """Queries on the local store: a small pool."""
    NETWORK = "network"
    """HTTP calls: a pool of its own, so a slow server never delays a query."""
    WRITE = "write"
    """Writes to the local store: one thread, so they run in the order they were asked."""


@dataclass(frozen=True, slots=True)
class ProgressUpdate:
    """How far an op got: ``done`` of ``total`` (``None``: unknown), and what it is doing."""

    done: int = 0
    total: int | None = None
    label: str | None = None


class Progress:
    """Given to the work: report progress and check for cancellation, from any thread."""

    def __init__(self, token: CancelToken | None = None) -> None:
        self.token = token or CancelToken()
        self._lock = threading.Lock()
        self._latest: ProgressUpdate | None = None
        self._fresh = False

    @property
    def cancelled(self) -> bool:
        return self.token.cancelled

    def check_cancelled(self) -> None:
        """Raise :class:`Cancelled` if the op was cancelled; call it between stages."""
        self.token.check()

    def update(
        self, done: int | None = None, total: int | None = None, label: str | None = None
    ) -> None:
        """Record progress; omitted values keep their previous value. Cheap: call freely."""
        with self._lock:
            current = self._latest or ProgressUpdate()
            changes: dict[str, object] = {}
            if done is not None:
                changes["done"] = done
            if total is not None:
                changes["total"] = total
            if label is not None:
                changes["label"] = label
            self._latest = replace(current, **changes)  # type: ignore[arg-type]
            self._fresh = True

    def stage(self, label: str, total: int | None = None) -> None:
        """Start a named stage: check for cancellation, then reset the count."""
        self.check_cancelled()
        with self._lock:
            self._latest = ProgressUpdate(0, total, label)
            self._fresh = True

    def take(self) -> ProgressUpdate | None:
        """The latest update if it changed since the last call (used by the GUI side)."""
        with self._lock:
            if not self._fresh:
                return None
            self._fresh = False
            return self._latest


@dataclass(frozen=True, slots=True)
class OpError:
    """A failed op: a sentence for the user, and the exception for the log and for code."""

    message: str
    exception: BaseException


class Runner:
    """The worker threads of the ops: one executor per :class:`Lane`.

    The app uses :func:`default_runner` and shuts it down at exit; tests may make their
    own and pass it to :class:`Op`.
    """

    def __init__(self, read_workers: int = 3, network_workers: int = 4) -> None:
        self._executors: dict[Lane, ThreadPoolExecutor] = {
            Lane.WRITE: ThreadPoolExecutor(1, thread_name_prefix="gulou-write"),
            Lane.READ: ThreadPoolExecutor(read_workers, thread_name_prefix="gulou-read"),
            Lane.NETWORK: ThreadPoolExecutor(network_workers, thread_name_prefix="gulou-net"),
        }

    def executor(self, lane: Lane) -> Executor:
        return self._executors[lane]

    def shutdown(self, wait: bool = True) -> None:
        """Stop taking work; queued work that has not started is dropped."""
        for executor in self._executors.values():
            executor.shutdown(wait=wait, cancel_futures=True)


_default_runner: Runner | None = None


def default_runner() -> Runner:
    """The app's runner, made on first use."""
    global _default_runner
    if _default_runner is None:
        _default_runner = Runner()
    return _default_runner


def shutdown_default_runner(wait: bool = True) -> None:
    """Called once at exit by :mod:`ui.app`."""
    global _default_runner
    if _default_runner is not None:
        _default_runner.shutdown(wait=wait)
        _default_runner = None


_running: set[asyncio.Task[None]] = set()
"""Strong references: asyncio keeps only weak ones to tasks."""


def running_op_count() -> int:
    """How many ops have not called back yet (for tests and a clean shutdown)."""
    return len(_running)


class OpHandle:
    """What :meth:`Op.run` returns: cancel the op, or ask whether it is still running."""

    def __init__(self, token: CancelToken) -> None:
        self._token = token
        self._finished = False

    def cancel(self) -> None:
        self._token.cancel()

    @property
    def cancelled(self) -> bool:
        return self._token.cancelled

    @property
    def finished(self) -> bool:
        """True once the op has called back (or decided not to)."""
        return self._finished


class Op(Generic[T]):
    """One piece of background work and what to do with its outcome (see the module doc)."""

    def __init__(
        self,
        parent: QObject | None,
        work: Callable[[Progress], T],
        *,
        lane: Lane = Lane.READ,
        runner: Runner | None = None,
        name: str | None = None,
    ) -> None:
        self._parent = parent
        self._work = work
        self._lane = lane
        self._runner = runner
        self._name = name or getattr(work, "__qualname__", None) or repr(work)
        self._on_success: Callable[[T], object] | None = None
        self._on_failure: Callable[[OpError], object] | None = None
        self._on_cancel: Callable[[], object] | None = None
        self._on_progress: Callable[[ProgressUpdate], object] | None = None
        self._progress_label: str | None = None
        self._progress_cancellable = True
        self._progress_delay_ms = 400
        self._started = False

    # -- building ----------------------------------------------------------------------

    def success(self, callback: Callable[[T], object]) -> Op[T]:
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[OpError], object]) -> Op[T]:
        self._on_failure = callback
        return self

    def on_cancel(self, callback: Callable[[], object]) -> Op[T]:
        self._on_cancel = callback
        return self

    def on_progress(self, callback: Callable[[ProgressUpdate], object]) -> Op[T]:
        """Hear about progress on the GUI thread, at most ten times a second."""
        self._on_progress = callback
        return self

    def with_progress(
        self, label: str, *, cancellable: bool = True, delay_ms: int = 400
    ) -> Op[T]:
        """Show a progress dialog if the work takes longer than ``delay_ms``."""
        self._progress_label = label
        self._progress_cancellable = cancellable
        self._progress_delay_ms = delay_ms
        return self

    # -- running -----------------------------------------------------------------------

    def run(self) -> OpHandle:
        """Start the work; returns at once. Call on the GUI thread."""
        if self._started:
            raise RuntimeError("an Op runs once; build a new one")
        self._started = True
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            raise RuntimeError(
                "Op.run() needs the qasync loop running on the GUI thread "
                "(ui.app starts it; UI tests use the qloop fixture)"
            ) from None
        token = CancelToken()
        handle = OpHandle(token)
        if self._parent is not None:
            self._parent.destroyed.connect(token.cancel)
        task = loop.create_task(self._execute(loop, token, handle), name=f"op:{self._name}")
        _running.add(task)
        task.add_done_callback(_running.discard)
        return handle

    async def _execute(
        self, loop: asyncio.AbstractEventLoop, token: CancelToken, handle: OpHandle
    ) -> None:
        progress = Progress(token)
        parent = self._parent
        feedback = _Feedback(self, progress) if self._wants_feedback() else None
        runner = self._runner or default_runner()
        started = time.monotonic()
        value: T | None = None
        error: BaseException | None = None
        try:
            value = await loop.run_in_executor(
                runner.executor(self._lane), _call_work, self._work, progress
            )
        except Cancelled:
            token.cancel()
        except asyncio.CancelledError:  # the loop is closing: no callbacks any more
            token.cancel()
            raise
        except Exception as exc:
            error = exc
        finally:
            if feedback is not None:
                feedback.close()
            handle._finished = True
        elapsed = time.monotonic() - started
        if parent is not None and not shiboken6.isValid(parent):
            log.debug("op %s: parent gone after %.2fs, no callback", self._name, elapsed)
            return
        if parent is not None:
            parent.destroyed.disconnect(token.cancel)
        if token.cancelled:
            log.info("op %s cancelled after %.2fs", self._name, elapsed)
            self._call(self._on_cancel)
        elif error is not None:
            log.warning("op %s failed after %.2fs", self._name, elapsed, exc_info=error)
            op_error = OpError(describe_error(error), error)
            if self._on_failure is not None:
                self._call(self._on_failure, op_error)
            else:
                show_error(self._parent, op_error.message)
        else:
            log.debug("op %s done in %.2fs", self._name, elapsed)
            self._call(self._on_success, value)

    def _wants_feedback(self) -> bool:
        return self._on_progress is not None or self._progress_label is not None

    def _call(self, callback: Callable[..., object] | None, *args: object) -> None:
        if callback is None:
            return
        try:
            callback(*args)
        except Exception as exc:
            log.exception("op %s: its callback failed", self._name)
            show_error(self._parent, describe_error(exc))


def _call_work(work: Callable[[Progress], T], progress: Progress) -> T:
    """Runs in the worker thread."""
    progress.check_cancelled()
    return work(progress)


class _Feedback:
    """The GUI side of one op's progress: a 10 Hz poll, and the dialog after a delay."""

    def __init__(self, op: Op[Any], progress: Progress) -> None:
        self._op = op
        self._progress = progress
        self._dialog: QProgressDialog | None = None
        self._latest = ProgressUpdate(label=op._progress_label)
        self._poll = QTimer()
        self._poll.setInterval(PROGRESS_INTERVAL_MS)
        self._poll.timeout.connect(self._deliver)
        self._poll.start()
        self._show_timer: QTimer | None = None
        if op._progress_label is not None:
            self._show_timer = QTimer()
            self._show_timer.setSingleShot(True)
            self._show_timer.timeout.connect(self._show_dialog)
            self._show_timer.start(op._progress_delay_ms)

    def _deliver(self) -> None:
        update = self._progress.take()
        if update is None:
            return
        self._latest = update
        if self._dialog is not None:
            self._apply(self._dialog, update)
        if self._op._on_progress is not None:
            self._op._call(self._op._on_progress, update)

    def _show_dialog(self) -> None:
        parent = self._op._parent
        window = _window_of(parent)
        label = self._op._progress_label or ""
        cancel_text = (
            QCoreApplication.translate("Op", "Cancel") if self._op._progress_cancellable else ""
        )
        dialog = QProgressDialog(label, cancel_text, 0, 0, window)
        if not self._op._progress_cancellable:
            dialog.setCancelButton(None)  # none at all, not a blank one (an empty text)
        dialog.setObjectName("op_progress_dialog")
        dialog.setWindowTitle(QCoreApplication.translate("Op", "Please wait"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(0)
        dialog.canceled.connect(self._progress.token.cancel)
        self._apply(dialog, self._latest)
        dialog.show()
        self._dialog = dialog

    def _apply(self, dialog: QProgressDialog, update: ProgressUpdate) -> None:
        if update.label:
            dialog.setLabelText(update.label)
        if update.total:
            dialog.setMaximum(update.total)
            dialog.setValue(min(update.done, update.total))
        else:
            dialog.setMaximum(0)

    def close(self) -> None:
        self._poll.stop()
        self._deliver()
        if self._show_timer is not None:
            self._show_timer.stop()
        if self._dialog is not None:
            self._dialog.canceled.disconnect(self._progress.token.cancel)
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None


def show_error(parent: QObject | None, message: str) -> None:
    """Show a readable error without blocking: a window-modal box, opened, not exec'd."""
    _show_box(parent, message, "op_error_box", QMessageBox.Icon.Warning,
              QCoreApplication.translate("Op", "Something went wrong"))


def show_info(parent: QObject | None, message: str) -> None:
    """Tell the user something they must know (not an error), as :func:`show_error`."""
    _show_box(parent, message, "op_info_box", QMessageBox.Icon.Information,
              QCoreApplication.translate("Op", "Please note"))


def ask(parent: QWidget, name: str, title: str, text: str, detail: str, yes_text: str,
        then: Callable[[], object]) -> QMessageBox:
    """Ask before a step that cannot be taken back, without blocking: a window-modal box
    (``name``) with ``yes_text`` (the default) and Cancel, opened, not exec'd; ``then``
    runs if the person says yes. Returns the box (its yes button is named ``confirm``)."""
    box = QMessageBox(parent)
    box.setObjectName(name)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    box.setInformativeText(detail)
    yes = box.addButton(yes_text, QMessageBox.ButtonRole.AcceptRole)
    yes.setObjectName("confirm")
    box.addButton(QCoreApplication.translate("Op", "Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(yes)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def answered() -> None:
        if box.clickedButton() is yes:
            then()

    box.finished.connect(lambda _code: answered())
    box.open()
    return box


def _show_box(parent: QObject | None, message: str, name: str, icon: QMessageBox.Icon,
              title: str) -> None:
    window = _window_of(parent) or QApplication.activeWindow()
    box = QMessageBox(window)
    box.setObjectName(name)
    box.setIcon(icon)
    box.setWindowTitle(title)
    box.setText(message)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if window is None:
        # No window to own it (start-up): Python would delete the box as soon as this
        # function returns. Keep it until it is closed.
        _unowned_boxes.add(box)
        box.finished.connect(lambda _result: _unowned_boxes.discard(box))
    box.open()


_unowned_boxes: set[QMessageBox] = set()


def _window_of(parent: QObject | None) -> QWidget | None:
    if isinstance(parent, QWidget) and shiboken6.isValid(parent):
        return parent.window()
    return None


class Reread(Generic[T]):
    """A view's one read of what it shows, never two at once: asked again while a read
    runs (a sync landed, a step was taken), it reads once more after that one, so what is
    shown is never older than the last ask.

    ``work()`` builds the read on the GUI thread (from the view's filters now) and returns
    what runs in the background; ``shown`` gets its result, ``failed`` its error. The view's
    own methods are held weakly: a view that holds its ``Reread`` is not kept alive by it
    once Qt deleted the widget.
    """

    def __init__(self, parent: QObject, name: str, work: Callable[[], Callable[[Progress], T]],
                 shown: Callable[[T], object], failed: Callable[[OpError], object]) -> None:
        self._parent = weakref.ref(parent)
        self._name = name
        self._work = _weakly(work)
        self._shown = _weakly(shown)
        self._failed = _weakly(failed)
        self._handle: OpHandle | None = None
        self._again = False

    @property
    def running(self) -> bool:
        return self._handle is not None

    def run(self) -> None:
        if self._handle is not None:
            self._again = True
            return
        parent, work = self._parent(), self._work()
        if parent is None or work is None:
            return
        self._handle = Op(parent, work(), name=self._name).success(
            self._done).failure(self._error).run()

    def _done(self, result: T) -> None:
        self._handle = None
        shown = self._shown()
        if shown is not None:
            shown(result)
        self._next()

    def _error(self, error: OpError) -> None:
        self._handle = None
        failed = self._failed()
        if failed is not None:
            failed(error)
        self._next()

    def _next(self) -> None:
        if self._again:
            self._again = False
            self.run()


def _weakly(function: Callable[..., Any]) -> Callable[[], Callable[..., Any] | None]:
    """A bound method held weakly (``None`` once its object is gone); anything else as is."""
    if inspect.ismethod(function):
        return weakref.WeakMethod(function)
    return lambda: function
