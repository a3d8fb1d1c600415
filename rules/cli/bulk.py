"""`miteam license set USER... | --account A [--where ...] | --from-file FILE`: many users
at once, one preview, one line per user (issue 12)."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import BadInput
from ..i18n import t
from ..ops.actions import RemoveUser
from ..ops.bulk import BulkResult, license_actions, parse_where
from .env import Env


def _from_file(env: Env, name: str) -> list[str]:
    """User ids, one a line; blank lines and `#` comments skipped; `-`: standard input."""
    try:
        text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(t("bad_users_file", env.lang, path=name,
                         error=getattr(exc, "strerror", None) or exc)) from None
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def selected_users(env: Env) -> list[str]:
    """The users a bulk command names: ids, then --from-file, then --account/--where; each
    once, in the order first named."""
    a = env.args
    session = env.session()
    users = list(a.user)
    if a.from_file:
        users += _from_file(env, a.from_file)
    where = parse_where(session, a.where)
    if a.account:
        users += session.select_users(a.account, where, a.product)
    elif where:
        raise BadInput(t("bad_where", env.lang, term=" ".join(a.where),
                         keys="--account A --where ..."))
    if not users:
        raise BadInput(t("bulk_no_users", env.lang))
    return list(dict.fromkeys(users))


def cmd_user_remove(env: Env) -> int:
    a = env.args
    result = env.session().apply_many([RemoveUser(u) for u in dict.fromkeys(a.user)],
                                      dry_run=a.dry_run)
    env.emit([line.as_dict() for line in result.lines], bulk_lines(
        result, env.lang, done="remov", heads=("bulk_users_preview", "bulk_users_done"),
        digest=False))
    return 0 if result.ok else 1


def bulk_license_set(env: Env) -> int:
    a = env.args
    session = env.session()
    result = session.apply_many(license_actions(selected_users(env), a.product, a.value),
                                dry_run=a.dry_run, all_or_nothing=a.all_or_nothing,
                                expect_preview=a.expect_preview)
    env.emit([line.as_dict() for line in result.lines], bulk_lines(result, env.lang))
    return 0 if result.ok else 1


def bulk_lines(result: BulkResult, lang: str, done: str = "switch",
               heads: tuple[str, str] = ("bulk_preview_head", "bulk_done_head"),
               digest: bool = True) -> list[str]:
    """One line per user, then the preview: how many of each outcome, by rule and reason.
    `done`: what the action does, as the words `bulk_{done}ed` / `bulk_would_{done}` name."""
    dry = result.dry_run or result.withheld
    lines = [f"{line.target}  "
             f"{outcome_text(line.outcome, line.reason, line.rule, lang, dry, done)}"
             for line in result.lines]
    lines.extend(bulk_summary(result, lang, done, heads))
    if result.withheld:
        lines.append(t("bulk_withheld", lang, count=sum(
            line.outcome in ("refused", "error") for line in result.lines)))
    elif result.dry_run and digest:
        lines.append(t("preview_digest", lang, digest=result.preview))
    return lines


def bulk_summary(result: BulkResult, lang: str, done: str = "switch",
                 heads: tuple[str, str] = ("bulk_preview_head", "bulk_done_head")
                 ) -> list[str]:
    """The preview's head and its groups: how many of each outcome, by rule and reason (the
    console's bulk preview shows the same lines)."""
    dry = result.dry_run or result.withheld
    lines = [t(heads[0] if dry else heads[1], lang, count=len(result.lines))]
    for outcome, rule, reason, n in result.groups():
        lines.append("  " + t("bulk_group", lang, count=n,
                              what=outcome_text(outcome, reason, rule, lang, dry, done)))
    return lines


def outcome_text(outcome: str, reason: str | None, rule: str | None, lang: str,
                 dry_run: bool, done: str = "switch") -> str:
    """`would switch  (rule r)`, `refused: Licenses not available  (rule r)`: one outcome in
    words (`rule` None: without it)."""
    word = (f"bulk_would_{done}" if dry_run else f"bulk_{done}ed") \
        if outcome == "switched" else f"bulk_{outcome}"
    return t(word, lang) + (f": {reason}" if reason else "") + \
        (f"  ({t('by_rule', lang, rule=rule)})" if rule else "")


def cmd_revert(env: Env) -> int:
    a = env.args
    r = env.session().revert(a.seq, dry_run=a.dry_run)
    lang = env.lang
    lines = r.lines(lang)
    lines.append(t("revert_withheld" if r.result.withheld else
                   "revert_would" if r.result.dry_run else "revert_done", lang))
    env.emit(r.as_dict(), lines)
    return 0 if r.ok else 1
