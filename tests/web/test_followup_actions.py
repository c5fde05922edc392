"""Follow-up pages of a funded action: public with the acknowledged reports only; the round's
committee reads every report sent; everyone else gets the public version or nothing."""

import re

import pytest

from pdvsolutions.extensions import db
from pdvsolutions.models import (
    ProgressReport,
    ReportBudgetLine,
    ReportIndicator,
    ReportKind,
    ReportStatus,
    Role,
)
from pdvsolutions.rules.phases import Phase
from pdvsolutions.services import followup, grants

from .. import factories
from .. import factories_followup as ff
from ..factories_voting import vote_world

ACKNOWLEDGED = "Douze ateliers tenus au centre social"
SUBMITTED = "Bilan en attente de validation"
MORE = "Bilan auquel il manque les factures"


def _report(proposal, done, status, operator, **fields):
    report = ProgressReport(
        proposal_id=proposal.id, kind=ReportKind.INTERIM, done=done, people_reached=35,
        status=status, submitted_by_id=operator.id,
        indicators=[ReportIndicator(label="Collégiens accompagnés", target=60, achieved=42,
                                    unit="jeunes")],
        budget_lines=[ReportBudgetLine(account_code="64", label="Charges de personnel",
                                       planned_cents=800_000, actual_cents=765_050)],
        **fields)
    db.session.add(report)
    return report


def _world(phase):
    """A round in ``phase``: a funded action with one report of each status, a grant half
    paid, a committee member, a member of another round's committee, a plain resident."""
    w = ff.follow_up_world(phase)
    operator = w["operator"]
    operator.first_name, operator.last_name = "Ophélie", "Rapporteuse"
    staff = factories.make_user(Role.STAFF, first_name="Agathe", last_name="Valideuse")
    _report(w["funded"], ACKNOWLEDGED, ReportStatus.ACKNOWLEDGED, operator,
            reviewed_by_id=staff.id)
    _report(w["funded"], SUBMITTED, ReportStatus.SUBMITTED, operator)
    _report(w["funded"], MORE, ReportStatus.MORE_REQUESTED, operator,
            staff_comment="Joindre les factures de Mme Valideuse", reviewed_by_id=staff.id)
    if phase in (Phase.FOLLOW_UP, Phase.EVALUATION):
        grant = grants.record_grant(w["funded"], staff, reference="DEL-2026-0412",
                                    decided_on=ff.GRANT_DATE, amount_cents=1_200_000,
                                    adjustment_reason=None, years=[(2026, 1_200_000)])
        payment = grants.plan_payment(grant, staff, planned_on=ff.GRANT_DATE,
                                      amount_cents=600_000, condition="À la signature")
        grants.record_paid(payment, staff, ff.GRANT_DATE)
    member = ff.make_voter(w["round"], first_name="Mounia", last_name="Comitarde")
    other_round = ff.make_round(phase, title="Autre édition")
    other_member = ff.make_voter(other_round)
    resident = factories.make_user(Role.RESIDENT)
    db.session.commit()
    return {"round": w["round"].id, "funded": w["funded"].id, "unfunded": w["unfunded"].id,
            "other_round": other_round.id, "member": member.email,
            "other_member": other_member.email, "resident": resident.email,
            "operator": operator.email, "staff": staff.email,
            "people": [operator, staff, member]}


@pytest.fixture
def world(app):
    with app.app_context():
        return _world(Phase.FOLLOW_UP)


def _action_url(w, proposal=None, round_=None):
    return f"/appels/{round_ or w['round']}/actions/{proposal or w['funded']}"


def _committee_url(w, round_=None):
    return f"/comite/appels/{round_ or w['round']}/bilans"


def test_public_action_page_shows_acknowledged_report_with_indicators_and_spending(client,
                                                                                   world):
    html = client.get(_action_url(world)).get_data(as_text=True)
    assert ACKNOWLEDGED in html
    assert "Personnes touchées : 35" in html
    assert re.search(r"Collégiens accompagnés</th><td>60 jeunes</td><td>42 jeunes", html)
    assert re.search(r"64 – Charges de personnel</th><td>8\s000,00\s€</td>"
                     r"<td>7\s650,50\s€</td>", html)
    assert "DEL-2026-0412" in html
    assert re.search(r"Versé à ce jour</dt><dd>6\s000,00\s€", html)


def test_public_action_page_never_shows_reports_not_acknowledged(client, world):
    html = client.get(_action_url(world)).get_data(as_text=True)
    assert SUBMITTED not in html and MORE not in html
    assert "Joindre les factures" not in html


def test_public_action_page_has_no_personal_data(client, app, world):
    html = client.get(_action_url(world)).get_data(as_text=True)
    assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", html), "e-mail address on a public page"
    with app.app_context():
        for person in world["people"]:
            person = db.session.merge(person)
            assert person.last_name not in html and person.first_name not in html
    for forbidden in ("submitted_by", "reviewed_by", "user_id"):
        assert forbidden not in html


