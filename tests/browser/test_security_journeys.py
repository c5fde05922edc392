"""Journeys of the security area in a real browser: staff enrols a second factor and signs in
with it; a resident downloads their data and deletes their account."""

import re
import time
from pathlib import Path

import pyotp
import pytest

from pdvsolutions.extensions import db
from pdvsolutions.models import Role

from .. import factories
from ..factories_security import make_need
from .conftest import check_a11y, login

pytestmark = pytest.mark.browser


def test_staff_enrols_an_app_then_signs_in_with_a_code(page, live_server):
    live_server.app.config["MFA_REQUIRED"] = True
    with live_server.app.app_context():
        factories.make_user(Role.STAFF, email="agent@example.org")
        db.session.commit()
    login(page, live_server, "agent@example.org")
    assert page.url.endswith("/connexion/application")
    check_a11y(page)
    secret = page.locator("p.code-box").inner_text().replace(" ", "")
    page.fill("#code", pyotp.TOTP(secret).now())
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("ul.recovery-codes li").count() == 10
    check_a11y(page)
    page.click("text=Continuer")
    page.click("header button:has-text('Se déconnecter')")
    page.wait_for_load_state()
    login(page, live_server, "agent@example.org")
    assert page.url.endswith("/connexion/code")
    check_a11y(page)
    page.fill("#code", "000000")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#code").get_attribute("aria-invalid") == "true"
    check_a11y(page)
    # The enrolment code's step is spent: the next step's code signs in (no wait: window ±1).
    step = int(time.time()) // 30
    page.fill("#code", pyotp.TOTP(secret).generate_otp(step + 1))
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    page.goto(live_server("/agents/"))
    assert page.locator("h1").count() == 1 and "/agents/" in page.url


def test_resident_downloads_data_and_deletes_account(page, live_server):
    with live_server.app.app_context():
        samia = factories.make_user(Role.RESIDENT, email="samia@example.org")
        make_need(samia, title="Cours du soir")
        db.session.commit()
    login(page, live_server, "samia@example.org")
    page.goto(live_server("/compte"))
    check_a11y(page)
    with page.expect_download() as download:
        page.click("text=Télécharger mes données (JSON)")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert "Cours du soir" in text and "samia@example.org" in text
    page.click("main a:has-text('Supprimer mon compte')")
    check_a11y(page)
    page.fill("#password", factories.PASSWORD)
    page.check("#confirm")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert re.search("Votre compte est supprimé", page.content())
    check_a11y(page)
