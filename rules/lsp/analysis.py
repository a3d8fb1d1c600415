"""What the language server knows about an open rule file, without the protocol.

The open text is checked together with the other `*.rules` files of its directory (a rule
set is a directory), so a message or `let` defined in a sibling resolves. Everything here
is plain functions of (path, text, position), so it is tested without an editor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .. import schema
from ..engine.abstract import type_of
from ..engine.ruleset import RULE_SUFFIX, RuleSet
from ..engine.verify import verify
from ..lang import ast
from ..lang.checker import Program, check
from ..lang.errors import Diagnostic, RuleError, Span
from ..lang.formatter import format_source
from ..lang.parser import parse

_WORD = re.compile(r"[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)*\.?")


@dataclass
class Analysis:
    diagnostics: list[Diagnostic]  # for the open file only
    program: Program | None
    files: dict[str, str]  # display path → text, the open file's as typed


def _siblings(path: Path) -> dict[str, str]:
    out = {}
    if path.parent.is_dir():
        for other in sorted(path.parent.glob(f"*{RULE_SUFFIX}")):
            if other.resolve() != path.resolve():
                try:
                    out[str(other)] = other.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError):
                    continue
    return out


def analyse(path: Path, text: str, with_verify: bool = True) -> Analysis:
    files = {**_siblings(path), str(path): text}
    parsed: list[ast.RuleFile] = []
    diagnostics: list[Diagnostic] = []
    for name, source in files.items():
        try:
            parsed.append(parse(source, name))
        except RuleError as exc:
            diagnostics.extend(exc.diagnostics)
        except Exception as exc:  # noqa: BLE001 - an editor's keystroke never kills the server
            diagnostics.append(Diagnostic("error", f"cannot read: {exc}", Span(name, 1, 1, 1, 2)))
    program, checked = check(parsed, incomplete=len(parsed) < len(files))
    diagnostics += checked
    if with_verify and not any(d.severity == "error" for d in diagnostics):
        diagnostics += _verify_findings(program, checked, files)
    mine = [d for d in diagnostics if d.span.file == str(path)]
    return Analysis(mine, program, files)


def _verify_findings(program: Program, checked: list[Diagnostic],
                     files: dict[str, str]) -> list[Diagnostic]:
    """`rules verify`'s findings, as warnings on the rules they involve."""
    rules = RuleSet(program, checked, files, [])
    out = []
    for f in verify(rules).findings:
        for ref in f.rules:
            out.append(Diagnostic("warning", f"rules verify: {f.text}", ref.span,
                                  "; ".join(f.record_lines()) or None))
    return out


def word_at(text: str, line: int, column: int) -> str | None:
    """The dotted name under a 0-based (line, column)."""
    lines = text.split("\n")
    if line >= len(lines):
        return None
    for m in _WORD.finditer(lines[line]):
        if m.start() <= column <= m.end():
            return m.group(0).rstrip(".")
    return None


# Every name a rule can read anywhere, and in an assert block.
_ROOTS = {**{k: v for c in schema.CONTEXTS.values() for k, v in c.items()},
          **schema.ASSERT_CONTEXT}


def _path_type(word: str) -> schema.Type | None:
    return type_of(word, _ROOTS)


def hover(a: Analysis, word: str) -> str | None:
    p = a.program
    if p is not None and word in p.messages:
        texts = "\n".join(f"- {tr.lang.value}: {tr.text}" for tr in p.messages[word].translations)
        return f"message `{word}`\n\n{texts}"
    if p is not None and word in p.settings and word in schema.SETTINGS:
        spec, value = schema.SETTINGS[word], p.settings[word].value
        shown = value.value if isinstance(value, ast.Literal) else "?"
        return (f"setting `{word}` = {shown}\n\n{spec.doc} ({spec.low} to {spec.high} "
                f"{spec.unit})")
    if p is not None and word in p.lets:
        let = p.lets[word]
        source = a.files.get(let.span.file, "")
        lines = source.split("\n")[let.span.line - 1:let.span.end_line]
        return f"```\n{chr(10).join(lines).strip()}\n```\n\n({let.span.file}:{let.span.line})"
    t = _path_type(word)
    if t is not None:
        return f"`{word}`: {t.describe()}" + (f"\n\n{t.doc}" if t.doc else "")
    return None


def definition(a: Analysis, word: str) -> Span | None:
    p = a.program
    if p is None:
        return None
    if word in p.lets:
        return p.lets[word].name.span
    if word in p.messages:
        return p.messages[word].key.span
    if word in p.settings:
        return p.settings[word].name.span
    return None


def completions(a: Analysis, text: str, line: int, column: int) -> list[tuple[str, str]]:
    """(label, detail) for what may stand at a 0-based position."""
    lines = text.split("\n")
    before = lines[line][:column] if line < len(lines) else ""
    m = re.search(r"([a-z_][a-z0-9_.]*)$", before)
    typed = m.group(1) if m else ""
    if "." in typed:
        t = _path_type(typed.rsplit(".", 1)[0])
        if t is not None and t.kind == "record":
            return [(name, ft.describe()) for name, ft in t.fields.items()]
        return []
    roots = sorted({k for c in schema.CONTEXTS.values() for k in c} | set(schema.ASSERT_CONTEXT))
    out = [(r, "a record or parameter") for r in roots]
    if a.program is not None:
        out += [(k, "message") for k in sorted(a.program.messages)]
        out += [(k, "condition (let)") for k in sorted(a.program.lets)]
    return out


def formatted(path: Path, text: str) -> str | None:
    """The canonical layout (`rules fmt`), or None when the text does not parse."""
    try:
        return format_source(text, str(path))
    except RuleError:
        return None
