"""One syntax front end for the three grammars: comments come from the lexer, the parser
tables are kept in the user's own cache, and the errors read the same for every grammar."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from rules import cachefiles
from rules.lang import parser, ruletests
from rules.lang.errors import RuleError
from rules.lang.syntax import Syntax
from rules.scenario import parser as scenario_parser


def test_comments_are_what_the_lexer_skipped_never_a_hash_inside_a_text():
    rf = parser.parse('# head\nmessage m {\n  en "a # b" # after\n}\n', "c.rules")
    assert [(c.text, c.line, c.column) for c in rf.comments] == [
        ("# head", 1, 1), ("# after", 3, 14)]


def test_the_parse_tables_are_cached_once_for_every_process():
    """The comment collector is a callback; the cache key must not depend on its address,
    or every process would build the tables again and leave another file."""
    build = "from rules.lang.parser import parse; parse('let a = true\\n')"
    for _ in range(2):
        subprocess.run([sys.executable, "-c", build], check=True, env=os.environ.copy())
    assert len(list(cachefiles.cache_dir().glob("lark-rules-*.cache"))) == 1


def test_a_damaged_cache_costs_speed_only():
    Syntax("ruletest.lark", parser.NAMES).parse('test "t" { }\n')
    (cached,) = cachefiles.cache_dir().glob("lark-ruletest-*.cache")
    cached.write_bytes(b"not a cache\n\x80\x04garbage")
    tree, _ = Syntax("ruletest.lark", parser.NAMES).parse('test "t" { }\n')
    assert tree.children


@pytest.mark.parametrize(("parse", "text", "message"), [
    (parser.parse, "view miteam {\n  rule r when a = 1 show no_licenses\n}\n",
     "unexpected '='; expected"),
    (ruletests.parse_tests, 'test "x" { given = 1 }', "unexpected '='; expected a name"),
    (scenario_parser.parse, 'scenario "x"\nstart demo\nlicense sett u-1 miteam on\n',
     "unexpected word 'sett'"),
])
def test_every_grammar_reports_where_and_what_it_expected(parse, text, message):
    with pytest.raises(RuleError) as info:
        parse(text, "f")
    d = info.value.diagnostics[0]
    assert d.message.startswith(message) and d.span.file == "f" and d.span.line >= 1
