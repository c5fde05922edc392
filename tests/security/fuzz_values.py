"""Hypothesis strategies of hostile form values, per kind of field.

Each field gets either a plausible value (so that the rest of a form passes and the hostile
value of another field reaches the code behind it), a hostile value of its kind, or nothing.
"""

import io
import re

from hypothesis import strategies as st

from ..forms_html import HtmlField

#: A field left out of the submission.
OMIT = object()
MEGABYTE = 1_000_000
PLAUSIBLE_PASSWORD = "Un-jardin-partage-au-pied-du-bloc"

SCRIPTS = [
    "<script>alert(1)</script>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "<a href=javascript:alert(1)>clic</a>",
    "javascript:alert(1)",
    " JaVaScRiPt:alert(1)",
    "<iframe src=//evil.example></iframe>",
    '" onmouseover="alert(1)" x="',
    "' onfocus='alert(1)' autofocus '",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "<scr<script>ipt>alert(1)</script>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)",
    "<!--",
    "]]>",
    "<",
    "a < b > c",
]
SQL = [
    "' OR '1'='1",
    "' OR 1=1 --",
    "\" OR 1=1 --",
    "'; DROP TABLE users; --",
    "1; DELETE FROM needs",
    "') UNION SELECT password_hash FROM users --",
    "%",
    "_",
    "%%",
    "\\",
    "\\'",
    "' || (SELECT 1) || '",
    "$1",
]
ODD = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x00" * 10,
    "\r\n",
    "ligne 1\r\nligne 2",
    "\t",
    "\x1b[31mrouge",
    "\x7f",
    "\x08\x0b\x0c",
    "\u202eRTL",
    "\u200b\u200c\u200d",
    "\ufeff",
    "\ufffd",
    "\uffff",
    "\U0010ffff",
    "𝕏𝔶𝖟",
    "🏠👩‍👩‍👧🇫🇷",
    "e\u0301\u0301\u0301",
    "Z̷̢͎̈́a̵̧̐l̶̨̈g̸̡̈o̵̧͐",
    "ﷺ",
    "Ⅻ",
    "ß",
    "İ",
    "{{ 7*7 }}",
    "{% raw %}",
    "%(x)s",
    "%s%s%s%n",
    "{0}",
    "${7*7}",
    "null",
    "None",
    "undefined",
    "NaN",
    "true",
    "../../../../etc/passwd",
    "CON",
    "=cmd|' /C calc'!A0",
]
HOSTILE_TEXT = SCRIPTS + SQL + ODD
#: Lengths around common column sizes and text limits.
LONG_SIZES = [81, 121, 161, 201, 255, 256, 301, 501, 1001, 2001, 4001, 5001, 8001, 20_001]
#: Near and past the size limits of a form (500 kB a field, 8 MB a request): costly to send
#: and to parse, so one example in HUGE_ONE_IN gets one (see ``huge``).
HUGE_SIZES = [100_001, 499_000, 500_001, MEGABYTE]
HUGE_ONE_IN = 50
LONG_UNITS = ["a", "é", "💥", "<", "\x00", "'", "' OR 1=1 ", "Des cafards ", "9"]
HUGE_NUMBERS = [
    "0", "-0", "-1", "-2147483648", "2147483647", "2147483648", "-2147483649",
    "4294967296", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
    "18446744073709551616", "1" + "0" * 30, "9" * 400, "-" + "9" * 40,
    "1e309", "-1e309", "1e-309", "1e10", "NaN", "nan", "inf", "-inf", "Infinity",
    "0x10", "0b11", "0o7", "1_000", "1 000", "1,5", "1.5", "+1", "- 1", "00000000001",
    "１２３", "٣", "߃", "²", "1e3", ".5", "5.", "--1", "1-",
]
MONEY = [
    "1 234,56", "12 000 €", "1234.5", "0,01", "0", "-5,00", "-0,01", "1,234.50", "0,001",
    "99999999999999999999,99", "100000000,01", "1e3", "1\u00a0000", "1\u202f000,00",
    "€", "EUR", ",", ".", "1,,2",
]
DATES = [
    "0000-00-00", "2026-02-30", "2026-13-01", "2026-00-10", "9999-12-31", "0001-01-01",
    "-0001-01-01", "10000-01-01", "99999-01-01", "2026-1-1", "01/02/2026", "02/30/2026",
    "2026-02-03T12:00", "2026-02-03 12:00:00", "now", "today", "1e9", "2026-W05",
]
IDS = ["0", "-1", "1.5", "2147483648", "9223372036854775808", "1" + "0" * 30, "abc", "1 OR 1=1",
       "\x00", "", "1\x00"]
