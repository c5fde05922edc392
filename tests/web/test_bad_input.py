"""Every form of the access table, sent empty, too long, with HTML/script, a bad e-mail or a
wrong code: no 500, a French page with the error shown, nothing written.

Generic on purpose: it walks ``tests.access.matrix.all_cases()``, so the forms that later
features add are covered without touching this file.
"""

import pytest
import sqlalchemy as sa

from pdvsolutions import create_app
from pdvsolutions.extensions import db
from pdvsolutions.models import AuditEvent

from ..access.matrix import all_cases, build_world, login_as
from ..forms_html import ENGLISH_MESSAGES, HtmlField, forms_of

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
LONG = ("Des cafards dans la cage d'escalier " * 300)[:10_000]
PLAUSIBLE_PASSWORD = "Un-jardin-partage-au-pied-du-bloc"


def _form_cases():
    """GET cases of the access table whose URL rule also accepts POST (form pages)."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "SECRET_KEY": "collection-only-key-0123456789abcdef"})
    posting = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    return [case for case in all_cases()
            if case.method == "GET" and case.ok == 200 and case.endpoint in posting]


def _page_forms(html: str, path: str) -> list[list[HtmlField]]:
    return [form.fields for form in forms_of(html)
            if form.method == "post" and form.action in ("", path)]


def _is_code(field: HtmlField) -> bool:
    return field.is_text and field.type != "hidden" and "code" in field.name.lower()


def _plausible(field: HtmlField) -> str:
    if field.type == "email":
        return "personne@example.org"
    if field.type == "password":
        return PLAUSIBLE_PASSWORD
    if field.type == "date":
        return "2026-03-02"
    if field.type == "number":
        return "1"
    return "Texte valide"


def _payload(fields: list[HtmlField], kind: str) -> dict | None:
    """The data to POST for ``kind``, or None when the form has nothing this kind can test."""
    text = [f for f in fields if f.is_text and f.name != "csrf_token"]
    if kind != "empty" and not text:
        return None
    if kind == "bad_email" and not any(f.type == "email" for f in fields):
        return None
    if kind == "wrong_code" and not any(_is_code(f) for f in fields):
        return None
    data: dict[str, str] = {}
    for field in fields:
        if field.name == "csrf_token":
            data[field.name] = field.value
        elif field.type == "file":
            continue
        elif field.tag == "select":
            valid = [value for value in field.options if value]
            data[field.name] = "" if kind == "empty" or not valid else valid[0]
        elif field.type in ("checkbox", "radio"):
            if kind != "empty":
                data.setdefault(field.name, field.value or "y")
        elif kind == "empty":
            data[field.name] = ""
        elif kind == "long":
            data[field.name] = LONG
        elif kind in ("script", "img"):
            data[field.name] = SCRIPT if kind == "script" else IMG
        elif kind == "bad_email":
            data[field.name] = "pas-une-adresse@" if field.type == "email" else _plausible(field)
        elif kind == "wrong_code":
            data[field.name] = "ZZZZ-ZZZZ-ZZZZ-ZZZZ" if _is_code(field) else _plausible(field)
    return data


def _row_counts() -> dict[str, int]:
    """Rows per table, but the audit log: refusals are recorded there (checked separately)."""
    return {table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
            for table in db.metadata.sorted_tables if table.name != AuditEvent.__tablename__}


def _allowed_persona(case, world) -> str:
    for persona in world.users:
        if case.expected(persona, world.groups[persona]) == case.ok:
            return persona
    raise AssertionError(f"no persona may open {case.id}")


KINDS = ["empty", "long", "script", "img", "bad_email", "wrong_code"]


@pytest.mark.parametrize("case", _form_cases(), ids=lambda c: c.endpoint)
def test_bad_input_is_refused_in_french_and_changes_nothing(app, client, case):
    with app.app_context():
        world = build_world()
        db.session.commit()
        url = case.resolve_url(world)
        login_as(client, world.users[_allowed_persona(case, world)])
        before = _row_counts()
        last_audit = db.session.scalar(sa.select(sa.func.max(AuditEvent.id))) or 0
    page = client.get(url)
    assert page.status_code == 200, f"GET {url}: {page.status_code}"
    path = url.split("?")[0]
    forms = _page_forms(page.get_data(as_text=True), path)
    assert forms, f"no POST form on {url}"
    tried = 0
    for fields in forms:
        for kind in KINDS:
            data = _payload(fields, kind)
            if data is None:
                continue
            tried += 1
            where = f"{case.endpoint} [{kind}]"
            response = client.post(url, data=data)
            html = response.get_data(as_text=True)
            # 422 is a form re-rendered with its errors (the ballot pages answer so).
            assert response.status_code in (200, 302, 422), f"{where}: HTTP {response.status_code}"
            assert "<script>alert(1)" not in html and "<img src=x onerror" not in html, where
            if response.status_code in (200, 422):
                assert 'lang="fr"' in html, where
                assert 'aria-invalid="true"' in html or 'id="error-summary"' in html, where
                assert not any(message in html for message in ENGLISH_MESSAGES), where
            else:
                with client.session_transaction() as session:
                    assert session.get("_flashes"), f"{where}: redirect without a message"
                    session.pop("_flashes")
            with app.app_context():
                assert _row_counts() == before, f"{where}: rows written"
                new_events = db.session.scalars(
                    sa.select(AuditEvent).where(AuditEvent.id > last_audit)).all()
                assert all(e.outcome != "success" for e in new_events), \
                    f"{where}: {[e.action for e in new_events]}"
    assert tried, f"{case.endpoint}: no payload applies to its form"
