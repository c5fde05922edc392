"""Staff: rounds (create, edit, phase change) and needs (assisted entry, moderation, retain)."""

import pytest
import sqlalchemy as sa

from pdvsolutions.extensions import db
from pdvsolutions.models import (
    AuditEvent,
    Need,
    NeedStatus,
    OutboxMessage,
    Role,
    Round,
    Support,
    User,
)
from pdvsolutions.rules.phases import Phase

from .. import fixtures_needs
from ..conftest import count
from ..factories import make_user, territory
from ..factories_needs import make_need, make_round, support

world, ctx = fixtures_needs.world, fixtures_needs.ctx


@pytest.fixture
def staff(world, auth):
    auth.login("agent@example.org")
    return world


def _audit(action: str, object_id) -> AuditEvent | None:
    return db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == action, AuditEvent.object_id == str(object_id)))


def _outbox(kind: str) -> list[OutboxMessage]:
    return list(db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == kind)))


def _round_data(ctx, **changes):
    with ctx():
        territory_id = territory().id
    data = {"territory_id": str(territory_id), "title": "Appel à solutions 2027",
            "presentation": "Budget de fonctionnement", "envelope": "120 000,50",
            "max_duration_months": "36", "fields": "Éducation\nSanté\n",
            "ballot_type": "approval", "tally_rule": "greedy",
            "date_needs": "2027-01-10", "date_call": "2027-03-01", "call_deadline": "2027-04-30"}
    data.update(changes)
    return data


def test_round_new_stores_envelope_in_cents_fields_and_dates(staff, post, ctx):
    response = post("/agents/appels/nouveau", _round_data(ctx))
    assert response.status_code == 302
    with ctx():
        round_ = db.session.scalar(sa.select(Round).where(Round.title == "Appel à solutions 2027"))
        assert round_.envelope_cents == 12_000_050
        assert [f.label for f in round_.fields] == ["Éducation", "Santé"]
        assert str(round_.planned_date(Phase.CALL)) == "2027-03-01"
        assert round_.phase is Phase.DRAFT
        assert _audit("round.create", round_.id) is not None


@pytest.mark.parametrize("changes, message", [
    ({"envelope": "douze mille"}, "Saisissez un montant en euros"),
    ({"envelope": "0"}, "doit être supérieure à zéro"),
    ({"envelope": "1000", "year1": "600", "year2": "300"}, "doit être égale à"),
    ({"fields": "Santé\nsanté"}, "une fois"),
    ({"date_needs": "2027-05-01"}, "doivent se suivre dans"),
    ({"date_call": "pas une date"}, "Saisissez une date valide."),
    ({"territory_id": "999"}, "Choisissez un territoire de la liste."),
    ({"ballot_type": "cumulative"}, "nombre de points"),
    ({"title": ""}, "Ce champ est obligatoire."),
])
def test_round_new_bad_input_rerenders_and_creates_nothing(staff, post, ctx, changes, message):
    response = post("/agents/appels/nouveau", _round_data(ctx, **changes))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    with ctx():
        assert count(Round) == 1


def test_round_edit_of_a_draft_replaces_its_settings(staff, post, ctx):
    with ctx():
        draft = make_round(Phase.DRAFT, title="Brouillon").id
        db.session.commit()
    post(f"/agents/appels/{draft}/modifier", _round_data(ctx, fields="Culture", envelope="5000"))
    with ctx():
        round_ = db.session.get(Round, draft)
        assert round_.envelope_cents == 500_000
        assert [f.label for f in round_.fields] == ["Culture"]


def test_round_phase_illegal_transition_is_refused_with_a_message(staff, post, ctx):
    response = post(f"/agents/appels/{staff['round']}/phase", {"target": "call"})
    assert response.status_code == 200
    assert "Retenez au moins une solution attendue" in response.get_data(as_text=True)
    with ctx():
        assert db.session.get(Round, staff["round"]).phase is Phase.NEEDS
        event = _audit("round.phase_change", staff["round"])
        assert event.outcome == "failure"


def test_round_phase_get_shows_a_confirmation_and_changes_nothing(staff, client, ctx):
    page = client.get(f"/agents/appels/{staff['round']}/phase").get_data(as_text=True)
    assert "Confirmer" in page
    with ctx():
        assert db.session.get(Round, staff["round"]).phase is Phase.NEEDS


def test_round_phase_change_opens_the_call_and_notifies_opted_in_residents(staff, post, ctx):
    with ctx():
        db.session.get(Need, staff["need"]).status = NeedStatus.RETAINED
        db.session.get(User, staff["neighbour"]).notify_rounds = True
        db.session.commit()
    response = post(f"/agents/appels/{staff['round']}/phase", {"target": "call"})
    assert response.status_code == 302
    with ctx():
        assert db.session.get(Round, staff["round"]).phase is Phase.CALL
        messages = _outbox("round.phase")
        assert [m.to_address for m in messages] == ["karim@example.org"]
        assert _audit("round.phase_change", staff["round"]).outcome == "success"


