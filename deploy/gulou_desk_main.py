"""The desk app's entry point in the PyInstaller bundle (deploy/gulou-desk.spec).

``--check-index-helper`` (the bundle's smoke test, ``scripts/smoke-bundle.sh``): start the
search index's helper process, have it make one entry, print what was found and exit (0:
it works in this bundle, 1: it does not) — no window, no store.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    # A process the app starts (the search index's helper,
    # gulou_desk.store.search_index.EntryHelper) is this executable again: here it becomes
    # that process, before anything of the app's is imported.
    multiprocessing.freeze_support()
    if sys.argv[1:] == ["--check-index-helper"]:
        from gulou_desk.store.search_index import check_helper

        try:
            sys.stdout.write(check_helper() + "\n")
        except Exception as exc:
            sys.stderr.write(f"the search index's helper does not work: {exc}\n")
            sys.exit(1)
        sys.exit(0)
    from ui.app import main

    sys.exit(main())
