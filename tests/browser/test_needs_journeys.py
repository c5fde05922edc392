"""Journeys of the needs area in a real browser, at desktop and phone sizes, with axe-core."""

import pytest
import sqlalchemy as sa

from pdvsolutions.extensions import db
from pdvsolutions.models import Need, NeedStatus, Role, Round, User
from pdvsolutions.rules.phases import Phase
from pdvsolutions.services import needs as needs_service

from .. import factories
from ..factories_needs import make_need, make_round, support
from .conftest import check_a11y, login

pytestmark = pytest.mark.browser


def _world(live_server, phase=Phase.NEEDS) -> dict:
    with live_server.app.app_context():
        round_ = make_round(phase)
        resident = factories.make_user(Role.RESIDENT, email="samia@example.org")
        neighbour = factories.make_user(Role.RESIDENT, email="karim@example.org",
                                        first_name="Karim")
        staff = factories.make_user(Role.STAFF, email="agent@example.org")
        other = make_need(round_, neighbour, title="Des cours de soutien le soir")
        duplicate = make_need(round_, neighbour, title="Plus de cafards dans les caves")
        support(duplicate, resident)
        db.session.commit()
        return {"round": round_.id, "other": other.id, "duplicate": duplicate.id,
                "staff": staff.id}


def test_resident_posts_a_need_supports_another_and_sees_it_hidden(page, live_server):
    world = _world(live_server)
    login(page, live_server, "samia@example.org")
    page.goto(live_server(f"/appels/{world['round']}"))
    check_a11y(page)
    page.click("main a:has-text('Proposer une solution attendue')")
    check_a11y(page)
    page.fill("#title", "On ne veut plus de cafards dans le quartier")
    page.fill("#description", "Chaque été ils reviennent dans les appartements.")
    page.select_option("#field_id", label="Cadre de vie")
    page.fill("#place", "bâtiment C")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "Votre solution attendue est publiée" in page.content()
    check_a11y(page)

    page.goto(live_server(f"/appels/{world['round']}/solutions"))
    check_a11y(page)
    card = page.locator("article.need", has_text="Des cours de soutien le soir")
    card.locator("button:has-text('Je soutiens')").click()
    page.wait_for_load_state()
    assert "Votre soutien est enregistré." in page.content()
    check_a11y(page)

    with live_server.app.app_context():
        need = db.session.scalar(sa.select(Need).where(Need.title.like("On ne veut plus%")))
        needs_service.hide(need, db.session.get(User, world["staff"]),
                           "Ce besoin existe déjà sous un autre titre.")
        db.session.commit()
    page.click("header a:has-text('Mes solutions attendues')")
    page.wait_for_load_state()
    assert "Ce besoin existe déjà sous un autre titre." in page.content()
    check_a11y(page)


def test_staff_moderates_merges_retains_and_opens_the_call(page, live_server):
    world = _world(live_server)
    login(page, live_server, "agent@example.org")
    page.goto(live_server("/agents/appels/nouveau"))
    check_a11y(page)
    page.goto(live_server(f"/agents/appels/{world['round']}/solutions"))
    check_a11y(page)

    page.goto(live_server(f"/agents/solutions/{world['duplicate']}"))
    check_a11y(page)
    page.select_option("#merge-kept_id", value=str(world["other"]))
    page.click("main button:has-text('Regrouper')")
    page.wait_for_load_state()
    assert "Doublon fusionné" in page.content()

    page.goto(live_server(f"/agents/solutions/{world['other']}"))
    page.fill("#hide-reason", "")
    page.click("main button:has-text('Masquer avec ce motif')")
    page.wait_for_load_state()
    assert page.locator("#error-summary").is_visible()
    check_a11y(page)
    page.fill("#retain-call_title", "Un accompagnement scolaire le soir")
    page.click("main button:has-text('Retenir pour l')")
    page.wait_for_load_state()
    assert "Solution attendue retenue pour l" in page.content()

    page.goto(live_server(f"/agents/appels/{world['round']}"))
    check_a11y(page)
    page.click("main a:has-text('Passer à l')")
    page.wait_for_load_state()
    check_a11y(page)
    page.click("main button:has-text('Confirmer')")
    page.wait_for_load_state()
    assert "L'appel est passé à l'étape" in page.content()
    with live_server.app.app_context():
        assert db.session.get(Round, world["round"]).phase is Phase.CALL
        assert db.session.get(Need, world["other"]).status is NeedStatus.RETAINED


def test_anonymous_reads_the_call_and_its_printable_version(page, live_server):
    world = _world(live_server, Phase.CALL)
    with live_server.app.app_context():
        need = db.session.get(Need, world["other"])
        need.status = NeedStatus.RETAINED
        db.session.commit()
    page.goto(live_server("/"))
    page.click("main a:has-text('Appel 2026')")
    page.wait_for_load_state()
    check_a11y(page)
    page.click("main a:has-text('L’appel à solutions'), main a:has-text(\"L'appel à solutions\")")
    page.wait_for_load_state()
    assert "Des cours de soutien le soir" in page.locator("table").inner_text()
    check_a11y(page)
    page.click("main a:has-text('Version à imprimer')")
    page.wait_for_load_state()
    check_a11y(page)
    page.emulate_media(media="print")
    assert not page.locator("header.site-header").is_visible()
