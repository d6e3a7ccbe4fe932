"""Where a local store's bytes go: each table and index, its payload and its overhead.

    .venv/bin/python bench/store_size.py STORE [--plain] [--key HEX] [--keep-copy PATH]

SQLite's ``dbstat`` table says how many pages each B-tree holds and how much of them is
payload (the records), B-tree overhead (headers, cell pointers) and unused space. The
SQLCipher build the app uses has no ``dbstat``, so the pages of an encrypted store are
decrypted here (SQLCipher 4: AES-256-CBC per page, the IV in the page's reserved bytes;
with a raw key, the key is the AES key) into a plaintext copy that keeps every page where
it was, reserved bytes included, and the standard library's SQLite reads that copy: the
figures are the store's own, page for page (a copy made with ``sqlcipher_export`` or
``VACUUM`` would lay the B-trees out anew and hide how full their pages are).

The key defaults to the benchmarks' (``bench/search.py --keep``); ``--plain`` reads a
plain store as it is. Prints each object (table, index, FTS5 shadow table) and then each
record table with everything that belongs to it, largest first.

``--what-if`` then measures what changes of the store's format would save, one after the
other on a working copy (triggers dropped; each step compacted with ``VACUUM INTO``, so
the figures are of a store laid out anew, which is how a fresh store is made):

- **ids as 16 bytes**: every column whose values are UUIDs stored as a 16-byte blob, not
  36 characters of text (in the tables and in every index that holds them);
- **times as integers**: every column in :class:`~gulou_desk.db.AwareDateTime`'s text
  form (``2026-11-28T01:30:00.000000+00:00``, 32 characters) as microseconds since 1970,
  an integer: exact, and ordered as the text is;
- **search words not kept**: ``search_docs`` without the words it keeps beside the FTS5
  index (``best_match`` tests them; they would have to be made again from the records
  for the rows a search looks at).

None of these is the app's format today; the figures say which is worth the change.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import sqlite3
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gulou_desk.store.search_index import FTS_COLUMNS

BENCH_KEY = bytes(range(32))
"""The store key of the benchmarks' stores (``bench/search.py``)."""
PAGE_SIZE = 4096
"""SQLCipher 4's page size (``cipher_page_size``)."""
SALT = 16
IV = 16
RESERVE = 80
"""Bytes at the end of each page: the IV (16) and the HMAC-SHA512 (64)."""
HEADER = b"SQLite format 3\x00"
MB = 1e6


def decrypt(store: Path, key: bytes, out: Path) -> None:
    """A plaintext copy of the encrypted ``store`` at ``out``, page for page."""
    with store.open("rb") as src, out.open("wb") as dst:
        number = 0
        while page := src.read(PAGE_SIZE):
            number += 1
            start = SALT if number == 1 else 0
            iv = page[PAGE_SIZE - RESERVE:PAGE_SIZE - RESERVE + IV]
            decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
            plain = decryptor.update(page[start:PAGE_SIZE - RESERVE]) + decryptor.finalize()
            dst.write((HEADER if number == 1 else b"") + plain + page[PAGE_SIZE - RESERVE:])


def _owner(name: str, table: str, kind: str) -> str:
    """The table an object belongs to: an index to its table, an FTS5 shadow table to
    its virtual table."""
    if kind == "table":
        for suffix in ("_data", "_idx", "_config", "_docsize", "_content"):
            if name.endswith(suffix) and name.removesuffix(suffix).endswith(
                    ("_fts", "_numbers", "_phones")):
                return name.removesuffix(suffix)
    return table


def breakdown(plain: Path) -> None:
    conn = sqlite3.connect(f"file:{plain}?mode=ro", uri=True)
    page_size, pages, free = (conn.execute(f"PRAGMA {p}").fetchone()[0]
                              for p in ("page_size", "page_count", "freelist_count"))
    objects = {name: (table, kind) for name, table, kind in conn.execute(
        "SELECT name, tbl_name, type FROM sqlite_master WHERE type IN ('table', 'index')")}
    rows = conn.execute(
        "SELECT name, sum(pgsize), sum(payload), sum(pgsize - payload - unused), "
        "sum(unused), sum(ncell), count(*) FROM dbstat GROUP BY name ORDER BY 2 DESC")
    total = pages * page_size
    print(f"file {total / MB:,.1f} MB ({pages:,} pages of {page_size}; "
          f"{free:,} free = {free * page_size / MB:,.1f} MB)")
    print(f"{'object':44s} {'kind':6s} {'MB':>8s} {'%':>5s} {'payload':>8s} "
          f"{'b-tree':>7s} {'unused':>7s} {'cells':>10s}")
    per_table: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    for name, size, payload, overhead, unused, cells, _n in rows:
        table, kind = objects.get(name, (name, "table"))
        kind = "schema" if name == "sqlite_schema" else kind
        owner = _owner(name, table, kind)
        for i, value in enumerate((size, payload, overhead, unused)):
            per_table[owner][i] += value
        if size / total >= 0.0005:
            print(f"{name:44s} {kind:6s} {size / MB:8.1f} {100 * size / total:5.1f} "
                  f"{payload / MB:8.1f} {overhead / MB:7.1f} {unused / MB:7.1f} {cells:10,}")
    print(f"\n{'table (with its indexes / shadow tables)':44s} {'':6s} {'MB':>8s} {'%':>5s} "
          f"{'payload':>8s} {'b-tree':>7s} {'unused':>7s}")
    for owner, (size, payload, overhead, unused) in sorted(
            per_table.items(), key=lambda kv: -kv[1][0]):
        if size / total >= 0.0005:
            print(f"{owner:44s} {'':6s} {size / MB:8.1f} {100 * size / total:5.1f} "
                  f"{payload / MB:8.1f} {overhead / MB:7.1f} {unused / MB:7.1f}")
    conn.close()


UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00")
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
SAMPLE = 200


SqlValue = str | bytes | int | float | None


def _as_id(value: SqlValue) -> SqlValue:
    return bytes.fromhex(value.replace("-", "")) if isinstance(value, str) \
        and UUID.fullmatch(value) else value


def _as_time(value: SqlValue) -> SqlValue:
    if not isinstance(value, str) or not TIME.fullmatch(value):
        return value
    delta = dt.datetime.fromisoformat(value) - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _columns_like(conn: sqlite3.Connection, pattern: re.Pattern[str]
                  ) -> dict[str, list[str]]:
    """Table → its columns whose values (a sample of the non-null ones) all match."""
    found: dict[str, list[str]] = defaultdict(list)
    tables = [name for name, sql in conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table'")
        if not sql.startswith("CREATE VIRTUAL") and _owner(name, name, "table") == name
        and not name.startswith("sqlite_")]
    for table in tables:
        for column in [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]:
            sample = [v for (v,) in conn.execute(
                f'SELECT "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL LIMIT {SAMPLE}')]
            if sample and all(isinstance(v, str) and pattern.fullmatch(v) for v in sample):
                found[table].append(column)
    return found


def _compacted(conn: sqlite3.Connection, out: Path) -> float:
    out.unlink(missing_ok=True)
    conn.execute(f"VACUUM INTO '{out}'")
    size = out.stat().st_size / MB
    out.unlink()
    return size


def what_if(plain: Path, work: Path) -> None:
    """The store's size after each change of :data:`__doc__`'s ``--what-if``."""
    shutil.copyfile(plain, work)
    conn = sqlite3.connect(work, isolation_level=None)
    conn.create_function("as_id", 1, _as_id, deterministic=True)
    conn.create_function("as_time", 1, _as_time, deterministic=True)
    for (trigger,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"
                                   ).fetchall():
        conn.execute(f'DROP TRIGGER "{trigger}"')
    compact = work.with_name(work.name + ".compact")
    print("\nwhat if (each step on top of the ones before; sizes after VACUUM INTO):")
    before = _compacted(conn, compact)
    print(f"  {'the store as it is, compacted':44s} {before:8,.1f} MB")
    steps = (("ids as 16 bytes", UUID, "as_id"),
             ("times as integers", TIME, "as_time"),
             ("search words not kept", None, ""))
    for label, pattern, function in steps:
        started = time.perf_counter()
        if pattern is None:
            for column in FTS_COLUMNS:
                conn.execute(f'ALTER TABLE search_docs DROP COLUMN "{column}"')
        else:
            for table, columns in _columns_like(conn, pattern).items():
                sets = ", ".join(f'"{c}" = {function}("{c}")' for c in columns)
                conn.execute(f'UPDATE "{table}" SET {sets}')
        after = _compacted(conn, compact)
        print(f"  {'+ ' + label:44s} {after:8,.1f} MB  ({after - before:+,.1f} MB; "
              f"{time.perf_counter() - started:.0f} s)")
        before = after
    conn.close()
    work.unlink()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("store", type=Path)
    parser.add_argument("--plain", action="store_true", help="a plain (unencrypted) store")
    parser.add_argument("--key", help="the store key in hex (default: the benchmarks')")
    parser.add_argument("--keep-copy", type=Path, help="keep the plaintext copy here")
    parser.add_argument("--what-if", action="store_true",
                        help="measure what changes of the store's format would save")
    args = parser.parse_args()
    if args.plain:
        breakdown(args.store)
        if args.what_if:
            what_if(args.store, args.store.with_name(args.store.name + ".what-if"))
        return
    key = bytes.fromhex(args.key) if args.key else BENCH_KEY
    for suffix in ("-wal",):
        wal = args.store.with_name(args.store.name + suffix)
        if wal.exists() and wal.stat().st_size:
            raise SystemExit(f"{wal} is not empty: close the store (checkpoint) first")
    with tempfile.TemporaryDirectory(dir=args.keep_copy and args.keep_copy.parent) as tmp:
        copy = args.keep_copy or Path(tmp) / "plain.sqlite"
        decrypt(args.store, key, copy)
        breakdown(copy)
        if args.what_if:
            what_if(copy, Path(tmp) / "what-if.sqlite")


if __name__ == "__main__":
    main()
