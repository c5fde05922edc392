"""What the security fuzz found (tests/security/test_security_fuzz.py), one regression test
each: ids and numbers beyond what a database integer holds, control characters (NUL), WTForms
messages of list rows in English, ``next`` with control characters, pages past the last one."""

from datetime import date

import pytest
import sqlalchemy as sa

from pdvsolutions.extensions import db
from pdvsolutions.models import Need, Role, Sprint, SprintBudgetLine, User
from pdvsolutions.rules.phases import Phase
from pdvsolutions.services import phases, voting

from .. import factories, fixtures_needs
from ..conftest import count
from ..factories_funds import make_org, make_prospect, make_sprint
from ..factories_needs import make_round
from ..factories_voting import vote_world

world, ctx = fixtures_needs.world, fixtures_needs.ctx

HUGE_IDS = ["2147483648", "9223372036854775808", "9" * 5000]
NUL_TITLE = "Des cours\x00 de soutien"
CONTROL_MESSAGE = "caractère invisible non autorisé"


def _need_data(world, **changes):
    data = {"title": "Des cours de soutien au collège", "field_id": str(world["fields"][0]),
            "description": "Les enfants n'ont personne pour les aider le soir.", "place": ""}
    return {**data, **changes}


@pytest.mark.parametrize("huge", HUGE_IDS, ids=["int32", "int64", "5000-digits"])
def test_id_beyond_a_database_integer_is_not_found(world, client, huge):
    # Was a 500: SQLite's driver overflows above 2**63, Python refuses 4300+ digit integers.
    assert client.get(f"/solutions/{huge}").status_code == 404
    assert client.get(f"/appels/{huge}/solutions").status_code == 404


def test_post_to_an_id_beyond_a_database_integer_is_not_found(world, auth, post):
    auth.login("agent@example.org")
    assert post(f"/agents/solutions/{HUGE_IDS[1]}/masquer",
                {"hide-reason": "Hors sujet"}).status_code == 404


@pytest.mark.parametrize("field_id", ["9223372036854775808", "9" * 81, "-2147483649"])
def test_need_with_a_theme_id_out_of_range_is_refused_on_the_form(world, auth, post, ctx,
                                                                   field_id):
    # Was a 500 (OverflowError) in the service's lookup of the theme.
    auth.login("samia@example.org")
    response = post(f"/habitants/appels/{world['round']}/solutions/nouvelle",
                    _need_data(world, field_id=field_id))
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    with ctx():
        assert count(Need) == 1


def test_merge_into_an_id_out_of_range_changes_nothing(world, auth, post, ctx):
    auth.login("agent@example.org")
    response = post(f"/agents/solutions/{world['need']}/fusionner",
                    {"merge-kept_id": "9223372036854775808"})
    assert response.status_code == 422  # the form again, with its message
    with ctx():
        assert db.session.get(Need, world["need"]).merged_into_id is None


def test_need_with_a_nul_byte_is_refused_in_french(world, auth, post, ctx):
    # PostgreSQL refuses NUL in text: a 500 there before the shared check.
    auth.login("samia@example.org")
    response = post(f"/habitants/appels/{world['round']}/solutions/nouvelle",
                    _need_data(world, title=NUL_TITLE))
    assert response.status_code == 200
    assert CONTROL_MESSAGE in response.get_data(as_text=True)
    with ctx():
        assert count(Need) == 1


@pytest.mark.parametrize("days", ["9" * 400, "2147483648"])
def test_whole_number_beyond_an_integer_is_refused_in_french(app, client, auth, post, days):
    # 400 digits were a 500: WTForms' NumberRange calls math.isnan, which overflows.
    with app.app_context():
        factories.make_user(Role.STAFF, email="agent@example.org")
        prospect = make_prospect(status="contacted").id
        db.session.commit()
    auth.login("agent@example.org")
    response = post(f"/agents/reperage/{prospect}/sprint",
                    {"starts_on": "2026-03-02", "length_days": days, "coach": "Nadia"})
    assert response.status_code == 200
    assert "Ce nombre est trop grand." in response.get_data(as_text=True)
    with app.app_context():
        assert count(Sprint) == 0


def test_deliverables_budget_line_errors_are_in_french(app, client, auth, post):
    # WTForms' own messages (an unknown account) said "Not a valid choice." in English.
    with app.app_context():
        user = factories.make_user(Role.OPERATOR, email="op@example.org")
        sprint = make_sprint(make_org("Cuisine du Monde", member=user),
                             starts_on=date(2026, 3, 2)).id
        db.session.commit()
    auth.login("op@example.org")
    response = post(f"/structures/sprints/{sprint}/livrables/budget/lignes", {
        "line-account": "999", "line-label": "Denrées", "line-amount": "12,00"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Not a valid" not in html
    assert "pas un choix valide" in html
    with app.app_context():
        assert count(SprintBudgetLine) == 0


@pytest.mark.parametrize("page", ["2147483648", "99999999999999999999", "9" * 5000, "-3"])
def test_page_number_out_of_range_shows_the_first_page(world, auth, client, page):
    # Pages past 2**63 overflowed the SQLite driver in the LIMIT/OFFSET of the staff lists.
    assert client.get(f"/appels/{world['round']}/solutions?page={page}").status_code == 200
    auth.login("agent@example.org")
    for url in ("/agents/journal", "/agents/comptes", "/agents/courriels"):
        assert client.get(f"{url}?page={page}").status_code == 200, url


def test_login_with_control_characters_in_next_still_logs_in(world, client, auth):
    # The shared text check must not lock a person out because of a link's ``next``.
    from ..conftest import csrf_token

    response = client.post("/connexion", data={
        "identifier": "samia@example.org", "password": factories.PASSWORD,
        "next": "/\x08/evil.example", "csrf_token": csrf_token(client, "/connexion")})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.postgres
def test_nul_bytes_on_postgresql_are_refused_not_a_server_error(pg_app):
    """On PostgreSQL (which refuses NUL in text): a need, a search, a receipt code."""
    from ..conftest import Auth, post_form

    with pg_app.app_context():
        voted = vote_world(members=1)
        voting.cast_ballot(voted["round"], voted["members"][0], {voted["proposals"][0].id: 1})
        phases.change_phase(voted["round"], Phase.RESULTS, voted["staff"])
        round_ = make_round(Phase.NEEDS)
        ids = {"voted": voted["round"].id, "round": round_.id, "field": round_.fields[0].id,
               "staff": voted["staff"].email}
        factories.make_user(Role.RESIDENT, email="samia@example.org")
        db.session.commit()
        users = db.session.scalar(sa.select(sa.func.count()).select_from(User))
    client = pg_app.test_client()
    assert client.get(f"/appels/{ids['voted']}/recu?code=ab%00cd").status_code == 200
    Auth(client).login("samia@example.org")
    response = post_form(client, f"/habitants/appels/{ids['round']}/solutions/nouvelle", {
        "title": NUL_TITLE, "description": "Le soir.", "field_id": str(ids["field"]),
        "place": ""})
    assert response.status_code == 200
    assert CONTROL_MESSAGE in response.get_data(as_text=True)
    Auth(client).logout()
    Auth(client).login(ids["staff"])
    assert client.get("/agents/comptes?q=sam%00ia").status_code == 200
    with pg_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == users
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Need)) == 0
