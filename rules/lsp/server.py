"""`miteam rules lsp`: a language server for rule files over stdio (pygls).

Diagnostics from the checker as you type (with the did-you-mean hints) and `rules verify`'s
findings on the rules they involve; hover (a field's type from the schema, a message's
text in both languages, a `let`'s definition); go to definition of lets and messages;
completion of record paths and message keys; formatting by `rules fmt`.
"""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

try:  # pygls 2
    from pygls.lsp.server import LanguageServer
except ImportError:  # pragma: no cover - pygls 1.x
    from pygls.server import LanguageServer  # type: ignore[no-redef]
from pygls.uris import from_fs_path, to_fs_path

from .. import __version__
from ..lang.errors import Diagnostic, Span
from . import analysis

server = LanguageServer("miteam-rules", __version__)


def _range(span: Span) -> types.Range:
    return types.Range(types.Position(max(span.line - 1, 0), max(span.column - 1, 0)),
                       types.Position(max(span.end_line - 1, 0), max(span.end_column - 1, 0)))


def _diagnostic(d: Diagnostic) -> types.Diagnostic:
    message = d.message + (f"\nhint: {d.hint}" if d.hint else "")
    severity = (types.DiagnosticSeverity.Error if d.severity == "error"
                else types.DiagnosticSeverity.Warning)
    return types.Diagnostic(_range(d.span), message, severity=severity, source="miteam")


def _document(ls: LanguageServer, uri: str):
    workspace = ls.workspace
    get = getattr(workspace, "get_text_document", None) or workspace.get_document
    return get(uri)


def _analyse(ls: LanguageServer, uri: str, with_verify: bool = False) -> analysis.Analysis:
    doc = _document(ls, uri)
    return analysis.analyse(Path(to_fs_path(uri) or uri), doc.source, with_verify)


def _publish(ls: LanguageServer, uri: str) -> None:
    diagnostics = [_diagnostic(d) for d in _analyse(ls, uri, with_verify=True).diagnostics]
    if hasattr(ls, "text_document_publish_diagnostics"):
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics))
    else:  # pragma: no cover - pygls 1.x
        ls.publish_diagnostics(uri, diagnostics)


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: LanguageServer, params: types.DidOpenTextDocumentParams) -> None:
    _publish(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: LanguageServer, params: types.DidChangeTextDocumentParams) -> None:
    _publish(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: LanguageServer, params: types.DidSaveTextDocumentParams) -> None:
    _publish(ls, params.text_document.uri)


def _word(ls: LanguageServer, params) -> tuple[analysis.Analysis, str | None]:
    doc = _document(ls, params.text_document.uri)
    a = _analyse(ls, params.text_document.uri)
    return a, analysis.word_at(doc.source, params.position.line, params.position.character)


@server.feature(types.TEXT_DOCUMENT_HOVER)
def hover(ls: LanguageServer, params: types.HoverParams) -> types.Hover | None:
    a, word = _word(ls, params)
    text = analysis.hover(a, word) if word else None
    if text is None:
        return None
    return types.Hover(contents=types.MarkupContent(types.MarkupKind.Markdown, text))


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
def definition(ls: LanguageServer, params: types.DefinitionParams) -> types.Location | None:
    a, word = _word(ls, params)
    span = analysis.definition(a, word) if word else None
    if span is None:
        return None
    return types.Location(from_fs_path(str(Path(span.file).resolve())) or span.file,
                          _range(span))


@server.feature(types.TEXT_DOCUMENT_COMPLETION,
                types.CompletionOptions(trigger_characters=["."]))
def completion(ls: LanguageServer, params: types.CompletionParams) -> types.CompletionList:
    doc = _document(ls, params.text_document.uri)
    a = _analyse(ls, params.text_document.uri)
    items = [types.CompletionItem(label, detail=detail)
             for label, detail in analysis.completions(a, doc.source, params.position.line,
                                                       params.position.character)]
    return types.CompletionList(is_incomplete=False, items=items)


@server.feature(types.TEXT_DOCUMENT_FORMATTING)
def formatting(ls: LanguageServer, params: types.DocumentFormattingParams
               ) -> list[types.TextEdit] | None:
    doc = _document(ls, params.text_document.uri)
    new = analysis.formatted(Path(to_fs_path(params.text_document.uri) or "rules"), doc.source)
    if new is None or new == doc.source:
        return None
    lines = doc.source.split("\n")
    end = types.Position(len(lines), 0)
    return [types.TextEdit(types.Range(types.Position(0, 0), end), new)]


def main() -> None:
    server.start_io()
