"""The Settings section: sync, language, account, and where the log file is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ui.navigation import role_title
from ui.session import Session
from ui.settings import (
    IDLE_LOCK_MINUTES,
    LANGUAGE,
    SERVER_URL,
    SYNC_INTERVAL,
    Setting,
    Settings,
)

LANGUAGE_NAMES = {"zh_CN": "简体中文", "en": "English"}
"""Each language in its own name, so anyone can find theirs (not translated)."""


def _form_box(layout: QVBoxLayout, title: str) -> QFormLayout:
    """A titled group of settings added to ``layout``: its form, fields at their own width."""
    box = QGroupBox(title)
    layout.addWidget(box)
    form = QFormLayout(box)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
    return form


def _hint(setting: Setting[Any]) -> QLabel:
    label = QLabel(QCoreApplication.translate("Settings", setting.description))
    label.setObjectName("setting_hint")
    label.setWordWrap(True)
    label.setMinimumWidth(420)
    return label


class SettingsView(QScrollArea):
    """Edits :mod:`ui.settings` values in place; each change is saved at once.

    Signals:
        sign_out_requested(): the user clicked "Sign out".
    """

    sign_out_requested = Signal()

    def __init__(
        self,
        settings: Settings,
        session: Session,
        log_file: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settings_view")
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self._settings = settings
        page = QWidget()
        page.setObjectName("settings_page")
        page.setMaximumWidth(860)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(16)
        title = QLabel(self.tr("Settings"))
        title.setObjectName("page_title")
        layout.addWidget(title)

        # Sync
        sync_form = _form_box(layout, self.tr("Synchronisation"))
        self.server_edit = QLineEdit(settings.get(SERVER_URL))
        self.server_edit.setMinimumWidth(420)
        self.server_edit.setObjectName("server_url")
        self.server_edit.setPlaceholderText("https://")
        self.server_edit.editingFinished.connect(self._save_server)
        sync_form.addRow(self.tr("Server address"), self.server_edit)
        sync_form.addRow("", _hint(SERVER_URL))
        self.interval_spin = QSpinBox()
        self.interval_spin.setObjectName("sync_interval")
        self.interval_spin.setRange(SYNC_INTERVAL.minimum or 15, SYNC_INTERVAL.maximum or 3600)
        self.interval_spin.setSingleStep(15)
        self.interval_spin.setSuffix(self.tr(" s"))
        self.interval_spin.setValue(settings.get(SYNC_INTERVAL))
        self.interval_spin.valueChanged.connect(lambda v: settings.set(SYNC_INTERVAL, int(v)))
        sync_form.addRow(self.tr("Sync every"), self.interval_spin)
        sync_form.addRow("", _hint(SYNC_INTERVAL))

        # Security
        security_form = _form_box(layout, self.tr("Security"))
        self.idle_lock_spin = QSpinBox()
        self.idle_lock_spin.setObjectName("idle_lock_minutes")
        self.idle_lock_spin.setRange(IDLE_LOCK_MINUTES.minimum or 1,
                                     IDLE_LOCK_MINUTES.maximum or 240)
        self.idle_lock_spin.setSuffix(self.tr(" min"))
        self.idle_lock_spin.setValue(settings.get(IDLE_LOCK_MINUTES))
        self.idle_lock_spin.valueChanged.connect(
            lambda v: settings.set(IDLE_LOCK_MINUTES, int(v)))
        security_form.addRow(self.tr("Lock the window after"), self.idle_lock_spin)
        security_form.addRow("", _hint(IDLE_LOCK_MINUTES))

        # Language
        language_form = _form_box(layout, self.tr("Language"))
        self.language_combo = QComboBox()
        self.language_combo.setObjectName("language")
        for code in LANGUAGE.choices or ():
            self.language_combo.addItem(LANGUAGE_NAMES.get(code, code), code)
        self.language_combo.setCurrentIndex(
            max(0, self.language_combo.findData(settings.get(LANGUAGE)))
        )
        self.language_combo.currentIndexChanged.connect(self._save_language)
        language_form.addRow(self.tr("Language"), self.language_combo)
        language_form.addRow("", _hint(LANGUAGE))

        # Account
        account_box = QGroupBox(self.tr("Account"))
        account_form = QFormLayout(account_box)
        who = QLabel(
            f"{session.display_name} ({session.username}) · {role_title(session.role)}"
        )
        who.setObjectName("account_name")
        who.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        account_form.addRow(self.tr("Signed in as"), who)
        if session.remembered is False:
            note = QLabel(
                self.tr(
                    "This computer has no secure key store, so your sign-in is kept only "
                    "until the app closes: you will be asked for your password next time."
                )
            )
            note.setObjectName("setting_warning")
            note.setWordWrap(True)
            account_form.addRow("", note)
        self.sign_out_button = QPushButton(self.tr("Sign out"))
        self.sign_out_button.setObjectName("sign_out")
        self.sign_out_button.clicked.connect(self.sign_out_requested)
        self.sign_out_button.setEnabled(not session.demo)
        row = QHBoxLayout()
        row.addWidget(self.sign_out_button)
        row.addStretch(1)
        account_form.addRow("", row)
        layout.addWidget(account_box)

        # Help
        if log_file:
            help_box = QGroupBox(self.tr("Help"))
            help_form = QFormLayout(help_box)
            path = QLabel(log_file)
            path.setObjectName("log_file")
            path.setWordWrap(True)
            path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            help_form.addRow(self.tr("Log file"), path)
            open_button = QPushButton(self.tr("Open log folder"))
            open_button.clicked.connect(
                lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(log_file).parent)))
            )
            row = QHBoxLayout()
            row.addWidget(open_button)
            row.addStretch(1)
            help_form.addRow(
                "",
                _wrap(
                    row,
                    self.tr("If something goes wrong, send this file to your IT contact."),
                ),
            )
            layout.addWidget(help_box)
        layout.addStretch(1)
        self.setWidget(page)

    def _save_server(self) -> None:
        text = self.server_edit.text().strip()
        if not text or text.startswith(("http://", "https://")):
            self._settings.set(SERVER_URL, text)

    def _save_language(self, index: int) -> None:
        code = self.language_combo.itemData(index)
        if isinstance(code, str):
            self._settings.set(LANGUAGE, code)


def _wrap(row: QHBoxLayout, text: str) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    hint = QLabel(text)
    hint.setObjectName("setting_hint")
    hint.setWordWrap(True)
    layout.addLayout(row)
    layout.addWidget(hint)
    return box
