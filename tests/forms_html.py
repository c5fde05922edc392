"""The forms of a rendered page, read with the standard HTML parser (shared by the generic
bad-input test and the security fuzz: both discover forms and field names from the pages)."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

#: WTForms' English default messages: seeing one means a message escaped translation.
ENGLISH_MESSAGES = ("Not a valid", "This field is required", "Invalid ", "Field must be",
                    "Please ", "is not a valid")
#: Input types whose value is free text typed by a person (hidden included: it is sent as is).
TEXT_TYPES = {"text", "email", "password", "search", "tel", "url", "number", "date",
              "hidden", "textarea", ""}


class HtmlField:
    """One named field of a form: input, textarea or select (with its options' values)."""

    def __init__(self, tag, attrs):
        self.tag = tag
        self.attrs = attrs
        self.name = attrs.get("name")
        self.type = (attrs.get("type") or ("textarea" if tag == "textarea" else "")).lower()
        self.value = attrs.get("value", "")
        self.options: list[str] = []

    @property
    def is_text(self) -> bool:
        return self.tag == "textarea" or (self.tag == "input" and self.type in TEXT_TYPES)

    def __repr__(self):
        return f"<{self.tag} {self.type} {self.name}>"


@dataclass
class HtmlForm:
    action: str
    method: str
    enctype: str
    fields: list[HtmlField] = field(default_factory=list)


class FormParser(HTMLParser):
    """Collect the forms of a page and their fields."""

    def __init__(self):
        super().__init__()
        self.forms: list[HtmlForm] = []
        self._form: HtmlForm | None = None
        self._select: HtmlField | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = HtmlForm(action=attrs.get("action") or "",
                                  method=(attrs.get("method") or "get").lower(),
                                  enctype=(attrs.get("enctype") or "").lower())
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "textarea", "select"):
            item = HtmlField(tag, attrs)
            if item.name and item.type not in ("submit", "button", "reset", "image"):
                self._form.fields.append(item)
                self._select = item if tag == "select" else None
        elif tag == "option" and self._select is not None:
            self._select.options.append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def forms_of(html: str) -> list[HtmlForm]:
    """Every form of ``html``, in page order."""
    parser = FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms
