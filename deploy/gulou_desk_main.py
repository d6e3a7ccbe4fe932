"""The desk app's entry point in the PyInstaller bundle (deploy/gulou-desk.spec)."""

import sys

from ui.app import main

if __name__ == "__main__":
    sys.exit(main())
