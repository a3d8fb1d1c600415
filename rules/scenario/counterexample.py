"""A `rules verify` counter-example as a scenario (`miteam rules verify --scenario FILE`).

The abstract state becomes records (`start empty` and `given` lines): the account `a-1`
of partner `p-1` with its integrations, orders that hold its licenses (valid ones for the
total, expired ones for the rest of its orders), the user `u-1` and as many other users
holding a license as the count says, and the operator with their role and references.
Then the step the property is about, with what the property demands as expectations, so
replaying it under the faulty rules fails the way verify did (and a screen/switch
counter-example passes once the rules agree again).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from ..engine.ruleset import ViewResult
from ..engine.verify import Finding
from ..lang.errors import Span
from ..ops.actions import SetIntegration, SetLicense
from .model import Given
from .writer import format_action, format_display, format_expectation, format_given, quote

# The scenario's date, and expiry dates either side of it.
ON = date(2026, 6, 1)
VALID_UNTIL = "2027-12-31"
EXPIRED_ON = "2026-01-01"
ACCOUNT, PARTNER, USER, OPERATOR = "a-1", "p-1", "u-1", "op-1"


def _given(kind: str, key: str, fields: dict) -> Given:
    return Given(kind, key, fields, Span("<verify>", 1, 1, 1, 2))


def records(state: dict) -> list[Given]:
    """The records of an abstract state (a rule context), as `given` lines."""
    op = state.get("operator", {})
    account = state.get("account", {})
    partners = {PARTNER}
    accounts = [_given("account", ACCOUNT, {
        "partner": PARTNER, "name": "Account 1",
        "micollab": account.get("integrations", {}).get("micollab", False),
        "miteam": account.get("integrations", {}).get("miteam", True)})]
    if op.get("partner"):
        partners.add(op["partner"])
    if op.get("account") and op["account"] != ACCOUNT:
        accounts.append(_given("account", op["account"], {
            "partner": op.get("partner") or PARTNER, "name": "Account 2"}))
    out = [_given("partner", p, {"name": f"Partner {p}"})
           for p in sorted(partners)]
    out += accounts
    counts = account.get("licenses", {}).get("miteam", {"total": 0, "assigned": 0})
    total, orders = counts["total"], account.get("orders", 1 if counts["total"] else 0)
    n = 0
    if total > 0:
        n += 1
        out.append(_given("order", f"o-{n}", {"partner": PARTNER, "quantity": total,
                                             "account": ACCOUNT, "expires": VALID_UNTIL}))
    while n < orders:
        n += 1
        out.append(_given("order", f"o-{n}", {"partner": PARTNER, "quantity": 1,
                                             "account": ACCOUNT, "expires": EXPIRED_ON}))
    holds = bool(state.get("user", {}).get("licenses", {}).get("miteam"))
    out.append(_given("user", USER, {"account": ACCOUNT, "name": "User 1", "miteam": holds}))
    for i in range(counts["assigned"] - holds):
        out.append(_given("user", f"u-{i + 2}", {"account": ACCOUNT, "name": f"User {i + 2}",
                                                 "miteam": True}))
    fields = {"role": op.get("role", "support"), "name": "Operator 1"}
    fields.update({k: op[k] for k in ("partner", "account") if op.get(k)})
    out.append(_given("operator", OPERATOR, fields))
    return out


def _shows(v: ViewResult, message: str | None) -> str:
    shown = {"display": v.display, "on": v.on, "mode": v.mode, "message": message}
    return f"expect user {USER} shows {format_display(shown)}"


def scenario_text(finding: Finding, message: Callable[[str], str]) -> str:
    """The scenario for a finding with a counter-example. `message(key)` is the English
    text of a message key (what the screen shows)."""
    assert finding.state is not None
    state = finding.state
    lines = [f"# {finding.prop}: {finding.text}",
             "# Written by `miteam rules verify`: its expectations state what the property",
             "# demands, so replaying it under the rules that failed reproduces the failure.",
             f"scenario {quote('verify: ' + finding.prop)}", "start empty",
             f"date {ON.isoformat()}"]
    lines += [format_given(g) for g in records(state)]
    lines += ["", f"as {OPERATOR}"]

    def msg(key: str | None) -> str | None:
        return message(key) if key else None

    if finding.prop == "toggle_shows_stored" and finding.shown is not None:
        stored = state["user"]["licenses"]["miteam"]
        want = ViewResult("toggle", stored, finding.shown.mode, finding.shown.message,
                          finding.shown.rule)
        lines.append(_shows(want, msg(want.message)))
        return "\n".join(lines) + "\n"
    if finding.prop == "consequence_explained" and finding.op == "integration.set":
        lines.append(format_action(SetIntegration(ACCOUNT, state["integration"],
                                                  state["value"])))
        after = finding.shown_after
        assert after is not None
        lines.append(f"  expect users {USER} stored "
                     f"{'on' if _stored_after(finding) else 'off'}")
        want = ViewResult("toggle", _stored_after(finding), after.mode, after.message,
                          after.rule)
        lines.append("  " + _shows(want, msg(want.message)))
        return "\n".join(lines) + "\n"
    shown, d = finding.shown, finding.decision
    assert shown is not None and d is not None and finding.value is not None
    lines.append(_shows(shown, msg(shown.message)))
    lines.append(format_action(SetLicense(USER, "miteam", finding.value)))
    if finding.expected == "done":
        lines.append("  " + format_expectation("done", {}))
    elif finding.expected == "refused":
        because = shown.message if shown.display == "toggle" else None
        lines.append("  " + format_expectation("refused", {"because": because}))
    elif d.allowed:  # an assertion: the situation as the rules decide it now
        lines.append("  " + format_expectation("done", {}))
    else:
        lines.append("  " + format_expectation("refused", {"by": d.rule.name,
                                                           "because": d.because}))
    return "\n".join(lines) + "\n"


def _stored_after(finding: Finding) -> bool:
    """The stored license after the operation and its consequences: what the finding's
    view should have shown (its `on` is the opposite, which is the violation)."""
    assert finding.shown_after is not None
    return not finding.shown_after.on
