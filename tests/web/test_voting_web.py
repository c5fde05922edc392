"""The vote through the web: ballot, review, confirmation, receipt; staff; public pages."""

import hashlib
import json
import re

import sqlalchemy as sa

from pdvsolutions.extensions import db
from pdvsolutions.models import Ballot, BallotType, OutboxMessage, Role, SignIn, VoterRollEntry
from pdvsolutions.rules.phases import Phase
from pdvsolutions.services import phases

from .. import factories
from ..conftest import count, csrf_token
from ..factories_voting import make_proposal, vote_world
from .test_query_counts import counting_queries

TRACKER_RE = re.compile(r'id="receipt">([0-9a-f]{64})<')


def _world(app, **kwargs):
    with app.app_context():
        world = vote_world(**kwargs)
        db.session.commit()
        return {
            "round": world["round"].id,
            "members": [u.email for u in world["members"]],
            "staff": world["staff"].email,
            "proposals": [p.id for p in world["proposals"]],
        }


def _cast(client, world, proposal_ids, path="bulletin"):
    token = csrf_token(client, "/comite/")
    return client.post(f"/comite/appels/{world['round']}/{path}",
                       data={"csrf_token": token, "proposal": [str(p) for p in proposal_ids]})


def test_ballot_review_shows_choices_as_hidden_fields_and_writes_nothing(app, client, auth):
    world = _world(app)
    auth.login(world["members"][0])
    response = _cast(client, world, world["proposals"][:1], "bulletin/relecture")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'name="proposal" value="{world["proposals"][0]}"' in html
    with app.app_context():
        assert count(SignIn) == 0 and count(Ballot) == 0


def test_ballot_cast_shows_a_receipt_and_queues_it_by_email(app, client, auth):
    world = _world(app)
    auth.login(world["members"][0])
    response = _cast(client, world, world["proposals"][1:])
    tracker = TRACKER_RE.search(response.get_data(as_text=True)).group(1)
    assert response.headers["Cache-Control"] == "no-store"
    with app.app_context():
        assert db.session.scalar(sa.select(Ballot.tracker)) == tracker
        message = db.session.scalar(sa.select(OutboxMessage))
        assert message.kind == "vote_receipt" and tracker in message.body


def test_ballot_cast_twice_is_refused_with_a_message(app, client, auth):
    world = _world(app)
    auth.login(world["members"][0])
    _cast(client, world, world["proposals"][:1])
    response = _cast(client, world, world["proposals"][1:])
    assert response.status_code == 302
    assert "déjà voté" in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert count(Ballot) == 1 and count(SignIn) == 1


def test_ballot_over_the_envelope_is_refused_without_javascript(app, client, auth):
    world = _world(app, ballot_type=BallotType.KNAPSACK)
    auth.login(world["members"][0])
    response = _cast(client, world, world["proposals"][:2])
    assert response.status_code == 422
    assert "dépasse l&#39;enveloppe" in response.get_data(as_text=True)
    with app.app_context():
        assert count(Ballot) == 0 and count(SignIn) == 0


def test_ballot_with_a_tampered_proposal_id_is_refused(app, client, auth):
    world = _world(app)
    auth.login(world["members"][0])
    response = _cast(client, world, [999_999])
    assert response.status_code == 422
    with app.app_context():
        assert count(Ballot) == 0


def test_ballot_with_garbage_in_the_choices_is_refused_not_a_crash(app, client, auth):
    world = _world(app)
    auth.login(world["members"][0])
    token = csrf_token(client, f"/comite/appels/{world['round']}/bulletin")
    response = client.post(f"/comite/appels/{world['round']}/bulletin",
                           data={"csrf_token": token, "proposal": "1; DROP TABLE"})
    assert response.status_code == 422


def test_ballot_page_is_forbidden_to_a_resident_not_on_the_roll(app, client, auth):
    world = _world(app)
    with app.app_context():
        outsider = factories.make_user(Role.RESIDENT).email
        db.session.commit()
    auth.login(outsider)
    assert client.get(f"/comite/appels/{world['round']}/bulletin").status_code == 403


def test_staff_close_tally_and_publish_then_public_results_explain(app, client, auth):
    world = _world(app)
    for email, choice in zip(world["members"], [[0, 2], [0], [1, 2]], strict=True):
        auth.login(email)
        _cast(client, world, [world["proposals"][i] for i in choice])
        auth.logout()
    results = f"/appels/{world['round']}/resultats"
    assert "Soutien scolaire" not in client.get(results).get_data(as_text=True)
    auth.login(world["staff"])
    base = f"/agents/appels/{world['round']}/vote"
    for action in ("cloture", "depouillement", "publication"):
        token = csrf_token(client, base)
        assert client.post(f"{base}/{action}", data={"csrf_token": token}).status_code == 302
    auth.logout()
    html = client.get(results).get_data(as_text=True)
    assert "Rang 1 : « Soutien scolaire »" in html
    assert "dépasse les" in html  # Jardin partagé no longer fits
    assert "3 bulletins pour 3 votants inscrits" in html
    assert "<svg" in html and "<caption>" in html


