"""Opening the local store: the engine, the migrations, and sessions.

The engine is set up once here (WAL, foreign keys, busy timeout, ``synchronous=FULL``:
:mod:`gulou_desk.db`) on SQLCipher's build of SQLite (:mod:`gulou_desk.store.cipher`):
the app opens every store with its key, so it is encrypted at rest; without a key (tests,
tools) the same driver keeps a plain file. SQL parameters never reach a log or an
exception's text (``hide_parameters``): they are residents' names, ID numbers, phones.
Readers take ``store.session()``; writers take ``with store.write() as session:``, which
begins with ``BEGIN IMMEDIATE`` (the write lock is taken up front, so a read that turns
into a write never fails half-way with ``SQLITE_BUSY``) and commits or rolls back.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from gulou_desk.db import configure_sqlite, json_text
from gulou_desk.store import bulk_load, cipher, search_index
from gulou_desk.store.cipher import StoreUnreadable

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BEGIN_IMMEDIATE = {"sqlite_begin": "BEGIN IMMEDIATE"}
# Each connection's page cache, in KiB (SQLite's default is 2,000). In an encrypted store
# a page read from the file is decrypted and its HMAC checked every time, where a plain
# store would take it from the OS's cache for free: a register sorted by name reads the
# same few thousand pages on every keystroke. Pages are allocated as they are used, so a
# worker's small store never reaches it. Each connection has its own: the pool hands out
# the connection given back last (``pool_use_lifo``), so the reads one after another of a
# person browsing keep to one warm cache, and the others (made when reads overlap) stay
# small. Handed out in turn, all five filled theirs: a district supervisor's app held
# 403 MB after browsing instead of 368 MB (bench/cold_start.py); a 16 MB cache instead
# saved as much but made the district's name-sorted search a third slower.
PAGE_CACHE_KIB = 32_768
WAL_AUTOCHECKPOINT_PAGES = 1000
"""SQLite's own: a commit that leaves the WAL longer than this copies it into the store
file (a checkpoint) before it returns (:meth:`Store.defer_checkpoint` spares one)."""


class Store:
    """The local SQLite store of one user on one device.

    Hands out a :class:`~sqlalchemy.orm.Session` per operation; a session is used on the
    thread that opened it and closed when the operation ends. Sessions keep loaded values
    after commit (``expire_on_commit=False``) but views receive plain values, never ORM
    objects.
    """

    def __init__(self, engine: Engine, path: Path | None = None, *,
                 search_index: bool = True) -> None:
        self.engine = engine
        self.path = path
        self.search_index = search_index
        """Whether writes keep the search index (False for a store held at a revision
        older than the index, as only migration tests do)."""
        self._reader = sessionmaker(bind=engine, expire_on_commit=False)
        self._writer = sessionmaker(
            bind=engine.execution_options(**BEGIN_IMMEDIATE), expire_on_commit=False
        )
        self._refetchable_writer = sessionmaker(
            bind=engine.execution_options(**BEGIN_IMMEDIATE, sqlite_synchronous="NORMAL"),
            expire_on_commit=False)
        self._bulk_writer = sessionmaker(
            bind=engine.execution_options(**BEGIN_IMMEDIATE, sqlite_synchronous="NORMAL",
                                          page_cache_kib=bulk_load.CACHE_KIB),
            expire_on_commit=False)
        self._checkpointing: threading.Thread | None = None
        self._checkpoint_lock = threading.Lock()  # the sync's thread and close()'s
        self._checkpoint_conn: Any = None
        """The DB-API connection of the checkpoint under way, for :meth:`close` to
        interrupt (guarded by ``_interrupt_lock``)."""
        self._interrupt_lock = threading.Lock()
        self._closed = False

    def session(self) -> Session:
        """A session for reading (``with store.session() as s: ...``)."""
        return self._reader()

    @contextmanager
    def write(self, *, refetchable: bool = False, bulk: bool = False) -> Iterator[Session]:
        """A write transaction: ``BEGIN IMMEDIATE``, commit on success, rollback on error.

        Before it commits, the search index catches up with the households, residents and
        visits written (:func:`gulou_desk.store.search_index.catch_up`), whoever wrote them.

        Its commit has reached the disk when it returns (``synchronous=FULL``), unless
        ``refetchable``: for a transaction whose every write can be had again if a power
        cut loses it — a pulled page with its cursor: the next pull asks the server for it
        again. It commits without waiting for the disk (WAL ``NORMAL``: never corrupt; a
        later FULL commit syncs it too). A supervisor's first sync spent a tenth of its
        time waiting for the WAL to reach the disk.

        ``bulk``: a transaction of a first sync's bulk load (:mod:`bulk_load`), refetchable
        too, with the larger page cache of :data:`bulk_load.CACHE_KIB` for as long as it
        runs (every other transaction gets :data:`PAGE_CACHE_KIB` back before it begins,
        on whichever pooled connection).
        """
        maker = (self._bulk_writer if bulk
                 else self._refetchable_writer if refetchable else self._writer)
        with maker() as session, session.begin():
            yield session
            if self.search_index:
                search_index.catch_up(session)

    @staticmethod
    def defer_checkpoint(session: Session) -> None:
        """Let the commit of ``session``'s write transaction leave the WAL as it is.

        A commit that leaves the WAL longer than :data:`WAL_AUTOCHECKPOINT_PAGES` copies
        it into the store file and syncs that before it returns; the end of a first sync
        (its last pages, the indexes and the search index made again) waited 30-50 ms for
        it with nothing else to do. The caller then has it done by :meth:`checkpoint_soon`,
        off its way. From its next transaction the connection checkpoints as usual."""
        conn = session.connection()
        conn.exec_driver_sql("PRAGMA wal_autocheckpoint = 0")
        conn.info["autocheckpoint_off"] = True

    def checkpoint_soon(self) -> None:
        """Copy the WAL into the store file on a thread of its own (a passive checkpoint:
        reads and writes go on meanwhile; SQLite lets go of the GIL while it copies).
        :meth:`close` interrupts it. A checkpoint that fails or is interrupted is left to
        the next commit (or the next open's)."""
        with self._checkpoint_lock:
            if self._closed:  # the app quit as the sync ended: the next open's commit
                return
            self._join_checkpoint()
            self._checkpointing = threading.Thread(target=self._checkpoint,
                                                   name="gulou-checkpoint", daemon=True)
            self._checkpointing.start()

    def wait_for_checkpoint(self) -> None:
        with self._checkpoint_lock:
            self._join_checkpoint()

    def _join_checkpoint(self) -> None:
        if self._checkpointing is not None:
            self._checkpointing.join()
            self._checkpointing = None

    def _checkpoint(self) -> None:
        try:
            with self.engine.connect() as conn:
                with self._interrupt_lock:
                    if self._closed:
                        return
                    self._checkpoint_conn = conn.connection.dbapi_connection
                try:
                    conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")
                finally:
                    with self._interrupt_lock:
                        self._checkpoint_conn = None
        except Exception:
            if self._closed:  # interrupted by close(): the next open's first commit makes it
                log.info("the local store closed during a checkpoint; the next open makes it")
            else:
                log.warning("a checkpoint of the local store failed; the next commit makes "
                            "it", exc_info=True)

    def close(self) -> None:
        """Close every pooled connection (the store can be reopened with :func:`open_store`).

        A checkpoint under way (:meth:`checkpoint_soon`) is interrupted, not waited for:
        close() runs on the GUI thread when the person signs out or quits, and the end of
        a district's first sync leaves hundreds of MB of WAL to copy. Nothing is lost: the
        WAL keeps every commit, and the next open checkpoints it."""
        with self._checkpoint_lock:
            with self._interrupt_lock:
                self._closed = True
            checkpointing, self._checkpointing = self._checkpointing, None
            while checkpointing is not None and checkpointing.is_alive():
                # Again until it ends: an interrupt that comes before the statement has
                # begun is lost (SQLite ignores one with no statement running).
                with self._interrupt_lock:
                    if self._checkpoint_conn is not None:
                        self._checkpoint_conn.interrupt()
                checkpointing.join(0.01)
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def sqlite_url(path: Path) -> sa.URL:
    return sa.URL.create("sqlite", database=str(path))


def alembic_config(url: sa.URL | str | None = None) -> Config:
    """An Alembic configuration for the store's migrations; no ``alembic.ini`` needed.

    Works from an installed package: the scripts are found next to this module.
    """
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        text = url.render_as_string(hide_password=False) if isinstance(url, sa.URL) else url
        config.set_main_option("sqlalchemy.url", text.replace("%", "%%"))
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database of ``engine`` to ``revision`` in one write transaction. A
    store at the head already is left alone, without importing Alembic at all: the
    usual start of the app opens a store that is up to date, and Alembic with its
    migrations' modules cost a start a fifth of a second and 20 MB it never used. A new
    store is made at the head in one go (:func:`create_at_head`), without Alembic too."""
    if revision == "head":
        current = current_revision(engine)
        if current == head_revision() or (current is None and create_at_head(engine)):
            return
    upgrade(engine, revision)


def create_at_head(engine: Engine) -> bool:
    """Make a new, empty store at the migrations' head from the schema they end in
    (:mod:`gulou_desk.store.schema_snapshot`), in one write transaction, and stamp it with
    the head's revision; ``False`` (nothing done) when the file holds anything already,
    or when the snapshot is not of the head (a migration added since it was made:
    ``scripts/store_snapshot.py`` makes it again; the tests say so).

    A social worker's first sign-in waits for its store to be made before the first sync
    begins: running every migration (and importing Alembic) took 0.2 s of it, the
    snapshot takes a tenth of that. ``tests/unit/test_store_engine.py`` holds a store made
    here to one made by the migrations: the same ``sqlite_master``, the same rows.

    Its commit does not wait for the disk (``synchronous=NORMAL``): a power cut that takes
    it back leaves an empty store, made again at the next open."""
    from gulou_desk.store import schema_snapshot

    if head_revision() != schema_snapshot.REVISION:
        return False
    with engine.execution_options(**BEGIN_IMMEDIATE,
                                  sqlite_synchronous="NORMAL").begin() as connection:
        if connection.exec_driver_sql("SELECT 1 FROM sqlite_master LIMIT 1").first():
            return False
        cursor = connection.connection.cursor()
        for statement in schema_snapshot.STATEMENTS:
            cursor.execute(statement)
        cursor.close()
    return True


def upgrade(engine: Engine, revision: str) -> None:
    """Run Alembic's migrations of the store up to ``revision``, in one write
    transaction (:func:`migrate` spares a new store and an up-to-date one)."""
    from alembic import command

    with engine.execution_options(**BEGIN_IMMEDIATE).begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


_REVISION = re.compile(r"^(down_)?revision(?:: [^=]+)? = ['\"]?(\w+|None)['\"]?\s*$",
                       re.MULTILINE)


@functools.cache
def head_revision() -> str | None:
    """The migrations' head, read from their files (once per process: the migrations
    ship with the code): the revision no other revision comes down from. The same as
    Alembic's ``ScriptDirectory.get_current_head`` (tests/unit/test_store_engine.py),
    which would import every migration's module to find it."""
    revisions: set[str] = set()
    downs: set[str] = set()
    for script in (MIGRATIONS_DIR / "versions").glob("*.py"):
        for down, value in _REVISION.findall(script.read_text(encoding="utf-8")):
            if value != "None":
                (downs if down else revisions).add(value)
    heads = revisions - downs
    if len(heads) > 1:
        raise RuntimeError(f"the store's migrations have {len(heads)} heads: {sorted(heads)}")
    return next(iter(heads), None)


