"""Diagnostics: every problem in a rule file, located and rendered the way compilers do."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Span:
    """Where a piece of source stands: 1-based line and column, end exclusive."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    severity: str  # "error" | "warning"
    message: str
    span: Span
    hint: str | None = None

    def render(self, source: str | None) -> str:
        """`file:line:col: error: message`, the source line, a caret under the span, a hint."""
        out = [f"{self.span}: {self.severity}: {self.message}"]
        if source is not None:
            lines = source.splitlines()
            if 0 < self.span.line <= len(lines):
                text = lines[self.span.line - 1].expandtabs(1)
                width = 1
                if self.span.end_line == self.span.line:
                    width = max(1, self.span.end_column - self.span.column)
                out.append(f"  {text}")
                out.append("  " + " " * (self.span.column - 1) + "^" * width)
        if self.hint:
            out.append(f"  hint: {self.hint}")
        return "\n".join(out)


@dataclass
class RuleError(Exception):
    """Raised when rule files cannot be used: carries every diagnostic, not just the first."""

    diagnostics: list[Diagnostic]
    sources: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(self.render())

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    def render(self) -> str:
        return "\n".join(d.render(self.sources.get(d.span.file)) for d in self.diagnostics)

    def __str__(self) -> str:
        return self.render()


def read_source(path: Path, display: str, what: str,
                error: type[RuleError] = RuleError) -> str:
    """A source file's text, or `error` located at its first line saying why not.

    Rule files, rule tests and scenarios all read their sources this way, so an unreadable
    or non-UTF-8 file reads the same in every tool."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problem = f"not UTF-8 text ({exc.reason})"
    except OSError as exc:
        problem = f"cannot read the {what}: {exc.strerror}"
    raise error([Diagnostic("error", problem, Span(display, 1, 1, 1, 2))]) from None
