"""Translations: install the app's and Qt's own translators for the chosen language.

The UI's source strings are English; ``resources/translations/gulou_desk_zh_CN.ts`` holds
the Simplified Chinese (the default language), ``gulou_desk_en.ts`` only the English
plural forms (``%n minute(s)``). The ``.qm`` files are generated, never edited and never
committed:

* ``scripts/build_translations.py`` refreshes the ``.ts`` from the sources (lupdate) and
  builds the ``.qm`` (lrelease); run it after changing a user-visible string;
* at start-up :func:`install_translators` rebuilds a ``.qm`` that is missing or older than
  its ``.ts`` (lrelease only, a few milliseconds), so a fresh checkout starts in Chinese;
  the UI tests build them once per session the same way.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from ui.paths import RESOURCES_DIR


def QT_TRANSLATE_NOOP(context: str, source_text: str,
                      disambiguation: str | None = None) -> str:
    """Mark ``source_text`` for translation in ``context`` (``lupdate`` finds the call by
    its name) and return it unchanged: PySide6's own is typed to return ``object``, which
    hides every label table's type from mypy. Translate later with
    ``QCoreApplication.translate(context, text)``."""
    return source_text

log = logging.getLogger(__name__)

TRANSLATIONS_DIR = RESOURCES_DIR / "translations"
CATALOGUE = "gulou_desk"
LANGUAGES: tuple[str, ...] = ("zh_CN", "en")
DEFAULT_LANGUAGE = "zh_CN"


class PluralContext:
    """A translation context whose texts carry a count: ``Context.tr(text, "", n)``.

    pyside6-lupdate (6.11) reads a text with ``%n`` as a plural only when it is written
    ``<Class>.tr(text, disambiguation, n)``; written ``QCoreApplication.translate(context,
    text, None, n)`` it took it as a plain text, or not at all. A module subclasses this
    under its context's name (``class Tickets(PluralContext)``) and asks ``Tickets.tr``.
    """

    @classmethod
    def tr(cls, text: str, disambiguation: str, n: int) -> str:
        return QCoreApplication.translate(cls.__name__, text, disambiguation or None, n)


def ts_path(language: str, directory: Path = TRANSLATIONS_DIR) -> Path:
    return directory / f"{CATALOGUE}_{language}.ts"


def qm_path(language: str, directory: Path = TRANSLATIONS_DIR) -> Path:
    return directory / f"{CATALOGUE}_{language}.qm"


def qt_tool(name: str) -> Path:
    """A Qt tool (``lrelease``, ``lupdate``) shipped inside the PySide6 wheel."""
    import PySide6

    base = Path(PySide6.__file__).resolve().parent
    exe = base / (f"{name}.exe" if sys.platform == "win32" else name)
    if not exe.exists():
        raise FileNotFoundError(f"{name} is not shipped with this PySide6 ({exe})")
    return exe


def is_stale(language: str, directory: Path = TRANSLATIONS_DIR) -> bool:
    """Whether the ``.qm`` of a language is missing or older than its ``.ts``."""
    ts, qm = ts_path(language, directory), qm_path(language, directory)
    if not ts.exists():
        return False
    return not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime


def compile_translations(
    languages: Iterable[str] = LANGUAGES,
    directory: Path = TRANSLATIONS_DIR,
    *,
    only_stale: bool = False,
) -> list[Path]:
    """Build ``.qm`` from ``.ts`` with lrelease; returns the files written."""
    written: list[Path] = []
    lrelease = qt_tool("lrelease")
    for language in languages:
        ts, qm = ts_path(language, directory), qm_path(language, directory)
        if not ts.exists() or (only_stale and not is_stale(language, directory)):
            continue
        result = subprocess.run(
            [os.fspath(lrelease), "-silent", os.fspath(ts), "-qm", os.fspath(qm)],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"lrelease failed for {ts.name}: {result.stderr.strip()}")
        written.append(qm)
    return written


def normalize_language(language: str | None) -> str:
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Install Qt's and the app's translators for ``language``; keep the list alive.

    Unknown languages fall back to Chinese. A missing catalogue is logged and the UI
    shows its English source strings, it does not stop the app.
    """
    language = normalize_language(language)
    QLocale.setDefault(QLocale(language))
    if is_stale(language):
        try:
            compile_translations([language], only_stale=True)
        except (OSError, RuntimeError):
            log.warning("could not build the %s translations", language, exc_info=True)
    installed: list[QTranslator] = []
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt_translator = QTranslator(app)
    if qt_translator.load(QLocale(language), "qtbase", "_", qt_dir):
        app.installTranslator(qt_translator)
        installed.append(qt_translator)
    elif language != "en":
        log.info("Qt's own %s translations are not available", language)
    own = QTranslator(app)
    if own.load(os.fspath(qm_path(language))):
        app.installTranslator(own)
        installed.append(own)
    else:
        log.warning("no %s catalogue at %s: showing source strings", language, qm_path(language))
    return installed


def remove_translators(app: QCoreApplication, translators: Iterable[QTranslator]) -> None:
    for translator in translators:
        app.removeTranslator(translator)
