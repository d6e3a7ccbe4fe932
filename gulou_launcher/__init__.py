"""Start Gulou Desk (``gulou-desk``, ``python main.py``): the desk client, and with
``--demo`` the central server beside it.

This is the one place that composes the client (``ui``) and the server (``server``): the
client never imports the server (``tests/unit/test_layers.py``); the demo's embedded
server reaches it as a ``demo_login`` function (:mod:`gulou_launcher.demo`).
"""

from __future__ import annotations

from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """The desk client's command (see ``ui.app.parse_args``)."""
    from gulou_launcher.demo import demo_login
    from ui.app import main as run_desk

    return run_desk(argv, demo_login=demo_login)


__all__ = ["main"]
