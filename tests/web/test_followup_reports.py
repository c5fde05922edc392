"""Operators post progress reports on their own funded actions only."""

import pytest
import sqlalchemy as sa

from pdvsolutions.extensions import db
from pdvsolutions.models import ProgressReport, Role

from .. import factories
from .. import factories_followup as ff
from ..conftest import count

FORM = {"kind": "interim", "done": "Douze ateliers au centre social.", "people_reached": "35",
        "indicator_1_label": "Jeunes accompagnés", "indicator_1_target": "30",
        "indicator_1_achieved": "28", "indicator_1_unit": "jeunes",
        "planned_64": "8 000", "actual_64": "7 650,50", "planned_60": "500", "actual_60": ""}


@pytest.fixture
def world(app):
    with app.app_context():
        w = ff.follow_up_world()
        other = factories.make_user(Role.OPERATOR)
        db.session.commit()
        return {"url": f"/structures/bilans/actions/{w['funded'].id}/nouveau",
                "unfunded": f"/structures/bilans/actions/{w['unfunded'].id}/nouveau",
                "operator": w["operator"].email, "other": other.email}


def test_operator_posts_report_with_budget_lines(client, auth, post, app, world):
    auth.login(world["operator"])
    assert post(world["url"], FORM).status_code == 302
    with app.app_context():
        report = db.session.scalar(sa.select(ProgressReport))
        assert report.people_reached == 35
        assert [(b.account_code, b.planned_cents, b.actual_cents) for b in report.budget_lines] \
            == [("60", 50_000, 0), ("64", 800_000, 765_050)]
        assert report.indicators[0].achieved == 28


def test_operator_of_another_organisation_is_refused(client, auth, post, app, world):
    auth.login(world["other"])
    assert client.get(world["url"]).status_code == 403
    assert post(world["url"], FORM).status_code == 403
    with app.app_context():
        assert count(ProgressReport) == 0


def test_unfunded_action_has_no_report_page(client, auth, world):
    auth.login(world["operator"])
    assert client.get(world["unfunded"]).status_code == 404


@pytest.mark.parametrize("field,value,message", [
    ("people_reached", "-3", "entre 0 et 10 000 000"),
    ("people_reached", "beaucoup", "nombre entier"),
    ("actual_64", "-10", "montant en euros"),
    ("done", "<img src=x onerror=alert(1)>", "balises HTML"),
    ("indicator_1_target", "", "objectif et le résultat atteint"),
    ("kind", "annual", "type de bilan"),
])
def test_bad_report_gets_french_message(client, auth, post, app, world, field, value, message):
    auth.login(world["operator"])
    response = post(world["url"], {**FORM, field: value})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert count(ProgressReport) == 0


def test_report_without_budget_line_refused(client, auth, post, app, world):
    auth.login(world["operator"])
    data = {k: v for k, v in FORM.items() if not k.startswith(("planned", "actual"))}
    response = post(world["url"], data)
    assert "au moins une ligne" in response.get_data(as_text=True)
    with app.app_context():
        assert count(ProgressReport) == 0


def test_report_form_starts_from_the_proposal(client, auth, app, world):
    from pdvsolutions.models import BudgetLine, Indicator, Proposal

    with app.app_context():
        proposal = db.session.get(Proposal, int(world["url"].split("/")[-2]))
        db.session.add_all([
            Indicator(proposal_id=proposal.id, label="Collégiens suivis", target=30,
                      unit="jeunes"),
            BudgetLine(proposal_id=proposal.id, account="64", label="Animateurs",
                       amount_cents=800_000)])
        db.session.commit()
    auth.login(world["operator"])
    html = client.get(world["url"]).get_data(as_text=True)
    assert 'value="Collégiens suivis"' in html and 'value="8000,00"' in html
