"""`miteam user import FILE.csv --account A [--dry-run] [--skip-errors]`."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import BadInput
from ..i18n import t
from ..ops.userimport import ImportResult, read_bytes
from .env import Env


def cmd_user_import(env: Env) -> int:
    a = env.args
    session = env.session()
    name = a.file
    try:
        raw = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    except OSError as exc:
        raise BadInput(t("bad_users_file", env.lang, path=name,
                         error=exc.strerror or exc)) from None
    rows = read_bytes(session, raw, name)
    result = session.import_users(a.account, rows, dry_run=a.dry_run,
                                  skip_errors=a.skip_errors)
    env.emit(result.as_dict(), import_lines(result, env.lang))
    return 0 if result.applied and not result.errors or a.dry_run and not result.errors \
        else 1


def import_lines(r: ImportResult, lang: str) -> list[str]:
    lines = []
    for row in r.rows:
        text = f"{t('import_line', lang, line=row.line)}  {row.id or '-'}  " \
               f"{t('import_status_' + row.status, lang)}"
        if row.reason:
            text += f": {row.reason}"
        lines.append(text)
    lines.append(t("import_summary", lang, count=len(r.rows), new=r.count("new"),
                   changed=r.count("changed"), unchanged=r.count("unchanged"),
                   errors=r.count("error")))
    if r.dry_run:
        lines.append(t("import_dry_run", lang))
    elif not r.applied:
        lines.append(t("import_not_written", lang, count=r.count("error")))
    return lines
