"""Filters of user lists (free text for names, ids and e-mail, and exact license states), and
the words of the audit's filter bar (`parse_audit`).

`state:off` keeps the users whose MiTeam Meetings license Products and Licenses shows as
OFF, as the rules decide it, never a user whose name or e-mail domain happens to contain
"off". Several words narrow further (`state:on müller`). The console's `/` and the CLI
read the same words, in English or German.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import BadInput
from ..i18n import t
from ..text import printable
from .auditlog import AuditFilter

# Each state word (English and German) and what it keeps, asked of a user's view.
# `product` is the view of one product (`views.product_view`), `user` the user's view.
Test = Callable[[dict, dict], bool]

_TESTS: dict[str, Test] = {
    "on": lambda u, p: p["display"] == "toggle" and p["on"],
    "off": lambda u, p: p["display"] == "toggle" and not p["on"],
    "editable": lambda u, p: p["mode"] == "editable",
    "readonly": lambda u, p: p["mode"] == "readonly",
    "disabled": lambda u, p: p["mode"] == "disabled",
    "none": lambda u, p: p["display"] == "no_licenses",
    # The stored license and what the screen shows disagree (S5, S13: stored ON while the
    # integration shows "No licenses").
    "differs": lambda u, p: bool(u["licenses"].get(p["product"])) != (
        p["display"] == "toggle" and p["on"]),
    # The MiCollab server set the stored license (S4).
    "micollab": lambda u, p: u["set_by"].get(p["product"]) == "micollab",
}

# Every word the filter accepts for a state, in both languages, to its state.
STATE_WORDS: dict[str, str] = {
    "on": "on", "ein": "on",
    "off": "off", "aus": "off",
    "editable": "editable", "switchable": "editable", "schaltbar": "editable",
    "readonly": "readonly", "read-only": "readonly", "schreibgeschützt": "readonly",
    "disabled": "disabled", "deaktiviert": "disabled",
    "none": "none", "no-licenses": "none", "keine": "none", "keine-lizenzen": "none",
    "differs": "differs", "stored≠shown": "differs", "stored!=shown": "differs",
    "abweichend": "differs", "gespeichert≠angezeigt": "differs",
    "micollab": "micollab",
}

PREFIXES = ("state:", "zustand:")
# The state words shown in help and errors, one per state.
STATES = tuple(_TESTS)


@dataclass(frozen=True)
class UserFilter:
    text: str = ""
    states: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()  # state words the filter does not know (match nothing)

    @property
    def needs_view(self) -> bool:
        """States are the rules' answers: a filter by state asks them for every user."""
        return bool(self.states or self.unknown)

    def matches_text(self, user: dict) -> bool:
        q = self.text
        if not q:
            return True
        return all(w in user["id"].casefold() or w in user["name"].casefold()
                   or w in (user.get("email") or "").casefold() for w in q.split())

    def matches_view(self, view: dict, product: str = "miteam") -> bool:
        if self.unknown:
            return False
        p = next(x for x in view["products"] if x["product"] == product)
        return all(_TESTS[s](view, p) for s in self.states)


def parse(query: str) -> UserFilter:
    """`state:off müller` -> the users shown OFF whose name, id or e-mail holds "müller"."""
    words, states, unknown = [], [], []
    for word in query.casefold().split():
        prefix = next((p for p in PREFIXES if word.startswith(p)), None)
        if prefix is None:
            words.append(word)
            continue
        state = STATE_WORDS.get(word[len(prefix):])
        if state is None:
            unknown.append(word[len(prefix):])
        elif state not in states:
            states.append(state)
    return UserFilter(" ".join(words), tuple(states), tuple(unknown))


# The audit's filter words (the console's Audit filter bar), English and German, each to
# the field of `AuditFilter` (or the account) it sets: the same fields as `miteam audit
# --account --user --operator --operation --rule --since --until`.
AUDIT_WORDS: dict[str, str] = {
    "account": "account", "konto": "account",
    "user": "user", "benutzer": "user",
    "operator": "operator", "by": "operator", "von": "operator",
    "operation": "operation", "op": "operation", "vorgang": "operation",
    "rule": "rule", "regel": "rule",
    "since": "since", "seit": "since", "ab": "since",
    "until": "until", "bis": "until",
}
AUDIT_FIELDS = ("account", "user", "operator", "operation", "rule", "since", "until")
# How a query is written back, per language (the bar shows the filter in force).
_AUDIT_SAID = {"en": dict(zip(AUDIT_FIELDS, AUDIT_FIELDS, strict=True)),
               "de": dict(zip(AUDIT_FIELDS, ("konto", "benutzer", "von", "vorgang", "regel",
                                             "seit", "bis"), strict=True))}


@dataclass(frozen=True)
class AuditQuery:
    """A filter bar's words: the account (id or company name), the entries' filter, and
    free words that narrow the rows shown (matched against what each row says)."""

    account: str | None = None
    where: AuditFilter = AuditFilter()
    text: str = ""

    def words(self, lang: str = "en") -> str:
        """The query written back in `lang`'s words (`parse_audit` reads it again)."""
        said = _AUDIT_SAID.get(lang, _AUDIT_SAID["en"])
        fields = {"account": self.account, **{f: getattr(self.where, f)
                                               for f in AUDIT_FIELDS[1:]}}
        out = [f"{said[k]}:{_quoted(v)}" for k, v in fields.items() if v is not None]
        return " ".join([*out, self.text] if self.text else out)


def _quoted(value: str) -> str:
    return shlex.quote(value) if any(c.isspace() or c in "'\"" for c in value) else value


def parse_audit(query: str, lang: str) -> AuditQuery:
    """`user:u-1001 since:2026-11-01` -> those entries. Values with spaces are quoted
    (`account:"Kranich Logistik GmbH"`). An unknown word, a word without a value or a
    field given twice is bad input, named; dates are checked where the CLI's are
    (`AuditFilter.check`, when the session searches)."""
    try:
        words = shlex.split(query)
    except ValueError:
        raise BadInput(t("audit_filter_quote", lang)) from None
    fields: dict[str, str] = {}
    text = []
    for word in words:
        key, colon, value = word.partition(":")
        if not colon:
            text.append(word)
            continue
        name = AUDIT_WORDS.get(key.casefold())
        if name is None:
            raise BadInput(t("audit_filter_unknown", lang, word=printable(key),
                             words=", ".join(f"{f}:" for f in AUDIT_FIELDS)))
        if not value:
            raise BadInput(t("audit_filter_empty", lang, word=printable(key)))
        if name in fields:
            raise BadInput(t("audit_filter_twice", lang, word=printable(key)))
        fields[name] = value
    account = fields.pop("account", None)
    return AuditQuery(account, AuditFilter(**fields), " ".join(text))
