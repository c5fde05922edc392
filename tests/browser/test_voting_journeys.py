"""Vote journeys in a real browser (desktop and phone), with axe-core on every page."""

import pytest
import sqlalchemy as sa

from pdvsolutions.extensions import db
from pdvsolutions.models import Ballot, BallotType, Role, SignIn

from .. import factories
from ..factories_voting import vote_world
from .conftest import check_a11y, login

pytestmark = pytest.mark.browser


def _world(live_server, **kwargs) -> dict:
    with live_server.app.app_context():
        world = vote_world(**kwargs)
        db.session.commit()
        return {"round": world["round"].id, "members": [u.email for u in world["members"]],
                "staff": world["staff"].email, "proposals": [p.id for p in world["proposals"]]}


def test_member_votes_reviews_confirms_gets_a_receipt_and_cannot_vote_again(page, live_server):
    world = _world(live_server, ballot_type=BallotType.KNAPSACK)
    login(page, live_server, world["members"][0])
    page.goto(live_server(f"/comite/appels/{world['round']}/bulletin"))
    check_a11y(page)
    page.check(f"#proposal_{world['proposals'][0]}")
    page.check(f"#proposal_{world['proposals'][2]}")
    total = "".join(page.locator("#ballot-total").inner_text().split())  # live total by JS
    assert total.startswith("90000,00")
    page.click("main button:has-text('Relire mon bulletin')")
    page.wait_for_load_state()
    assert "Soutien scolaire" in page.locator("table").inner_text()
    check_a11y(page)
    page.click("main button:has-text('Confirmer mon vote')")
    page.wait_for_load_state()
    tracker = page.locator("#receipt").inner_text().strip()
    assert len(tracker) == 64
    check_a11y(page)
    page.goto(live_server(f"/comite/appels/{world['round']}/bulletin"))
    assert "déjà voté" in page.content()
    with live_server.app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Ballot.id))) == 1
        assert db.session.scalar(sa.select(sa.func.count(SignIn.id))) == 1


def test_over_budget_ballot_is_refused_without_javascript(no_js_page, live_server):
    page = no_js_page
    world = _world(live_server, ballot_type=BallotType.KNAPSACK)
    login(page, live_server, world["members"][1])
    page.goto(live_server(f"/comite/appels/{world['round']}/bulletin"))
    page.check(f"#proposal_{world['proposals'][0]}")
    page.check(f"#proposal_{world['proposals'][1]}")
    page.click("main button:has-text('Relire mon bulletin')")
    page.wait_for_load_state()
    assert "dépasse l'enveloppe" in page.locator("#error-summary").inner_text()
    # No axe run here: axe-core needs JavaScript; the same page is checked with it elsewhere.
    with live_server.app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Ballot.id))) == 0


def test_staff_records_paper_ballot_closes_publishes_and_public_checks(page, live_server):
    world = _world(live_server)
    with live_server.app.app_context():
        from pdvsolutions.models import User

        member = db.session.scalar(sa.select(User).where(User.email == world["members"][0]))
        label = f"{member.first_name} {member.last_name}"
        member_id = member.id
    login(page, live_server, world["staff"])
    page.goto(live_server(f"/agents/appels/{world['round']}/vote/papier"))
    check_a11y(page)
    page.select_option("#member", str(member_id))
    assert label in page.locator("#member").inner_text()
    page.check(f"#proposal_{world['proposals'][2]}")
    page.click("main button:has-text('Enregistrer le bulletin papier')")
    page.wait_for_load_state()
    tracker = page.locator("#receipt").inner_text().strip()
    check_a11y(page)
    page.goto(live_server(f"/agents/appels/{world['round']}/vote"))
    check_a11y(page)
    for button in ("Clore le vote", "Dépouiller (calculer le résultat)", "Publier les résultats"):
        page.click(f"main button:has-text('{button}')")
        page.wait_for_load_state()
    assert "Résultats publiés" in page.content()
    page.click("header button:has-text('Se déconnecter')")
    page.wait_for_load_state()

    page.goto(live_server(f"/appels/{world['round']}/resultats"))
    assert "Fête de quartier" in page.locator("table").first.inner_text()
    assert "est financée" in page.locator(".steps-list").inner_text()
    check_a11y(page)
    page.goto(live_server(f"/appels/{world['round']}/bulletins"))
    assert tracker in page.content()
    check_a11y(page)
    page.goto(live_server(f"/appels/{world['round']}/recu"))
    page.fill("#code", tracker)
    page.click("main button:has-text('Vérifier')")
    page.wait_for_load_state()
    assert "Fête de quartier" in page.locator("#found-title + p + ul").inner_text()
    check_a11y(page)


def test_member_not_on_the_roll_is_refused(page, live_server):
    world = _world(live_server)
    with live_server.app.app_context():
        email = factories.make_user(Role.RESIDENT).email
        db.session.commit()
    login(page, live_server, email)
    response = page.goto(live_server(f"/comite/appels/{world['round']}/bulletin"))
    assert response.status == 403


def test_equal_shares_results_explain_the_completion_and_the_board_its_order(page, live_server,
                                                                             request):
    from pdvsolutions.models import Round, TallyRule
    from pdvsolutions.rules.phases import Phase
    from pdvsolutions.services import phases, voting

    with live_server.app.app_context():
        world = vote_world(members=4, tally_rule=TallyRule.EQUAL_SHARES)
        a, b, c = world["proposals"]
        for member, choices in zip(world["members"], [{a.id: 1}, {a.id: 1}, {c.id: 1},
                                                      {b.id: 1, c.id: 1}], strict=True):
            voting.cast_ballot(world["round"], member, choices)
        phases.change_phase(world["round"], Phase.RESULTS, world["staff"])
        voting.tally_round(world["round"], world["staff"])
        voting.publish_results(world["round"], world["staff"])
        db.session.commit()
        round_id = world["round"].id
        assert db.session.get(Round, round_id).completion.value == "add1"
    page.goto(live_server(f"/appels/{round_id}/resultats"))
    steps = page.locator("section[aria-labelledby='steps-title']").inner_text()
    assert "Complément « Add1 »" in steps and "39\u202f999 euros de plus" in steps
    assert "« Soutien scolaire » est financée" in steps
    assert "« Jardin partagé » n'est pas financée" in steps
    page.screenshot(path=f"/tmp/results-{request.node.callspec.id}.png", full_page=True)
    check_a11y(page)
    # Three ballots a page: the board's second page is reached by its link.
    live_server.app.config["BOARD_PAGE_SIZE"] = 3
    page.goto(live_server(f"/appels/{round_id}/bulletins"))
    assert "rangés par reçu croissant" in page.content()
    trackers = [t.strip() for t in page.locator("table.board tbody td code").all_inner_texts()]
    assert len(trackers) == 3
    check_a11y(page)
    page.click("nav.pagination a[rel='next']")
    page.wait_for_load_state()
    assert "Page 2 sur 2" in page.locator("nav.pagination").inner_text()
    trackers += [t.strip() for t in page.locator("table.board tbody td code").all_inner_texts()]
    assert len(trackers) == 4 and trackers == sorted(trackers)
    check_a11y(page)
