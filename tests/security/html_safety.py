"""Is a rendered page free of script a visitor did not write? An HTML-parser check.

The app's pages carry no inline script and no event handler (the CSP forbids them): the only
scripts are files under ``/static/js/``. So any other ``<script>`` element, any ``on…``
attribute, any ``javascript:`` (or ``vbscript:``, or non-image ``data:``) address, or an element
that loads active content (iframe, object, embed, base, meta refresh) means that something
typed by someone reached the page unescaped.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pdvsolutions

#: The only scripts the app serves (progressive enhancement), by their public path.
KNOWN_SCRIPTS = frozenset(
    f"/static/js/{path.name}"
    for path in (Path(pdvsolutions.__file__).parent / "static" / "js").glob("*.js")
)
#: Attributes whose value is an address a browser may follow or load.
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data",
                            "poster", "background", "cite", "ping", "srcset", "longdesc",
                            "manifest", "codebase", "lowsrc", "dynsrc"})
ACTIVE_TAGS = frozenset({"iframe", "frame", "frameset", "object", "embed", "applet", "base"})
_BAD_SCHEME = re.compile(r"^(javascript|vbscript|livescript|data):", re.IGNORECASE)
#: Browsers drop these before reading an address's scheme: spaces and controls around it,
#: tabs and newlines anywhere inside.
_IGNORED_IN_URL = re.compile(r"[\t\n\r]")
_SCRIPT_OPENING = re.compile(r"<script\b", re.IGNORECASE)


def _scheme_part(value: str) -> str:
    return _IGNORED_IN_URL.sub("", value.strip("".join(map(chr, range(33)))))


class _Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.scripts = 0
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self._check(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self._check(tag, attrs)

    def _check(self, tag, attrs):
        names = dict(attrs)
        if tag == "script":
            self.scripts += 1
            self._in_script = True
            if names.get("src") not in KNOWN_SCRIPTS:
                self.problems.append(f"<script> not among the app's scripts: {attrs!r}")
        if tag in ACTIVE_TAGS:
            self.problems.append(f"<{tag}> element: {attrs!r}")
        if tag == "meta" and (names.get("http-equiv") or "").lower() == "refresh":
            self.problems.append(f"<meta http-equiv=refresh>: {attrs!r}")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}= on <{tag}>: {value!r}"[:300])
            elif name in URL_ATTRIBUTES and value and _BAD_SCHEME.match(_scheme_part(value)):
                if not (tag == "img" and name == "src"
                        and _scheme_part(value).lower().startswith("data:image/")):
                    self.problems.append(f"{name}={value[:80]!r} on <{tag}>")
            elif name == "style" and value and re.search(r"expression\s*\(|javascript:",
                                                         value, re.IGNORECASE):
                self.problems.append(f"style={value[:80]!r} on <{tag}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.problems.append(f"inline script: {data[:80]!r}")


def script_problems(html: str) -> list[str]:
    """What in ``html`` could run script that the app did not write (empty list: safe)."""
    checker = _Checker()
    checker.feed(html)
    checker.close()
    # A parser may disagree with a browser on broken markup: count the raw openings too.
    raw = len(_SCRIPT_OPENING.findall(html))
    if raw != checker.scripts:
        checker.problems.append(f"{raw} '<script' openings in the text, {checker.scripts} parsed")
    return checker.problems
