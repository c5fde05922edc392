"""Plain-text rules shared by every form: free text never carries markup."""

import re

#: Anything that looks like an HTML tag or comment.
_MARKUP = re.compile(r"<\s*[a-zA-Z!/?]")


def has_markup(text: str | None) -> bool:
    """True when ``text`` contains something that looks like an HTML tag."""
    return bool(text and _MARKUP.search(text))
