"""The Audit filter bar's words (`rules.ops.filters.parse_audit`): the CLI's filters,
English and German, with bad input named (issue 12, part 5)."""

from __future__ import annotations

import pytest

from rules.errors import BadInput
from rules.ops.auditlog import AuditFilter
from rules.ops.filters import AuditQuery, parse_audit


def test_audit_filter_words_set_the_clis_fields():
    q = parse_audit("account:a-kranich user:u-1029 operator:anna.huber "
                    "operation:license.set rule:s10_switch_standalone "
                    "since:2026-11-01 until:2026-11-30", "en")
    assert q == AuditQuery("a-kranich", AuditFilter(
        "u-1029", "anna.huber", "license.set", "s10_switch_standalone", "2026-11-01",
        "2026-11-30"))
    assert parse_audit(q.words(), "en") == q


def test_audit_filter_words_in_german_quoted_names_and_free_words():
    q = parse_audit('konto:"Kranich Logistik GmbH" benutzer:u-1 von:anna vorgang:x '
                    'regel:r seit:2026-01-01 bis:2026-02-01 müller', "de")
    assert q == AuditQuery("Kranich Logistik GmbH", AuditFilter(
        "u-1", "anna", "x", "r", "2026-01-01", "2026-02-01"), "müller")
    assert q.words().startswith("account:'Kranich Logistik GmbH' user:u-1")
    assert q.words("de").startswith("konto:'Kranich Logistik GmbH' benutzer:u-1 von:anna")
    assert parse_audit(q.words("de"), "de") == q
    assert parse_audit("", "en") == AuditQuery()


@pytest.mark.parametrize(("words", "lang", "message"), [
    ("who:anna", "en", "unknown filter 'who:'; use account:, user:, operator:, operation:, "
                       "rule:, since:, until: (dates YYYY-MM-DD)"),
    ("user:", "en", "filter 'user:' needs a value after the colon"),
    ("user:a benutzer:b", "de", "Filter 'benutzer:' ist doppelt angegeben"),
    ('account:"Kranich', "en", "a quote in the filter is not closed"),
    ("x\x1b[2J:1", "en", "unknown filter 'x\\x1b[2J:'; use account:, user:, operator:, "
                         "operation:, rule:, since:, until: (dates YYYY-MM-DD)"),
])
def test_audit_filter_bad_words_are_named(words, lang, message):
    with pytest.raises(BadInput) as err:
        parse_audit(words, lang)
    assert str(err.value) == message
