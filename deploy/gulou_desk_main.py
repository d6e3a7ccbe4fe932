"""The desk app's entry point in the PyInstaller bundle (deploy/gulou-desk.spec)."""

import multiprocessing
import sys

if __name__ == "__main__":
    # A process the app starts (the search index's helper,
    # gulou_desk.store.search_index.EntryHelper) is this executable again: here it becomes
    # that process, before anything of the app's is imported.
    multiprocessing.freeze_support()
    from ui.app import main

    sys.exit(main())