def current_revision(engine: Engine) -> str | None:
    """The revision the store is at (``None``: not migrated yet)."""
    with engine.connect() as connection:
        if not sa.inspect(connection).has_table("alembic_version"):
            return None
        return connection.exec_driver_sql(
            "SELECT version_num FROM alembic_version").scalar()


def store_engine(path: Path, key: bytes | None = None) -> Engine:
    """An engine on the store file at ``path``: SQLCipher's SQLite, keyed with ``key``
    (each connection's first statement), set up as the house rules say."""
    engine = sa.create_engine(sqlite_url(path), module=cipher.dbapi(), hide_parameters=True,
                              pool_use_lifo=True,
                              json_serializer=json_text, json_deserializer=orjson.loads)
    if key is not None:
        pragma = cipher.key_pragma(key)

        @sa.event.listens_for(engine, "connect", insert=True)
        def _key(dbapi_conn: Any, _record: Any) -> None:
            cursor = dbapi_conn.cursor()
            cursor.execute(pragma)
            cursor.close()

    configure_sqlite(engine)

    @sa.event.listens_for(engine, "connect")
    def _cache(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KIB}")

    @sa.event.listens_for(engine, "begin")
    def _cache_of_transaction(conn: sa.Connection) -> None:
        # A bulk load's transaction asks for a larger cache (execution option
        # ``page_cache_kib``); the setting stays on the connection, so every other
        # transaction sets the usual one again (once, where it differs).
        kib = conn.get_execution_options().get("page_cache_kib", PAGE_CACHE_KIB)
        if conn.info.get("page_cache_kib", PAGE_CACHE_KIB) != kib:
            conn.exec_driver_sql(f"PRAGMA cache_size = -{kib}")
            conn.info["page_cache_kib"] = kib
        if conn.info.pop("autocheckpoint_off", False):  # Store.defer_checkpoint's
            conn.exec_driver_sql(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}")

    return engine