def test_need_hide_records_reason_audit_and_outbox(staff, post, ctx):
    response = post(f"/agents/solutions/{staff['need']}/masquer",
                    {"hide-reason": "Ce message vise une personne nommément."})
    assert response.status_code == 302
    with ctx():
        need = db.session.get(Need, staff["need"])
        assert need.status is NeedStatus.HIDDEN
        assert need.hidden_reason == "Ce message vise une personne nommément."
        assert _audit("need.hide", need.id) is not None
        [message] = _outbox("need.hidden")
        assert "vise une personne" in message.body and message.to_address == "samia@example.org"


def test_need_hide_without_reason_is_refused(staff, post, ctx):
    response = post(f"/agents/solutions/{staff['need']}/masquer", {"hide-reason": ""})
    assert response.status_code == 422
    assert "Ce champ est obligatoire." in response.get_data(as_text=True)
    with ctx():
        assert db.session.get(Need, staff["need"]).status is NeedStatus.PUBLISHED


def test_need_merge_moves_supports_and_counts_a_double_supporter_once(staff, post, ctx):
    with ctx():
        round_ = db.session.get(Round, staff["round"])
        kept = make_need(round_, db.session.get(User, staff["neighbour"]), title="Dératisation")
        both, only_dup, only_kept = (make_user(email=f"{n}@example.org") for n in "abc")
        duplicate = db.session.get(Need, staff["need"])
        support(duplicate, both, only_dup)
        support(kept, both, only_kept)
        kept_id = kept.id
        db.session.commit()
    response = post(f"/agents/solutions/{staff['need']}/fusionner", {"merge-kept_id": kept_id})
    assert response.status_code == 302
    with ctx():
        supporters = set(db.session.scalars(
            sa.select(Support.user_id).where(Support.need_id == kept_id)))
        assert len(supporters) == 3
        duplicate = db.session.get(Need, staff["need"])
        assert duplicate.status is NeedStatus.MERGED and duplicate.merged_into_id == kept_id
        assert count(Need) == 2
        assert _audit("need.merge", duplicate.id) is not None
        assert len(_outbox("need.merged")) == 1


def test_need_hide_is_refused_once_others_are_regrouped_with_it(staff, post, ctx):
    """Hiding it would hide the supports moved onto it: refused, with a way out."""
    with ctx():
        round_ = db.session.get(Round, staff["round"])
        duplicate = make_need(round_, db.session.get(User, staff["neighbour"]), title="Rats")
        support(duplicate, make_user(email="a@example.org"))
        duplicate_id = duplicate.id
        db.session.commit()
    assert post(f"/agents/solutions/{duplicate_id}/fusionner",
                {"merge-kept_id": staff["need"]}).status_code == 302
    response = post(f"/agents/solutions/{staff['need']}/masquer",
                    {"hide-reason": "Ce message vise une personne nommément."})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "1 autre solution a été regroupée avec celle-ci" in page
    assert "Reformulez-la" in page
    with ctx():
        kept = db.session.get(Need, staff["need"])
        assert kept.status is NeedStatus.PUBLISHED and kept.support_count == 1
        assert db.session.get(Need, duplicate_id).merged_into_id == kept.id
        assert _audit("need.hide", kept.id) is None and _outbox("need.hidden") == []


def test_need_merge_into_need_of_another_round_is_refused(staff, post, ctx):
    with ctx():
        other = make_round(Phase.NEEDS, title="Autre")
        foreign = make_need(other, db.session.get(User, staff["neighbour"])).id
        db.session.commit()
    response = post(f"/agents/solutions/{staff['need']}/fusionner", {"merge-kept_id": foreign})
    assert response.status_code == 422
    assert "de ce même appel" in response.get_data(as_text=True)
    with ctx():
        assert db.session.get(Need, staff["need"]).status is NeedStatus.PUBLISHED
        assert _audit("need.merge", staff["need"]) is None


def test_need_retain_rewords_keeps_original_audits_and_notifies(staff, post, ctx):
    response = post(f"/agents/solutions/{staff['need']}/retenir", {
        "retain-call_title": "Lutter durablement contre les nuisibles",
        "retain-call_description": "Une action de désinsectisation avec les habitants."})
    assert response.status_code == 302
    with ctx():
        need = db.session.get(Need, staff["need"])
        assert need.status is NeedStatus.RETAINED
        assert need.shown_title == "Lutter durablement contre les nuisibles"
        assert need.title == "On ne veut plus de cafards dans le quartier"
        assert _audit("need.retain", need.id) is not None
        assert len(_outbox("need.retained")) == 1