#: ``next`` values that would send a browser to another site if followed blindly.
REDIRECTS = [
    "//evil.example", "///evil.example", "////evil.example", "\\\\evil.example",
    "/\\evil.example", "\\/evil.example", "/\\/evil.example", "https:evil.example",
    "http:evil.example", "https://evil.example", "HTTPS://evil.example", "//evil.example/%2F..",
    "javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "/%2F%2Fevil.example",
    "%2F%2Fevil.example", "/%5Cevil.example", "%5C%5Cevil.example", "/%09/evil.example",
    "/\t/evil.example", "\t//evil.example", " //evil.example", "/\r\n/evil.example",
    "/\r\nLocation: https://evil.example", "/%0d%0aSet-Cookie:x=1", "\x00//evil.example",
    "/\x00/evil.example", "//evil.example@localhost", "/@evil.example",
    "https://localhost@evil.example", "//localhost.evil.example", "/.//evil.example",
    "/\u3002evil.example", "/\uff0fevil.example", "\uff0f\uff0fevil.example",
    "//evil%E3%80%82example", "\\\\\\evil.example", "/ /evil.example", "/appels", "/",
]
_SLASHES = ["/", "\\", "%2F", "%5C", "%2f", "%5c", "\t", "\r", "\n", " ", "\x00", ":", "@",
            ".", "%0a", "%0d", "evil.example", "http", "https:", "javascript:", "\uff0f",
            "%E3%80%82", "?", "#"]


def _long(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def long_text() -> st.SearchStrategy[str]:
    return st.builds(_long, st.sampled_from(LONG_UNITS), st.sampled_from(LONG_SIZES))


def huge() -> st.SearchStrategy[str | None]:
    """Mostly nothing; one time in HUGE_ONE_IN, a string of 100 kB to 1 MB for one field."""
    # Hypothesis favours small integers, the ends of ranges and values already seen: a
    # residue of a wide range is rare as intended (and shrinks towards no huge string).
    return st.integers(min_value=0, max_value=2**32).flatmap(
        lambda n: st.builds(_long, st.sampled_from(LONG_UNITS), st.sampled_from(HUGE_SIZES))
        if n % HUGE_ONE_IN == HUGE_ONE_IN - 1 else st.none())


def text() -> st.SearchStrategy[str]:
    """Free text: unicode of every category, script and SQL, controls, very long strings."""
    return st.one_of(
        st.sampled_from(HOSTILE_TEXT),
        st.text(max_size=30),
        st.lists(st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(max_size=6)),
                 min_size=2, max_size=5).map("".join),
        long_text(),
    )


def redirect_target() -> st.SearchStrategy[str]:
    """Values of ``next``: known tricks, and random mixes of slashes, schemes and controls."""
    return st.one_of(
        st.sampled_from(REDIRECTS),
        st.lists(st.sampled_from(_SLASHES), min_size=1, max_size=8).map("".join),
        text(),
    )


def number() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(HUGE_NUMBERS),
                     st.integers(min_value=-(2**80), max_value=2**80).map(str), text())


def money() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(MONEY), number(),
                     st.decimals(allow_nan=True, allow_infinity=True, places=3).map(str))


def date() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(DATES), st.dates().map(lambda d: d.isoformat()), text())


def choice(options: list[str]) -> st.SearchStrategy[str]:
    """A select, radio or id: another option's value, an out-of-range id, any text."""
    values = [v for v in options if v] or ["1"]
    return st.one_of(st.sampled_from(IDS), st.sampled_from(values).map(lambda v: v + "0"),
                     number(), text())


