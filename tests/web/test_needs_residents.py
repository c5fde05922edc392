"""Residents post, edit and support needs of their territory's round, and nowhere else."""

import pytest
import sqlalchemy as sa

from pdvsolutions.extensions import db
from pdvsolutions.models import AuditEvent, Need, NeedStatus, Round, Support
from pdvsolutions.rules.phases import Phase

from .. import fixtures_needs
from ..conftest import count, csrf_token
from ..factories_needs import make_need, make_round
from .test_query_counts import counting_queries

world, ctx = fixtures_needs.world, fixtures_needs.ctx


def _data(world, **changes):
    data = {"title": "Des cours de soutien au collège", "field_id": str(world["fields"][0]),
            "description": "Les enfants n'ont personne pour les aider le soir.", "place": ""}
    data.update(changes)
    return data


def _url(world):
    return f"/habitants/appels/{world['round']}/solutions/nouvelle"


def _set_phase(ctx, world, phase):
    with ctx():
        db.session.get(Round, world["round"]).phase = phase
        db.session.commit()


def test_need_new_publishes_the_need_and_audits_it(world, auth, post, ctx):
    auth.login("samia@example.org")
    response = post(_url(world), _data(world, place="près du collège"))
    assert response.status_code == 302
    with ctx():
        need = db.session.scalar(sa.select(Need).where(Need.title.like("Des cours%")))
        assert need.place == "près du collège" and need.author_id == world["resident"]
        assert db.session.scalar(sa.select(AuditEvent).where(
            AuditEvent.action == "need.post", AuditEvent.object_id == str(need.id))) is not None


def test_need_new_by_resident_of_other_territory_is_forbidden(world, auth, post, client, ctx):
    auth.login("lucie@example.org")
    assert client.get(_url(world)).status_code == 403
    assert post(_url(world), _data(world)).status_code == 403
    with ctx():
        assert count(Need) == 1


def test_support_by_resident_of_other_territory_is_forbidden(world, auth, post, ctx):
    auth.login("lucie@example.org")
    response = post(f"/habitants/solutions/{world['need']}/soutien")
    assert response.status_code == 403
    with ctx():
        assert count(Support) == 0


def test_need_new_outside_needs_phase_is_refused(world, auth, post, ctx):
    _set_phase(ctx, world, Phase.CALL)
    auth.login("samia@example.org")
    response = post(_url(world), _data(world))
    assert response.status_code == 409
    assert "ne se déposent que pendant" in response.get_data(as_text=True)
    with ctx():
        assert count(Need) == 1


@pytest.mark.parametrize("changes, message", [
    ({"title": ""}, "Ce champ est obligatoire."),
    ({"title": "x" * 121}, "120 caractères au maximum."),
    ({"description": "y" * 2001}, "2000 caractères au maximum."),
    ({"description": "<script>alert(1)</script>"}, "sans balises HTML"),
    ({"title": "<b>gras</b>"}, "sans balises HTML"),
    ({"field_id": "999999"}, "Choisissez une thématique de la liste."),
    ({"field_id": "pas-un-nombre"}, "Choisissez une thématique de la liste."),
])
def test_need_new_bad_input_rerenders_with_french_message(world, auth, post, ctx, changes,
                                                           message):
    auth.login("samia@example.org")
    response = post(_url(world), _data(world, **changes))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    with ctx():
        assert count(Need) == 1


def test_need_new_with_field_of_another_round_is_refused(world, auth, post, ctx):
    with ctx():
        foreign_field = make_round(Phase.NEEDS, title="Autre appel").fields[0].id
        db.session.commit()
    auth.login("samia@example.org")
    response = post(_url(world), _data(world, field_id=str(foreign_field)))
    assert "Choisissez une thématique de la liste." in response.get_data(as_text=True)
    with ctx():
        assert count(Need) == 1


def test_support_twice_is_refused_with_a_message(world, auth, post, client, ctx):
    auth.login("karim@example.org")
    post(f"/habitants/solutions/{world['need']}/soutien")
    response = post(f"/habitants/solutions/{world['need']}/soutien")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Vous soutenez déjà cette solution attendue." in page
    with ctx():
        assert count(Support) == 1