def test_need_moderate_edit_changes_field_visible_to_author(staff, post, ctx, client, auth):
    response = post(f"/agents/solutions/{staff['need']}/modifier", {
        "edit-title": "On ne veut plus de cafards dans le quartier",
        "edit-description": "Les cafards reviennent chaque été dans les bâtiments.",
        "edit-field_id": staff["fields"][3], "edit-place": ""})
    assert response.status_code == 302
    with ctx():
        need = db.session.get(Need, staff["need"])
        assert need.field.label == "Santé"
        assert need.revisions[0].by_staff and need.revisions[0].old_field_label == "Cadre de vie"
        assert _audit("need.moderate_edit", need.id) is not None
        assert len(_outbox("need.edited")) == 1
    auth.logout()
    auth.login("samia@example.org")
    page = client.get("/habitants/mes-solutions").get_data(as_text=True)
    assert "Modifiée par l'équipe de la métropole" in page


def test_need_assisted_new_marks_and_audits_the_entry(staff, post, ctx, client):
    with ctx():
        person = make_user(Role.RESIDENT, email=None, username="fatima.b", password=False)
        person_id = person.id
        db.session.commit()
    response = post(f"/agents/appels/{staff['round']}/solutions/saisie", {
        "resident": "fatima.b", "title": "Un accompagnement vers les grandes écoles",
        "description": "Nos bacheliers doivent avoir les mêmes chances.",
        "field_id": staff["fields"][0], "place": ""})
    assert response.status_code == 302
    with ctx():
        need = db.session.scalar(sa.select(Need).where(Need.author_id == person_id))
        assert need.assisted_by_id == staff["staff"]
        event = _audit("need.assisted_entry", need.id)
        assert event.actor_id == staff["staff"]
        need_id = need.id
    assert "saisi avec l'aide d'un agent" in client.get(
        f"/solutions/{need_id}").get_data(as_text=True)


def test_need_assisted_new_for_resident_of_other_territory_is_refused(staff, post, ctx):
    response = post(f"/agents/appels/{staff['round']}/solutions/saisie", {
        "resident": "lucie@example.org", "title": "Titre", "description": "Texte",
        "field_id": staff["fields"][0]})
    assert response.status_code == 200
    assert "habite pas le territoire de cet appel" in response.get_data(as_text=True)
    with ctx():
        assert count(Need) == 1


def test_round_phase_confirmation_of_a_stale_phase_changes_nothing(staff, post, ctx):
    with ctx():
        db.session.get(Need, staff["need"]).status = NeedStatus.RETAINED
        db.session.commit()
    response = post(f"/agents/appels/{staff['round']}/phase", {"target": "review"})
    assert response.status_code == 200
    assert "changé d&#39;étape entre-temps" in response.get_data(as_text=True)
    with ctx():
        assert db.session.get(Round, staff["round"]).phase is Phase.NEEDS


def test_round_new_stores_the_completion_of_equal_shares(staff, post, ctx):
    response = post("/agents/appels/nouveau", _round_data(
        ctx, tally_rule="equal_shares", completion="add1-comparison"))
    assert response.status_code == 302
    with ctx():
        round_ = db.session.scalar(sa.select(Round).where(Round.title == "Appel à solutions 2027"))
        assert round_.completion.value == "add1-comparison"


def test_round_new_completion_defaults_to_add1_and_refuses_an_unknown_one(staff, post, ctx):
    refused = post("/agents/appels/nouveau", _round_data(ctx, completion="add2"))
    assert refused.status_code == 200
    assert "Choisissez une valeur de la liste." in refused.get_data(as_text=True)
    with ctx():
        assert count(Round) == 1
    assert post("/agents/appels/nouveau", _round_data(ctx)).status_code == 302
    with ctx():
        round_ = db.session.scalar(sa.select(Round).where(Round.title == "Appel à solutions 2027"))
        assert round_.completion.value == "add1"


def test_moderation_list_is_paginated(staff, client, ctx, app):
    app.config["PAGE_SIZE"] = 2
    with ctx():
        round_ = db.session.get(Round, staff["round"])
        author = db.session.get(User, staff["resident"])
        for number in range(2):
            make_need(round_, author, title=f"Besoin numéro {number}")
        make_need(round_, author, title="Besoin masqué", status=NeedStatus.HIDDEN)
        db.session.commit()
    first = client.get(f"/agents/appels/{staff['round']}/solutions").get_data(as_text=True)
    second = client.get(f"/agents/appels/{staff['round']}/solutions?page=2")
    second = second.get_data(as_text=True)
    assert "Page 1 sur 2" in first and first.count("/agents/solutions/") == 2
    assert "Page 2 sur 2" in second and second.count("/agents/solutions/") == 2
    hidden = client.get(f"/agents/appels/{staff['round']}/solutions?statut=hidden")
    hidden = hidden.get_data(as_text=True)
    assert "Besoin masqué" in hidden and "Page 1" not in hidden
