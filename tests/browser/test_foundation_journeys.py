"""Journeys of the foundation in a real browser, at desktop and phone sizes, with axe-core."""

import re

import pytest
import sqlalchemy as sa

from pdvsolutions.extensions import db
from pdvsolutions.models import Role, User

from .. import factories
from .conftest import check_a11y, login

pytestmark = pytest.mark.browser


def test_home_is_french_and_accessible(page, live_server):
    page.goto(live_server("/"))
    assert page.locator("html").get_attribute("lang") == "fr"
    assert "habitants" in page.locator("h1").inner_text()
    check_a11y(page)
    for path in ("/accessibilite", "/donnees-personnelles", "/connexion", "/activation",
                 "/mot-de-passe-oublie"):
        page.goto(live_server(path))
        check_a11y(page)


def test_resident_signs_up_logs_out_and_logs_in(page, live_server):
    page.goto(live_server("/inscription"))
    check_a11y(page)
    page.fill("#first_name", "Nadia")
    page.fill("#email", "nadia@example.org")
    page.select_option("#qpv_code", factories.QPV_HOME)
    page.fill("#password", "Un-jardin-partage-au-pied-du-bloc")
    page.fill("#password_confirm", "Un-jardin-partage-au-pied-du-bloc")
    page.check("#accept_privacy")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "Votre compte est créé" in page.content()
    check_a11y(page)
    page.click("header button:has-text('Se déconnecter')")
    assert "Vous êtes déconnecté" in page.content()
    login(page, live_server, "nadia@example.org", "Un-jardin-partage-au-pied-du-bloc")
    assert "Vous êtes connecté" in page.content()
    check_a11y(page)


def test_signup_errors_are_listed_and_linked(page, live_server):
    page.goto(live_server("/inscription"))
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert "Ce champ est obligatoire" in summary.inner_text()
    assert page.locator("#email").get_attribute("aria-invalid") == "true"
    check_a11y(page)


def test_language_switch_to_english_and_back(page, live_server):
    page.goto(live_server("/connexion"))
    page.click("header button:has-text('English')")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Log in"
    check_a11y(page)
    page.click("header button:has-text('Français')")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Se connecter"


def test_staff_creates_account_with_code_and_person_activates_it(page, live_server, browser):
    with live_server.app.app_context():
        factories.make_user(Role.STAFF, email="agent@example.org")
        db.session.commit()
    login(page, live_server, "agent@example.org")
    page.goto(live_server("/agents/comptes/nouveau"))
    check_a11y(page)
    page.fill("#first_name", "Mohamed")
    page.fill("#username", "mohamed.k")
    page.select_option("#role", "resident")
    page.select_option("#qpv_code", factories.QPV_HOME)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    code = page.locator(".code-box").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){3}", code)
    check_a11y(page)

    context = browser.new_context(viewport=page.viewport_size, locale="fr-FR")
    person = context.new_page()
    person.goto(live_server("/activation"))
    person.fill("#identifier", "mohamed.k")
    person.fill("#code", code.lower().replace("-", " "))
    person.fill("#password", "Le-marche-du-samedi-matin")
    person.fill("#password_confirm", "Le-marche-du-samedi-matin")
    person.click("main button[type=submit]")
    person.wait_for_load_state()
    assert "Votre compte est activé" in person.content()
    check_a11y(person)
    context.close()
    with live_server.app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == "mohamed.k"))
        assert user.password_hash is not None


def test_staff_browses_and_filters_the_audit_log(page, live_server):
    with live_server.app.app_context():
        factories.make_user(Role.STAFF, email="agent@example.org")
        db.session.commit()
    login(page, live_server, "agent@example.org")
    page.goto(live_server("/agents/journal"))
    assert page.locator("td:has-text('auth.login')").count() >= 1
    check_a11y(page)
    page.fill("#action", "auth.login")
    page.select_option("#outcome", "success")
    page.click("main form.filters button[type=submit]")
    page.wait_for_load_state()
    rows = page.locator("tbody tr")
    assert rows.count() >= 1
    assert all("auth.login" in rows.nth(i).inner_text() for i in range(rows.count()))
    check_a11y(page)


def test_signup_logout_and_login_work_without_javascript(no_js_page, live_server):
    page = no_js_page
    page.goto(live_server("/inscription"))
    page.click("main button[type=submit]")  # empty: the server lists the errors, no JS needed
    page.wait_for_load_state()
    assert page.locator("#error-summary").is_visible()
    page.fill("#first_name", "Yanis")
    page.fill("#email", "yanis@example.org")
    page.select_option("#qpv_code", factories.QPV_HOME)
    page.fill("#password", "Le-bus-de-six-heures-dix")
    page.fill("#password_confirm", "Le-bus-de-six-heures-dix")
    page.check("#accept_privacy")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "Votre compte est créé" in page.content()
    page.click("header button:has-text('Se déconnecter')")
    page.wait_for_load_state()
    assert "Vous êtes déconnecté" in page.content()
    login(page, live_server, "yanis@example.org", "Le-bus-de-six-heures-dix")
    assert "Vous êtes connecté" in page.content()
    page.goto(live_server("/compte"))
    assert page.locator("h1").inner_text() == "Mon compte"
