"""Text from people: checked when it comes in, made harmless when it goes out.

Partners and account admins type names, e-mails and ids that support engineers later see
in their terminals. A name holding `ESC [2J` would clear that terminal, `ESC ]0;…BEL` set
its title, OSC 52 write its clipboard; bidi overrides make a name read as another. So:

- at input (`check_id`, `check_name`, `check_email`, `check_quantity`): ids match a small
  alphabet as a whole (`re.fullmatch`: `$` would let a trailing newline through), names
  and e-mails are Unicode NFC with no control characters and no bidi controls, lengths
  and quantities have sane upper bounds;
- at output (`printable`): whatever is stored (old data, a hand-edited file, an import)
  is shown with its control characters written out (`\\x1b`) and its bidi controls marked
  (`\\u202e`), so nothing stored ever reaches a terminal as a command.

JSON keeps the exact stored value; `json_safe` only spells the dangerous characters the
JSON way (`\\u001b`), which decodes to the same string.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from .errors import BadInput
from .i18n import t

ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
NAME_MAX = 200
# RFC 5321's limit for a whole address.
EMAIL_MAX = 254
# More licenses than any one order of a real customer: a typo, not a purchase.
MAX_QUANTITY = 1_000_000

# Bidi embeddings, overrides and isolates, and the implicit marks (LRM, RLM, ALM): they
# reorder what a terminal shows, so "txt.exe" can read as "exe.txt".
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
# C0 (with DEL), C1, the Unicode line and paragraph separators, and the bidi controls.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029" + BIDI_CONTROLS + "]")
# json.dumps already escapes C0 inside strings; its own line breaks are layout.
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u2028\u2029" + BIDI_CONTROLS + "]")


def _spelled(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object) -> str:
    """`text` safe for a terminal: control characters written out (ESC → `\\x1b`), bidi
    controls and line separators marked (`\\u202e`); everything else as it is."""
    s = text if isinstance(text, str) else str(text)
    return _UNSAFE.sub(_spelled, s)


def printable_lines(text: str) -> str:
    """Like `printable`, for text made of lines: the line breaks stay line breaks."""
    return "\n".join(printable(line) for line in text.split("\n"))


def json_safe(json_text: str) -> str:
    """JSON text (from `json.dumps(..., ensure_ascii=False)`) with every character a
    terminal could act on spelled `\\uXXXX`. Such characters can only stand inside JSON
    strings, where the escape decodes to the very same value."""
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", json_text)


class TerminalSafe:
    """A text stream that passes everything written to it through, except characters a
    terminal could act on, which it spells `\\uXXXX` (line breaks and tabs pass). The
    CLI writes through it, so even output nobody thought of escaping stays harmless; the
    spelling is also a valid JSON escape, so JSON written through it still decodes."""

    _ACTS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029" + BIDI_CONTROLS + "]")

    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(self._ACTS.sub(lambda m: f"\\u{ord(m.group()):04x}", text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def unsafe_character(text: str) -> tuple[int, str] | None:
    """The first character a terminal could act on, with its position, or None."""
    m = _UNSAFE.search(text)
    return (m.start(), m.group()) if m else None


# Input checks: each raises BadInput (exit 2) naming the field, the problem and where. ----


def check_id(value: str, lang: str) -> str:
    if not isinstance(value, str) or ID_PATTERN.fullmatch(value) is None:
        raise BadInput(t("bad_id", lang, value=printable(value)))
    return value


def _clean(value: str, field: str, limit: int, lang: str) -> str:
    field = t(f"text_field_{field}", lang)
    text = unicodedata.normalize("NFC", value).strip()
    bad = unsafe_character(text)
    if bad is not None:
        pos, ch = bad
        key = "text_bidi" if ch in BIDI_CONTROLS else "text_control"
        raise BadInput(t(key, lang, field=field, char=printable(ch), pos=pos + 1))
    if len(text) > limit:
        raise BadInput(t("text_too_long", lang, field=field, limit=limit, length=len(text)))
    return text


def check_name(value: str | None, lang: str) -> str:
    """A display name: NFC, trimmed, non-empty, printable, at most NAME_MAX characters."""
    text = _clean(value or "", "name", NAME_MAX, lang)
    if not text:
        raise BadInput(t("empty_name", lang))
    return text


def check_email(value: str | None, lang: str) -> str | None:
    """An e-mail address or None: printable, no spaces, one '@' with text on each side."""
    if value is None or not value.strip():
        return None
    text = _clean(value, "email", EMAIL_MAX, lang)
    local, at, domain = text.rpartition("@")
    if not at or not local or not domain or any(c.isspace() for c in text):
        raise BadInput(t("bad_email", lang, value=text))
    return text


def check_quantity(value: object, lang: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_QUANTITY:
        raise BadInput(t("bad_quantity", lang, value=printable(value), limit=MAX_QUANTITY))
    return value


def counted(n: int, one: str, other: str | None = None) -> str:
    """``n`` and its English noun in the right number: "1 file", "2 files". For the
    rule-author tools, whose output is English (their keywords are); everything an
    operator reads is worded through the catalogs' plural forms instead."""
    return f"{n} {one if n == 1 else (other or one + 's')}"