def test_staff_paper_ballot_is_recorded_with_a_printed_receipt(app, client, auth):
    world = _world(app)
    with app.app_context():
        from pdvsolutions.models import User

        member_id = db.session.scalar(sa.select(User.id).where(User.email == world["members"][1]))
    auth.login(world["staff"])
    url = f"/agents/appels/{world['round']}/vote/papier"
    token = csrf_token(client, url)
    response = client.post(url, data={"csrf_token": token, "member": member_id,
                                      "proposal": str(world["proposals"][2])})
    assert TRACKER_RE.search(response.get_data(as_text=True))
    with app.app_context():
        assert db.session.scalar(sa.select(SignIn.on_paper)) is True
        assert count(Ballot) == 1
    again = client.post(url, data={"csrf_token": token, "member": member_id,
                                   "proposal": str(world["proposals"][2])})
    assert again.status_code == 422
    with app.app_context():
        assert count(Ballot) == 1


def test_board_and_receipt_lookup_after_closing(app, client, auth):
    world = _world(app)
    auth.login(world["members"][0])
    tracker = TRACKER_RE.search(
        _cast(client, world, world["proposals"][2:]).get_data(as_text=True)).group(1)
    auth.logout()
    lookup = f"/appels/{world['round']}/recu?code={tracker}"
    assert "après la clôture" in client.get(lookup).get_data(as_text=True)
    assert client.get(f"/appels/{world['round']}/bulletins.json").status_code == 404
    auth.login(world["staff"])
    base = f"/agents/appels/{world['round']}/vote"
    client.post(f"{base}/cloture", data={"csrf_token": csrf_token(client, base)})
    auth.logout()
    assert "Fête de quartier" in client.get(lookup).get_data(as_text=True)
    board = json.loads(client.get(f"/appels/{world['round']}/bulletins.json").data)
    assert [b["tracker"] for b in board["ballots"]] == [tracker]
    assert board["signins"] == 1 and board["roll"]["size"] == 3
    assert board["signins_on_paper"] == 0 and board["head"] == board["ballots"][0]["hash"]


def test_staff_builds_the_committee_and_sees_conflicts_of_interest(app, client, auth):
    from pdvsolutions.models import CommitteeMember

    from ..factories_voting import make_org_member

    with app.app_context():
        world = vote_world(members=1, open_vote=False)
        resident = factories.make_user(Role.RESIDENT, first_name="Yasmina")
        make_org_member(world["organization"], resident)
        db.session.commit()
        round_id, staff, login_name = world["round"].id, world["staff"].email, resident.email
    auth.login(staff)
    base = f"/agents/appels/{round_id}/comite"
    token = csrf_token(client, base)
    client.post(f"{base}/membres", data={"csrf_token": token, "add-login": login_name,
                                          "add-college": "Conseil citoyen"})
    created = client.post(f"{base}/nouveau", data={
        "csrf_token": token, "new-first_name": "Nora", "new-username": "nora.b",
        "new-qpv_code": factories.QPV_HOME, "new-college": "Collectif d'habitants"})
    assert 'class="code-box"' in created.get_data(as_text=True)
    page = client.get(base).get_data(as_text=True)
    assert "Yasmina" in page and "Association Les Jardins du Nord" in page
    with app.app_context():
        assert count(CommitteeMember) == 3


def test_staff_cannot_change_the_committee_once_the_vote_is_open(app, client, auth):
    world = _world(app)
    with app.app_context():
        email = factories.make_user(Role.RESIDENT).email
        db.session.commit()
    auth.login(world["staff"])
    base = f"/agents/appels/{world['round']}/comite"
    response = client.post(f"{base}/membres", data={
        "csrf_token": csrf_token(client, "/agents/"), "add-login": email,
        "add-college": "Conseil citoyen"})
    assert response.status_code == 422
    assert "liste des votants est arrêtée" in response.get_data(as_text=True)


def _close_tally_publish(client, auth, world):
    auth.login(world["staff"])
    base = f"/agents/appels/{world['round']}/vote"
    for action in ("cloture", "depouillement", "publication"):
        token = csrf_token(client, base)
        assert client.post(f"{base}/{action}", data={"csrf_token": token}).status_code == 302
    auth.logout()


