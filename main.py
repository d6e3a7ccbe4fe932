"""Gulou Desk: ``python main.py [--demo] [--server URL] [--role worker|clerk|supervisor]``.

The same as the installed ``gulou-desk`` command: :func:`gulou_launcher.main` composes the
desk client with (for ``--demo``) the embedded central server.
"""

import sys

from gulou_launcher import main

if __name__ == "__main__":
    sys.exit(main())
