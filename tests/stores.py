"""New local stores for tests: each a copy of one store migrated once per test process.

The tests that open a store to use it, not to watch it being built, start from a copy of
one that ``open_store`` built here (from the migrations' snapshot, as the app makes a new
store). The migrations themselves are tested from an empty file
(``tests/unit/test_store_migrations.py``, ``test_store_engine``).
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from pathlib import Path

from gulou_desk.store import cipher
from gulou_desk.store.engine import Store, open_store


@functools.cache
def _template() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="gulou-store-template-"))
    atexit.register(shutil.rmtree, folder, True)
    path = folder / "desk.sqlite"
    open_store(path).close()  # closing the last connection folds the log into the file
    return path


def new_store(path: Path) -> Store:
    """A new plain (unencrypted) store at ``path``, migrated to the head."""
    if path.exists():
        raise FileExistsError(path)
    cipher.private_file(path)  # user-only folder and file, as open_store makes them
    shutil.copyfile(_template(), path)
    return open_store(path)