def upload() -> st.SearchStrategy[tuple]:
    """A small file: odd names (paths, NUL, markup, very long), odd content, odd types."""
    names = st.one_of(
        st.sampled_from(["statuts.pdf", "../../../etc/passwd", "..\\..\\boot.ini", "a\x00.pdf",
                         "é à ü.pdf", ".pdf", "<script>alert(1)</script>.pdf", "x.PDF",
                         "x.pdf.exe", "x.svg", "x.html", "", " ", "CON.pdf", "x" * 300 + ".pdf"]),
        st.text(max_size=20).map(lambda s: s + ".pdf"),
    )
    contents = st.one_of(
        st.sampled_from([b"%PDF-1.4\n% test\n", b"", b"<script>alert(1)</script>",
                         b"%PDF-1.4\n<script>alert(1)</script>", b"\x00" * 64,
                         b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>']),
        st.binary(max_size=2048),
    )
    types = st.sampled_from(["application/pdf", "text/html", "image/svg+xml", "image/png",
                             "application/octet-stream", ""])
    return st.tuples(contents, names, types)


def to_file(value: tuple):
    content, name, content_type = value
    return (io.BytesIO(content), name, content_type or None)


_MONEY_NAME = re.compile(r"amount|envelope|total|planned|actual|yearly|year\d|year_amount")


def kind(item: HtmlField) -> str:
    """The kind of value a field expects, from its HTML."""
    if item.name == "next":
        return "next"
    if item.tag == "select":
        return "select"
    if item.type in ("checkbox", "radio"):
        return item.type
    if item.type in ("file", "date", "number", "hidden", "email", "password"):
        return item.type
    if item.attrs.get("inputmode") in ("decimal", "numeric") or _MONEY_NAME.search(item.name):
        return "money"
    return "text"


def plausible(item: HtmlField, values: list[str]) -> str:
    """A value a person could have typed or chosen (the page's own choice when there is one)."""
    category = kind(item)
    valid = [v for v in values if v]
    if category in ("select", "checkbox", "radio") and valid:
        return valid[0]
    return {
        "email": "personne@example.org", "password": PLAUSIBLE_PASSWORD, "date": "2026-03-02",
        "number": "1", "money": "1 000,00", "hidden": item.value, "next": "/",
        "select": "", "checkbox": "y", "radio": "",
    }.get(category, "Texte valide")


def hostile(item: HtmlField, values: list[str]) -> st.SearchStrategy:
    category = kind(item)
    if category == "next":
        return redirect_target()
    if category == "file":
        return upload().map(to_file)
    if category in ("select", "radio", "checkbox"):
        many = st.lists(choice(values), min_size=2, max_size=4)
        return st.one_of(choice(values), many) if category == "checkbox" else choice(values)
    return {"number": number(), "money": money(), "date": date(),
            "hidden": st.one_of(choice([item.value]), text())}.get(category, text())


def field_value(item: HtmlField, values: list[str], default: str | None) -> st.SearchStrategy:
    """Plausible (the access table's valid value when it has one), hostile, or left out."""
    if kind(item) == "file":
        good = st.just((b"%PDF-1.4\n% test\n", "statuts.pdf", "application/pdf")).map(to_file)
    else:
        good = st.just(default if default is not None else plausible(item, values))
    return st.one_of(good, hostile(item, values), st.just(OMIT))


#: Names an attacker adds to a form: mass assignment, CSRF, redirects, odd keys.
EXTRA_NAMES = ["next", "role", "is_admin", "csrf_token", "id", "round_id", "status", "phase",
               "user_id", "amount_cents", "__class__", "a" * 300, "x\x00", "é", "[]", "a[b]"]


def extra_fields() -> st.SearchStrategy[dict]:
    return st.dictionaries(st.one_of(st.sampled_from(EXTRA_NAMES), st.text(max_size=8)),
                           st.one_of(redirect_target(), text()), max_size=3)


#: Ids put into the URL in place of the real one: none of them may be a server error.
PATH_IDS = ["0", "2147483647", "2147483648", "9223372036854775807", "9223372036854775808",
            "1" + "0" * 30, "9" * 100, "9" * 5000]
_PATH_NUMBER = re.compile(r"/(\d+)(?=/|$)")


def url_variant(url: str) -> st.SearchStrategy[str]:
    """The form's own address, mostly; sometimes with an id replaced, or a ``next`` added."""
    path, _, query = url.partition("?")
    choices = [st.just(url)] * 4
    if _PATH_NUMBER.search(path):
        choices.append(st.sampled_from(PATH_IDS).map(
            lambda new: _PATH_NUMBER.sub(f"/{new}", path, count=1) + (f"?{query}" if query else "")))
    choices.append(redirect_target().map(lambda nxt: (path, query, nxt)).map(_with_next))
    return st.one_of(*choices)


def _with_next(parts) -> str:
    from urllib.parse import urlencode

    path, query, nxt = parts
    return path + "?" + "&".join(filter(None, [query, urlencode({"next": nxt})]))
