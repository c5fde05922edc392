"""The evaluation figures on a known data set, exact everywhere they are shown: the report
(exact fractions), the staff CSV, the public summary, the open-data aggregates.

Five voters signed in (a sixth committee member did not vote); three funded actions:
"Cours du soir" evaluated by v1, v2, v3; "Jardin partagé" by v1, v4; "Fête de quartier" by
nobody. Worked out by hand below.
"""

import csv
import io
from fractions import Fraction

import pytest

from pdvsolutions.extensions import db
from pdvsolutions.models import Renew, Role
from pdvsolutions.rules.phases import Phase
from pdvsolutions.services import evaluation, opendata
from pdvsolutions.services.phases import change_phase

from .. import factories
from .. import factories_followup as ff

RATINGS = {
    "Cours du soir": [(0, 5, 4, 3, 5, Renew.YES), (1, 4, 4, 2, 5, Renew.NO),
                      (2, 3, 2, 2, 4, Renew.DONT_KNOW)],
    "Jardin partagé": [(0, 2, 3, 4, 1, Renew.YES), (3, 5, 5, 5, 5, Renew.YES)],
    "Fête de quartier": [],
}


def _known_data_set():
    round_ = ff.make_round(Phase.EVALUATION)
    org = ff.make_organization()
    proposals = {title: ff.make_proposal(round_, org, title=title, requested_cents=500_000)
                 for title in RATINGS}
    voters = [ff.make_voter(round_) for _ in range(5)]
    ff.make_voter(round_, signed=False)
    for title, rows in RATINGS.items():
        for voter, a, q, r, rel, renew in rows:
            evaluation.submit_evaluation(proposals[title], voters[voter],
                                         evaluation.Answers(a, q, r, rel, "", renew))
    return round_


@pytest.fixture
def report(app_ctx):
    return evaluation.round_report(_known_data_set())


def _action(report, title):
    return next(a.summary for a in report.actions if a.proposal.title == title)


def test_round_response_rate_counts_voters_who_evaluated_anything(report):
    assert (report.voters, report.evaluators) == (5, 4)
    assert report.response_rate == Fraction(4, 5)


def test_action_averages_and_rates_are_exact(report):
    first = _action(report, "Cours du soir")
    assert first.response_rate == Fraction(3, 5)
    assert first.averages == {"answers_need": Fraction(4), "quality": Fraction(10, 3),
                              "reach": Fraction(7, 3), "relation": Fraction(14, 3)}
    assert first.distributions["answers_need"] == {1: 0, 2: 0, 3: 1, 4: 1, 5: 1}
    assert first.renew == {"yes": 1, "no": 1, "dont_know": 1} and not first.renewed
    second = _action(report, "Jardin partagé")
    assert second.response_rate == Fraction(2, 5)
    assert second.averages == {"answers_need": Fraction(7, 2), "quality": Fraction(4),
                               "reach": Fraction(9, 2), "relation": Fraction(3)}
    assert second.renewed


def test_action_without_response_has_a_zero_rate_and_no_average(report):
    third = _action(report, "Fête de quartier")
    assert third.response_rate == Fraction(0)
    assert set(third.averages.values()) == {None}


def test_overall_averages_weigh_every_evaluation(report):
    assert report.overall.responses == 5
    assert report.overall.averages == {"answers_need": Fraction(19, 5),
                                       "quality": Fraction(18, 5),
                                       "reach": Fraction(16, 5), "relation": Fraction(4)}


def test_staff_csv_shows_the_exact_figures_rounded(client, app):
    with app.app_context():
        round_id = _known_data_set().id
        staff = factories.make_user(Role.STAFF)
        db.session.commit()
        from ..access.matrix import login_as

        login_as(client, staff)
    text = client.get(f"/agents/evaluation/{round_id}/rapport.csv").get_data(as_text=True)
    rows = {row["action"]: row for row in csv.DictReader(io.StringIO(text))}
    assert [rows["Cours du soir"][k] for k in (
        "votants", "reponses", "taux_reponse_pct", "moyenne_answers_need", "moyenne_quality",
        "moyenne_reach", "moyenne_relation", "renouveler_oui", "renouveler_non",
        "renouveler_ne_sait_pas")] == ["5", "3", "60.0", "4.00", "3.33", "2.33", "4.67",
                                       "1", "1", "1"]
    assert rows["Jardin partagé"]["taux_reponse_pct"] == "40.0"
    assert rows["Jardin partagé"]["moyenne_reach"] == "4.50"
    # No answer is a rate of zero, not a blank; its averages are blank.
    assert rows["Fête de quartier"]["taux_reponse_pct"] == "0.0"
    assert rows["Fête de quartier"]["moyenne_quality"] == ""


@pytest.fixture
def closed(app):
    with app.app_context():
        round_ = _known_data_set()
        change_phase(round_, Phase.CLOSED, factories.make_user(Role.STAFF))
        db.session.commit()
        return round_.id


def test_public_summary_shows_the_exact_figures(client, closed):
    html = client.get(f"/editions/{closed}/evaluation").get_data(as_text=True)
    assert "4 habitant(s) sur 5 votant(s) ont évalué au moins une action" in html
    assert "taux de réponse : 80 %" in html
    assert "3 réponse(s) sur 5 votant(s) (60 %)" in html
    assert "2 réponse(s) sur 5 votant(s) (40 %)" in html
    assert "0 réponse(s) sur 5 votant(s) (0 %)" in html
    for average in ("moyenne 3,3 sur 5", "moyenne 2,3 sur 5", "moyenne 4,7 sur 5",
                    "moyenne 3,5 sur 5", "moyenne 4,5 sur 5"):
        assert average in html
    assert "aucune réponse" in html and "moyenne — sur 5" not in html


def test_open_data_aggregates_are_exact(app, closed):
    with app.app_context():
        rows = {r["action"]: r for r in opendata.evaluations_rows()}
    first = rows["Cours du soir"]
    assert (first["votants"], first["reponses"], first["taux_reponse"]) == (5, 3, "0.6000")
    assert [first[f"moyenne_{c}"] for c in ("answers_need", "quality", "reach", "relation")] \
        == ["4.00", "3.33", "2.33", "4.67"]
    assert (first["renouvelee"], rows["Jardin partagé"]["renouvelee"]) == (False, True)
    assert rows["Fête de quartier"]["taux_reponse"] == "0.0000"
    assert rows["Fête de quartier"]["moyenne_quality"] == ""
