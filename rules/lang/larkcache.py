"""Lark parsers built once per grammar and reused from the user's cache directory.

Building an LALR parser from a grammar takes 0.1-0.2 s; Lark can save the result
(``Lark(..., cache=FILE)``) and load it in 20 ms. Lark writes that file in place, so a
process builds it under a name of its own and renames it into place: two processes doing
so at once never leave a torn file for a third. The name carries a hash of the grammar,
the options and Lark's version; Lark checks its own hash inside as well.
"""

from __future__ import annotations

import hashlib
from typing import Any

import lark

from .. import cachefiles


def build(grammar: str, name: str, **options: Any) -> lark.Lark:
    directory = cachefiles.ready_dir()
    if directory is None:
        return lark.Lark(grammar, **options)
    # The postlexer by its class, lexer callbacks by their terminals (the reprs of the
    # objects have addresses in them, which would make every process miss).
    shown = sorted((k, type(v).__qualname__ if k == "postlex" else
                    repr(sorted(v)) if k == "lexer_callbacks" else repr(v))
                   for k, v in options.items())
    digest = hashlib.sha256(f"{lark.__version__}\0{shown}\0{grammar}".encode()).hexdigest()[:24]
    final = directory / f"lark-{name}-{digest}.cache"
    if cachefiles.trusted(final):
        return lark.Lark(grammar, cache=str(final), **options)
    tmp = cachefiles.temp_beside(final)
    parser = lark.Lark(grammar, cache=str(tmp), **options)
    if tmp.exists():
        cachefiles.publish(tmp, final)
    return parser
