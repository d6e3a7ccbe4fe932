"""The client's local store: SQLite tables, migrations, outbox and the use cases that write.

No Qt and no HTTP here. Every user edit goes through :mod:`gulou_desk.store.usecases`,
which writes the record and its outbox mutation in one transaction and returns a
:class:`~gulou_desk.store.changes.ChangeSet`. The sync engine settles pending edits with
:mod:`gulou_desk.store.outbox`; views read with :mod:`gulou_desk.store.queries`.
"""

from gulou_desk.store.changes import ChangeSet
from gulou_desk.store.engine import Store, open_store
from gulou_desk.store.errors import NotAllowed, NotFound, StoreError, ValidationFailed

__all__ = [
    "ChangeSet",
    "NotAllowed",
    "NotFound",
    "Store",
    "StoreError",
    "ValidationFailed",
    "open_store",
]
