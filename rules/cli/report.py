"""`miteam report licenses [--partner P] [--account A] [--format csv]`."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from ..i18n import t
from ..ops.report import LicenseReport
from .env import Env, add_format


def register(sub: argparse._SubParsersAction) -> None:
    rep = sub.add_parser("report", help="reports: what needs attention")
    rsub = rep.add_subparsers(dest="sub", metavar="REPORT", required=True)
    lic = rsub.add_parser("licenses", help="license counts per account, stored≠shown users, "
                                           "MiCollab-set licenses, expiring orders")
    lic.add_argument("--partner", metavar="P")
    lic.add_argument("--account", metavar="A", help="account id or company name")
    add_format(lic)
    lic.set_defaults(handler=cmd_report_licenses)


# CSV: one row per account (the part a spreadsheet sums up); the lists are in JSON and text.
COLUMNS = ["account", "name", "partner", "total", "assigned", "available", "over_allocated",
           "after_expiry", "over_after_expiry"]


def cmd_report_licenses(env: Env) -> int:
    a = env.args
    report = env.session().report(a.partner, a.account)
    rows = [[asdict(line)[c] if not isinstance(asdict(line)[c], bool)
             else ("yes" if asdict(line)[c] else "no") for c in COLUMNS]
            for line in report.accounts]
    env.emit_rows(report.as_dict(), COLUMNS, rows, report_lines(report, env.lang))
    return 0


def report_lines(r: LicenseReport, lang: str) -> list[str]:
    lines = [t("report_accounts", lang, count=len(r.accounts))]
    for a in r.accounts:
        flags = [t("over_allocated", lang)] if a.over_allocated else []
        if a.over_after_expiry and not a.over_allocated:
            flags.append(t("report_over_after_expiry", lang, keeps=a.after_expiry))
        lines.append(f"  {a.account}  {a.name}  {t('total', lang)} {a.total}, "
                     f"{t('assigned', lang)} {a.assigned}, {t('available', lang)} "
                     f"{a.available}" + (f"  ({'; '.join(flags)})" if flags else ""))
    lines.append(t("report_differs", lang, count=len(r.differs)))
    lines += [f"  {u.user}  {u.name}  ({u.account}): {t('stored', lang)} "
              f"{t('on' if u.stored else 'off', lang)}, {t('report_shown', lang)} "
              f"{u.message or t(u.shown, lang)}" for u in r.differs]
    lines.append(t("report_micollab", lang, count=len(r.micollab)))
    lines += [f"  {u.user}  {u.name}  ({u.account})" for u in r.micollab]
    lines.append(t("report_expiring", lang, count=len(r.expiring)))
    lines += [f"  {o.order}  {o.account or '-'}  x{o.quantity}  {o.expires}" for o in r.expiring]
    return lines
