"""Plain-text rules shared by every form: free text never carries markup."""

import re

#: Anything that looks like an HTML tag or comment.
_MARKUP = re.compile(r"<\s*[a-zA-Z!/?]")
#: Control characters no one types (tab and line breaks are text). PostgreSQL refuses NUL in
#: text; the others are invisible and would end up in exports and e-mails.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_markup(text: str | None) -> bool:
    """True when ``text`` contains something that looks like an HTML tag."""
    return bool(text and _MARKUP.search(text))


def has_control_characters(text: str | None) -> bool:
    """True when ``text`` holds a control character other than tab and line breaks (NUL…)."""
    return bool(text and _CONTROL.search(text))


def without_control_characters(text: str) -> str:
    """``text`` without its control characters (tab and line breaks kept)."""
    return _CONTROL.sub("", text)