def _prepare_file(path: Path, key: bytes | None) -> None:
    """Everything that happens to the file before SQLite opens it: user-only modes, an
    interrupted encryption finished, a plaintext store encrypted, a key checked."""
    cipher.private_dir(path.parent)
    if key is None:
        cipher.private_file(path)
        return
    cipher.finish_interrupted(path)
    if not cipher.exists(path):
        cipher.remove_store_files(path)  # an empty file and stale side files of one
        cipher.private_file(path)
        return
    cipher.secure_existing(path)
    if cipher.is_plaintext(path):
        cipher.encrypt_in_place(path, key)
    elif not cipher.can_open(path, key):
        raise StoreUnreadable(
            f"{path.name} cannot be read with this computer's key: it is damaged, or it "
            "was encrypted with a key this computer no longer has", path)


def open_store(path: Path, *, key: bytes | None = None, revision: str = "head") -> Store:
    """Open (creating it if needed) the store at ``path`` and migrate it to ``revision``.

    With ``key`` (what the app does) the store is encrypted: a new one is created
    encrypted, a plaintext one (made before encryption came) is encrypted in place first,
    and one the key does not open raises :class:`StoreUnreadable`, the file untouched.
    Without ``key``, a plain file (tests and tools only).
    """
    path = Path(path)
    _prepare_file(path, key)
    engine = store_engine(path, key)
    try:
        migrate(engine, revision)
    except BaseException:
        engine.dispose()
        raise
    store = Store(engine, path, search_index=sa.inspect(engine).has_table("search_dirty"))
    if store.search_index:
        with store.write() as session:
            # A first sync cut short by a crash left its bulk load unfinished: finish it,
            # so that what it brought can be found (gulou_desk/store/bulk_load.py).
            bulk_load.finish(session)
            # and the search index catches up with what an upgrade left to index.
    if sa.inspect(engine).has_table("photo_data"):
        from gulou_desk.store.photos import move_files_in  # photos builds on this module

        move_files_in(store)  # photo files of earlier versions go into the encrypted store
    return store
