"""One syntax front end for the three grammars: comments come from the lexer, the parser
tables are kept in the user's own cache, and the errors read the same for every grammar."""

from __future__ import annotations

from pathlib import Path

import platformdirs
import pytest

from rules.lang import parser, ruletests
from rules.lang.errors import RuleError
from rules.lang.syntax import Syntax
from rules.scenario import parser as scenario_parser


def _cache() -> Path:
    return Path(platformdirs.user_cache_dir("miteam", appauthor=False)) / "grammar"


def test_comments_are_what_the_lexer_skipped_never_a_hash_inside_a_text():
    rf = parser.parse('# head\nmessage m {\n  en "a # b" # after\n}\n', "c.rules")
    assert [(c.text, c.line, c.column) for c in rf.comments] == [
        ("# head", 1, 1), ("# after", 3, 14)]


def test_the_parser_tables_are_cached_in_the_users_cache_directory_only():
    fresh = Syntax("rules.lark", parser.NAMES)
    fresh.parse("let a = true\n")
    cached = _cache() / "rules.lark-cache"
    assert cached.is_file()
    assert not (_cache().stat().st_mode & 0o077)  # nobody else may plant one


def test_a_damaged_cache_is_ignored_and_rewritten():
    Syntax("rules.lark", parser.NAMES).parse("let a = true\n")
    cached = _cache() / "rules.lark-cache"
    cached.write_bytes(b"not a cache\n\x80\x04garbage")
    tree, _ = Syntax("rules.lark", parser.NAMES).parse("let a = true\n")
    assert tree.children
    assert cached.read_bytes() != b"not a cache\n\x80\x04garbage"


def test_no_cache_where_others_could_write_it():
    _cache().mkdir(parents=True, exist_ok=True)
    _cache().chmod(0o777)
    fresh = Syntax("ruletest.lark", parser.NAMES)
    assert fresh.parse('test "t" { }\n')
    assert not (_cache() / "ruletest.lark-cache").exists()


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