def test_equal_shares_results_explain_the_completion(app, client, auth):
    from pdvsolutions.models import Completion, Round, TallyRule

    world = _world(app, members=4, tally_rule=TallyRule.EQUAL_SHARES)
    with app.app_context():
        assert db.session.get(Round, world["round"]).completion is Completion.ADD1
    # 100 000 € for 4 voters: 25 000 € each. Soutien scolaire (60 000 €) has 2 supporters
    # (50 000 €): plain equal shares funds only Fête de quartier (30 000 €). Add1 raises the
    # shares while the outcome fits: from 30 000 € Soutien scolaire is funded too (90 000 €);
    # at 65 000 € the last voter could pay for Jardin partagé alone (140 000 €: too much).
    for email, choice in zip(world["members"], [[0], [0], [2], [1, 2]], strict=True):
        auth.login(email)
        _cast(client, world, [world["proposals"][i] for i in choice])
        auth.logout()
    _close_tally_publish(client, auth, world)
    html = client.get(f"/appels/{world['round']}/resultats").get_data(as_text=True)
    assert "Complément « Add1 »" in html
    assert ("La part de chacun des 4 votants est passée de 25\u202f000,00\xa0€ à "
            "64\u202f999,00\xa0€ (39\u202f999 euros de plus)") in html
    assert "Tour 1 : « Soutien scolaire » est financée" in html
    with app.app_context():
        from pdvsolutions.services import voting

        result = voting.result_of(db.session.get(Round, world["round"]))
        assert result.spent_cents == 90_000_00 and result.completion_info["increments"] == 39999
    board = json.loads(client.get(f"/appels/{world['round']}/bulletins.json").data)
    assert board["round"]["completion"] == board["result"]["completion"] == "add1"


def test_round_page_publishes_the_frozen_roll_size_and_fingerprint(app, client):
    world = _world(app, members=4)
    with app.app_context():
        pseudonyms = sorted(db.session.scalars(sa.select(VoterRollEntry.pseudonym)))
    fingerprint = hashlib.sha256("\n".join(pseudonyms).encode()).hexdigest()
    html = client.get(f"/appels/{world['round']}").get_data(as_text=True)
    assert "4 votants" in html
    assert f'<code class="fingerprint">{fingerprint}</code>' in html


def test_results_stay_hidden_between_closing_and_publication(app, client, auth):
    world = _world(app)
    for email in world["members"]:
        auth.login(email)
        _cast(client, world, world["proposals"][:1])
        auth.logout()
    auth.login(world["staff"])
    base = f"/agents/appels/{world['round']}/vote"
    for action in ("cloture", "depouillement"):
        assert client.post(f"{base}/{action}",
                           data={"csrf_token": csrf_token(client, base)}).status_code == 302
    auth.logout()
    html = client.get(f"/appels/{world['round']}/resultats").get_data(as_text=True)
    assert "Rang 1" not in html and "3 bulletins" not in html
    assert "Résultats du vote" not in client.get(f"/appels/{world['round']}").get_data(
        as_text=True)
    auth.login(world["staff"])
    assert client.post(f"{base}/publication",
                       data={"csrf_token": csrf_token(client, base)}).status_code == 302
    auth.logout()
    assert "Rang 1 : « Soutien scolaire »" in client.get(
        f"/appels/{world['round']}/resultats").get_data(as_text=True)


def test_ballot_post_of_a_resident_not_on_the_roll_is_forbidden_and_writes_nothing(
        app, client, auth):
    world = _world(app)
    with app.app_context():
        outsider = factories.make_user(Role.RESIDENT).email
        db.session.commit()
    auth.login(outsider)
    assert _cast(client, world, world["proposals"][:1]).status_code == 403
    assert _cast(client, {"round": world["round"] + 999}, world["proposals"][:1]).status_code \
        == 404
    with app.app_context():
        assert count(SignIn) == 0 and count(Ballot) == 0 and count(OutboxMessage) == 0


def _ballot_statements(app, client, auth, extra_proposals: int) -> list[str]:
    with app.app_context():
        world = vote_world(open_vote=False)
        for number in range(extra_proposals):
            make_proposal(world["round"], f"Action {number}", 1_000_00)
        phases.change_phase(world["round"], Phase.VOTE, world["staff"])
        db.session.commit()
        round_id, member = world["round"].id, world["members"][0].email
        chosen = [p.id for p in world["proposals"][1:]]
    auth.login(member)
    token = csrf_token(client, "/comite/")
    with counting_queries(app) as statements:
        response = client.post(f"/comite/appels/{round_id}/bulletin",
                               data={"csrf_token": token, "proposal": [str(p) for p in chosen]})
    assert TRACKER_RE.search(response.get_data(as_text=True))
    auth.logout()
    return list(statements)


def test_ballot_post_statements_do_not_grow_with_the_proposals(app, client, auth):
    """One statement per step of the ballot (issue 9): the account, the round, the roll with
    the member's standing (both under their locks on PostgreSQL), the proposals with the
    conflicts of interest, the sign-in, the ballot, the e-mailed receipt, the last link of the
    audit chain and the new one."""
    few = _ballot_statements(app, client, auth, 0)
    many = _ballot_statements(app, client, auth, 9)
    assert len(many) == len(few), "\n".join(many)
    assert len(few) <= 9, "\n".join(few)  # plus the chain lock on PostgreSQL
