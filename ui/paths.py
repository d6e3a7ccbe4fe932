"""Where the app's files are: its resources, the user's folders.

The resources (icons, style sheet, translations) are the repository's top-level
``resources/`` folder; an installed wheel carries them as ``ui/resources`` (``setup.py``).

The user's folders come from platformdirs (``~/.config/gulou-desk``,
``%LOCALAPPDATA%\\Gulou\\gulou-desk`` …); each is made on first use, for the user only
(0700: the store, the logs and the settings name residents and their work).
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

from gulou_desk.store.cipher import private_dir

APP_NAME = "gulou-desk"
APP_AUTHOR = "Gulou"


def _resources_dir() -> Path:
    """``ui/resources`` in a wheel, else the checkout's ``resources/`` (a checkout may still
    hold a stale ``ui/resources/translations/*.qm`` from before the move: look for the
    style sheet, not the folder)."""
    here = Path(__file__).resolve().parent
    installed = here / "resources"
    return installed if (installed / "style.qss").is_file() else here.parent / "resources"


RESOURCES_DIR = _resources_dir()
ICONS_DIR = RESOURCES_DIR / "icons"
STYLE_SHEET = RESOURCES_DIR / "style.qss"


def user_log_dir() -> Path:
    path = Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))
    return private_dir(path)


def user_config_dir() -> Path:
    path = Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR))
    return private_dir(path)


def user_data_dir() -> Path:
    path = Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    return private_dir(path)
