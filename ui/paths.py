"""Where the app's files are: its resources (in the ``ui`` package, so that a wheel
carries them), the user's folders.

The user's folders come from platformdirs (``~/.config/gulou-desk``,
``%LOCALAPPDATA%\\Gulou\\gulou-desk`` …); each is made on first use.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "gulou-desk"
APP_AUTHOR = "Gulou"

RESOURCES_DIR = Path(__file__).resolve().parent / "resources"
ICONS_DIR = RESOURCES_DIR / "icons"
STYLE_SHEET = RESOURCES_DIR / "style.qss"


def user_log_dir() -> Path:
    path = Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def user_config_dir() -> Path:
    path = Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def user_data_dir() -> Path:
    path = Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path