def test_support_post_reads_the_need_once(world, auth, client, app, ctx):
    """Issue 9: the need is read once, under the lock the support takes, not loaded and then
    read again; the POST sends the account, the need, its round and territory, the existing
    support, the new one and the count."""
    auth.login("karim@example.org")
    token = csrf_token(client, "/")
    with counting_queries(app) as statements:
        response = client.post(f"/habitants/solutions/{world['need']}/soutien",
                               data={"csrf_token": token})
    assert response.status_code == 302
    reads = [s for s in statements if s.lstrip().startswith("SELECT") and "FROM needs" in s]
    assert len(reads) == 1, "\n".join(statements)
    assert len(statements) <= 8, "\n".join(statements)
    with ctx():
        assert db.session.get(Need, world["need"]).support_count == 1


def test_support_withdraw_removes_the_support(world, auth, post, ctx):
    auth.login("karim@example.org")
    post(f"/habitants/solutions/{world['need']}/soutien")
    post(f"/habitants/solutions/{world['need']}/soutien/retrait")
    with ctx():
        assert count(Support) == 0


def test_support_after_needs_phase_is_refused(world, auth, post, ctx):
    _set_phase(ctx, world, Phase.CALL)
    auth.login("karim@example.org")
    post(f"/habitants/solutions/{world['need']}/soutien")
    with ctx():
        assert count(Support) == 0


def test_need_edit_by_author_keeps_the_old_wording(world, auth, post, client, ctx):
    auth.login("samia@example.org")
    response = post(f"/habitants/solutions/{world['need']}/modifier",
                    _data(world, title="Plus de cafards, vraiment"))
    assert response.status_code == 302
    with ctx():
        need = db.session.get(Need, world["need"])
        assert need.title == "Plus de cafards, vraiment"
        assert need.revisions[0].old_title == "On ne veut plus de cafards dans le quartier"
    page = client.get("/habitants/mes-solutions").get_data(as_text=True)
    assert "On ne veut plus de cafards dans le quartier" in page


def test_need_edit_of_another_residents_need_is_forbidden(world, auth, post, ctx):
    auth.login("karim@example.org")
    response = post(f"/habitants/solutions/{world['need']}/modifier", _data(world))
    assert response.status_code == 403
    with ctx():
        assert db.session.get(Need, world["need"]).title.startswith("On ne veut plus")


def test_need_detail_hides_the_edit_link_from_other_residents(world, auth, client):
    auth.login("karim@example.org")
    page = client.get(f"/solutions/{world['need']}").get_data(as_text=True)
    assert "/modifier" not in page
    assert "Je soutiens" in page


def test_need_new_for_unknown_round_is_404(world, auth, post):
    auth.login("samia@example.org")
    assert post("/habitants/appels/987654/solutions/nouvelle", _data(world)).status_code == 404


def test_support_of_hidden_need_is_refused(world, auth, post, ctx):
    with ctx():
        db.session.get(Need, world["need"]).status = NeedStatus.HIDDEN
        db.session.commit()
    auth.login("karim@example.org")
    post(f"/habitants/solutions/{world['need']}/soutien")
    with ctx():
        assert count(Support) == 0


def test_hidden_need_shows_its_reason_to_the_author_only(world, auth, client, ctx):
    with ctx():
        round_ = db.session.get(Round, world["round"])
        author = db.session.get(Need, world["need"]).author
        hidden = make_need(round_, author, title="Masquée", status=NeedStatus.HIDDEN,
                           hidden_reason="Propos injurieux envers un voisin").id
        db.session.commit()
    auth.login("samia@example.org")
    assert "Propos injurieux envers un voisin" in client.get(
        "/habitants/mes-solutions").get_data(as_text=True)
    assert "Propos injurieux" in client.get(f"/solutions/{hidden}").get_data(as_text=True)
    auth.logout()
    assert client.get(f"/solutions/{hidden}").status_code == 404