@pytest.mark.parametrize("phase", [Phase.EVALUATION, Phase.CLOSED])
def test_public_action_page_exists_until_the_round_is_closed(client, app, phase):
    with app.app_context():
        w = _world(phase)
    html = client.get(_action_url(w)).get_data(as_text=True)
    assert ACKNOWLEDGED in html and SUBMITTED not in html


@pytest.mark.parametrize("phase", [Phase.VOTE, Phase.RESULTS])
def test_public_action_page_absent_before_follow_up(client, app, phase):
    with app.app_context():
        w = ff.follow_up_world(phase)
        db.session.commit()
        url = f"/appels/{w['round'].id}/actions/{w['funded'].id}"
    assert client.get(url).status_code == 404


def test_public_action_page_absent_for_unfunded_or_other_round(client, world):
    assert client.get(_action_url(world, proposal=world["unfunded"])).status_code == 404
    assert client.get(_action_url(world, round_=world["other_round"])).status_code == 404
    assert client.get(_action_url(world, proposal=999_999)).status_code == 404


def test_round_page_links_each_funded_action(client, world):
    html = client.get(f"/appels/{world['round']}").get_data(as_text=True)
    assert f'href="{_action_url(world)}"' in html
    assert "Cours du soir" in html and "1 bilan validé" in html
    assert "Atelier théâtre" not in html


def test_results_page_links_funded_actions_once_followed(client, app):
    from pdvsolutions.services import phases, voting

    with app.app_context():
        w = vote_world(members=1)
        voting.cast_ballot(w["round"], w["members"][0], {w["proposals"][0].id: 1})
        for target in (Phase.RESULTS, Phase.FOLLOW_UP):
            phases.change_phase(w["round"], target, w["staff"])
            if target is Phase.RESULTS:
                voting.tally_round(w["round"], w["staff"])
                voting.publish_results(w["round"], w["staff"])
        db.session.commit()
        round_id, funded = w["round"].id, w["proposals"][0].id
        unfunded = [p.id for p in w["proposals"][1:]]
    html = client.get(f"/appels/{round_id}/resultats").get_data(as_text=True)
    assert f'href="/appels/{round_id}/actions/{funded}"' in html
    for proposal_id in unfunded:
        assert f"/actions/{proposal_id}" not in html
    assert f'href="/appels/{round_id}/resultats"' in client.get(
        f"/appels/{round_id}").get_data(as_text=True)


def test_committee_member_reads_every_report_sent_with_its_status(client, auth, world):
    auth.login(world["member"])
    html = client.get(_committee_url(world)).get_data(as_text=True)
    assert ACKNOWLEDGED in html and SUBMITTED in html and MORE in html
    assert "Statut : validé" in html and "Statut : à examiner" in html
    assert "Statut : compléments demandés" in html
    assert "Rapporteuse" not in html and "Valideuse" not in html


def test_committee_member_finds_the_reports_from_their_pages(client, auth, world):
    auth.login(world["member"])
    assert f'href="{_committee_url(world)}"' in client.get("/comite/").get_data(as_text=True)
    assert f'href="{_committee_url(world)}"' in client.get(
        _action_url(world)).get_data(as_text=True)


@pytest.mark.parametrize("who", ["other_member", "resident"])
def test_other_residents_get_403_and_only_the_public_version(client, auth, world, who):
    auth.login(world[who])
    assert client.get(_committee_url(world)).status_code == 403
    html = client.get(_action_url(world)).get_data(as_text=True)
    assert ACKNOWLEDGED in html and SUBMITTED not in html and MORE not in html
    assert _committee_url(world) not in html
    assert _committee_url(world) not in client.get("/comite/").get_data(as_text=True)


@pytest.mark.parametrize("who", ["operator", "staff"])
def test_committee_report_page_refused_to_other_roles(client, auth, world, who):
    auth.login(world[who])
    assert client.get(_committee_url(world)).status_code == 403


def test_committee_report_page_sends_anonymous_to_login(client, world):
    response = client.get(_committee_url(world))
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]
    html = client.get(_action_url(world)).get_data(as_text=True)
    assert SUBMITTED not in html and _committee_url(world) not in html


def test_committee_report_page_absent_before_follow_up(client, auth, app):
    with app.app_context():
        w = ff.follow_up_world(Phase.RESULTS)
        member = ff.make_voter(w["round"])
        db.session.commit()
        url, email = f"/comite/appels/{w['round'].id}/bilans", member.email
    auth.login(email)
    assert client.get(url).status_code == 404


def test_committee_member_of_closed_round_still_reads_every_report(client, auth, app):
    with app.app_context():
        w = _world(Phase.CLOSED)
    auth.login(w["member"])
    html = client.get(_committee_url(w)).get_data(as_text=True)
    assert SUBMITTED in html and MORE in html


def test_can_read_all_reports_only_for_the_rounds_committee(app_ctx):
    w = ff.follow_up_world(Phase.FOLLOW_UP)
    member = ff.make_voter(w["round"], signed=False)
    voter_outside = ff.make_voter(w["round"], committee=False)
    assert followup.can_read_all_reports(member, w["round"])
    assert not followup.can_read_all_reports(voter_outside, w["round"])
    assert not followup.can_read_all_reports(w["operator"], w["round"])
