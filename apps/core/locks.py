"""A named lock held until the end of the current transaction.

Numbering "the next in its year" by reading the largest number and inserting the next one races:
two transactions read the same largest number, and locking the rows read (SELECT … FOR UPDATE)
does not stop either from inserting, while their waits on each other's new rows can deadlock. A
lock on the name of what is being numbered makes the second transaction wait until the first has
committed, and then read the number it wrote.
"""

from __future__ import annotations

import hashlib

from django.db import connection, transaction


def _key(name: str) -> int:
    """A signed 64-bit key for PostgreSQL's advisory locks, the same for the same name."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), signed=True)


def hold_until_commit(name: str) -> None:
    """Wait for, then hold, the lock called `name` until the current transaction ends.

    PostgreSQL: a transaction-level advisory lock. SQLite takes one writer at a time anyway."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("hold_until_commit() must run inside a transaction")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_key(name)])
