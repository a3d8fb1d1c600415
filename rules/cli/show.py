"""Plain-text renderings of view models, for people at a terminal (`--json` for scripts).

Every line is passed through `printable` as a whole: stored names, e-mails and ids are
shown with their control characters written out, and a newline inside a name shows as
`\\x0a` instead of starting a line of its own.
"""

from __future__ import annotations

from collections.abc import Callable

from ..i18n import t
from ..ops.session import Outcome
from ..ops.views import audit_who
from ..text import printable


def _escaped(render: Callable[..., list[str]]) -> Callable[..., list[str]]:
    def lines(*args, **kwargs) -> list[str]:
        return [printable(line) for line in render(*args, **kwargs)]
    lines.__doc__ = render.__doc__
    return lines


def _onoff(value: bool, lang: str) -> str:
    return t("on" if value else "off", lang)


def product_line(p: dict, lang: str) -> str:
    if p["display"] == "toggle":
        mode = {"editable": t("editable", lang), "readonly": t("read_only", lang),
                "disabled": t("disabled", lang)}[p["mode"]]
        shown = f"[{_onoff(p['on'], lang)}] {mode}"
        if p["message"]:
            shown += f" — {p['message']}"
    else:
        shown = p["message"] or "-"
    return shown


@_escaped
def user_lines(u: dict, lang: str) -> list[str]:
    lines = [f"{u['id']}  {u['name']}" + (f" <{u['email']}>" if u["email"] else ""),
             f"  {t('show_account', lang)}: {u['account']}", f"  {t('show_products', lang)}:"]
    for p in u["products"]:
        stored = _onoff(u["licenses"][p["product"]], lang)
        by = u["set_by"].get(p["product"])
        lines.append(f"    {p['name']}: {product_line(p, lang)}")
        lines.append(f"      {t('stored', lang)}: {stored}"
                     + (f" ({t('set_by', lang)} {by})" if by else "")
                     + f"; {t('by_rule', lang, rule=p['rule'])} ({p['rule_at']})")
    return lines


@_escaped
def account_lines(a: dict, lang: str) -> list[str]:
    lines = [f"{a['id']}  {a['name']}  ({t('show_partner', lang, id=a['partner'])})"]
    for name, on in a["integrations"].items():
        lines.append(f"  {t('integration_' + name, lang)}: {_onoff(on, lang)}")
    for product, c in a["licenses"].items():
        over = f"  ({t('over_allocated', lang)})" if c["over_allocated"] else ""
        lines.append(f"  {product} {t('licenses', lang)}: {t('total', lang)} {c['total']}, "
                     f"{t('assigned', lang)} {c['assigned']}, "
                     f"{t('available', lang)} {c['available']}{over}")
    lines.append(f"  {t('show_users', lang)}: {a['users']}")
    if a["orders"]:
        lines.append(f"  {t('show_orders', lang)}:")
        for o in a["orders"]:
            lines.append(f"    {o['id']}  {o['product']} x{o['quantity']}  "
                         f"{t('state_' + o['state'], lang)}"
                         + (f", {t('expiring', lang)}" if o["expiring"] else "")
                         + (f"  {t('show_expires', lang, date=o['expires'])}"
                            if o["expires"] else ""))
    return lines


@_escaped
def outcome_lines(o: Outcome, lang: str) -> list[str]:
    head = f"{t('dry_run', lang)}: " if o.dry_run else ""
    if not o.changed:
        return [f"{head}{o.target}: {t('unchanged', lang)}"]
    before = _onoff(o.before, lang) if isinstance(o.before, bool) else (o.before or "-")
    after = _onoff(o.after, lang) if isinstance(o.after, bool) else o.after
    lines = [f"{head}{o.operation} {o.target}: {before} → {after}"
             + (f"  ({t('by_rule', lang, rule=o.rule.name)})" if o.rule else "")]
    for e in o.effects:
        lines.append("  " + t("consequence" if e.action == "revoke" else "consequence_grant",
                              lang, count=len(e.users), rule=e.rule.name))
        if e.users:
            lines.append("    " + ", ".join(e.users))
    if o.dry_run and o.effects:
        # A sweeping change: applying it with this digest refuses it if it would now do
        # anything other than this preview shows (issue 13: the preview cannot lie).
        lines.append("  " + t("preview_digest", lang, digest=o.preview))
    return lines


@_escaped
def audit_lines(entries: list[dict]) -> list[str]:
    out = []
    for e in entries:
        actor = "" if e.get("actor") in (None, "operator") else f" as {e['actor']}"
        rules = f" ({e['rules']})" if e.get("rules") else ""
        out.append(f"#{e['seq']}  {e['at']}  {audit_who(e)}{actor}  {e['operation']}  "
                   f"{e['target']}  {_v(e.get('before'))} → {_v(e.get('after'))}"
                   f"  rule {e.get('rule') or '-'}{rules}  {e.get('outcome', '')}"
                   + (f"  (revert of #{e['revert_of']})" if e.get("revert_of") else ""))
    return out


def _v(value: object) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, dict):
        return value.get("id", "record")
    return "-" if value is None else str(value)
