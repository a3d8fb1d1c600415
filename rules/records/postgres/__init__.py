"""The records on a PostgreSQL server: the store's protocol (``read()``,
``transaction()``, views and transactions with ``get / by / all / tail / count_flags /
put / delete / append``) by PostgreSQL's own means, for several licensing hosts.

- ``schema``: the tables (one per record kind, the document as ``jsonb`` plus the columns
  queries need) and their numbered migrations (``miteam db init`` / ``db migrate``).
- ``connect``: the driver (psycopg 3, an optional extra) and connection errors as one
  line naming the server, never its password.
- ``store``: ``PgStore``, ``PgView``, ``PgTx``.
- ``listen``: ``LISTEN/NOTIFY``, so consoles see each other's commits at once.
"""

from __future__ import annotations

from .connect import is_url, server_name
from .store import PgStore, PgTx, PgView

__all__ = ["PgStore", "PgTx", "PgView", "is_url", "server_name"]
