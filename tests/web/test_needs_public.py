"""Public round pages: lifecycle, need list (sorts, pagination), need page, call, print, .ics."""

import re

from sqlalchemy import event

from pdvsolutions.extensions import db
from pdvsolutions.models import (
    LegalForm,
    Need,
    NeedStatus,
    Organization,
    Proposal,
    ProposalStatus,
    Round,
    User,
)
from pdvsolutions.rules.phases import Phase

from .. import fixtures_needs
from ..factories import make_user
from ..factories_needs import make_need, make_round, support

world, ctx = fixtures_needs.world, fixtures_needs.ctx


def _titles(html: str, titles: list[str]) -> list[str]:
    return sorted((t for t in titles if t in html), key=html.index)


def test_round_detail_shows_the_timeline_with_planned_dates(world, client):
    page = client.get(f"/appels/{world['round']}").get_data(as_text=True)
    assert 'aria-current="step"' in page
    assert "1 mars 2026" in page and "Appel à solutions ouvert aux structures" in page


def test_round_detail_of_a_draft_is_not_public(world, client, ctx):
    with ctx():
        draft = make_round(Phase.DRAFT, title="Brouillon").id
        db.session.commit()
    assert client.get(f"/appels/{draft}").status_code == 404
    assert "Brouillon" not in client.get("/appels").get_data(as_text=True)


def test_need_list_sorts_by_supports_then_recent(world, client, ctx):
    with ctx():
        round_ = db.session.get(Round, world["round"])
        author = db.session.get(User, world["neighbour"])
        popular = make_need(round_, author, title="Soutien scolaire renforcé")
        supporters = [make_user(email=f"s{i}@example.org") for i in range(3)]
        support(popular, *supporters)
        make_need(round_, author, title="Nouvelle idée sans soutien")
        db.session.commit()
    titles = ["Soutien scolaire renforcé", "On ne veut plus de cafards dans le quartier",
              "Nouvelle idée sans soutien"]
    by_supports = client.get(f"/appels/{world['round']}/solutions").get_data(as_text=True)
    assert _titles(by_supports, titles)[0] == "Soutien scolaire renforcé"
    assert "3 soutiens" in by_supports
    recent = client.get(f"/appels/{world['round']}/solutions?tri=recent").get_data(as_text=True)
    assert _titles(recent, titles)[0] == "Nouvelle idée sans soutien"


def test_need_list_hides_hidden_and_merged_needs(world, client, ctx):
    with ctx():
        round_ = db.session.get(Round, world["round"])
        author = db.session.get(User, world["neighbour"])
        make_need(round_, author, title="Texte masqué", status=NeedStatus.HIDDEN,
                  hidden_reason="hors sujet")
        make_need(round_, author, title="Texte regroupé", status=NeedStatus.MERGED)
        db.session.commit()
    page = client.get(f"/appels/{world['round']}/solutions").get_data(as_text=True)
    assert "Texte masqué" not in page and "Texte regroupé" not in page
    assert "hors sujet" not in page


def test_need_list_paginates_with_a_constant_number_of_queries(world, client, ctx, app):
    with ctx():
        round_ = db.session.get(Round, world["round"])
        author = db.session.get(User, world["neighbour"])
        for number in range(45):
            support(make_need(round_, author, title=f"Idée {number:02d}"), author)
        db.session.commit()
    statements = []
    with ctx():
        engine = db.engine

    def count_statement(*args):
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", count_statement)
    try:
        page2 = client.get(f"/appels/{world['round']}/solutions?tri=recent&page=2")
    finally:
        event.remove(engine, "before_cursor_execute", count_statement)
    html = page2.get_data(as_text=True)
    assert "Page 2 sur 3" in html
    assert html.count('class="need"') == 20
    assert len(statements) <= 6, statements


def test_need_list_with_bad_parameters_falls_back_to_defaults(world, client):
    response = client.get(f"/appels/{world['round']}/solutions?tri=%3Cx%3E&thematique=abc&page=-3")
    assert response.status_code == 200
    assert "On ne veut plus de cafards" in response.get_data(as_text=True)


def test_need_detail_shows_no_name_without_consent(world, client, ctx):
    page = client.get(f"/solutions/{world['need']}").get_data(as_text=True)
    assert "Samia" not in page and "Benali" not in page
    assert "un habitant" in page


def test_call_detail_counts_proposals_except_drafts(world, client, ctx):
    with ctx():
        round_ = db.session.get(Round, world["round"])
        need = db.session.get(Need, world["need"])
        need.status = NeedStatus.RETAINED
        need.call_title = "Lutter durablement contre les nuisibles"
        support(need, db.session.get(User, world["neighbour"]))
        org = Organization(name="Association Les Tilleuls", legal_form=LegalForm.ASSOCIATION,
                           siret="12345678900011")
        db.session.add(org)
        db.session.flush()
        for status in (ProposalStatus.SUBMITTED, ProposalStatus.ELIGIBLE, ProposalStatus.DRAFT):
            db.session.add(Proposal(round_id=round_.id, organization_id=org.id, title="Action",
                                    status=status, needs=[need]))
        round_.phase = Phase.CALL
        db.session.commit()
    page = client.get(f"/appels/{world['round']}/appel").get_data(as_text=True)
    assert "Lutter durablement contre les nuisibles" in page
    row = page[page.index("Lutter durablement"):]
    row = row[:row.index("</tr>")]
    assert [cell.split("<")[0] for cell in row.split("<td>")[2:]] == ["1", "2"]
    assert re.search(r"120\s000,00", page)


def test_call_print_uses_the_print_stylesheet(world, client, ctx):
    with ctx():
        db.session.get(Round, world["round"]).phase = Phase.CALL
        db.session.commit()
    page = client.get(f"/appels/{world['round']}/appel/imprimer").get_data(as_text=True)
    assert "css/needs.css" in page and 'class="call-print"' in page
    response = client.get("/static/css/needs.css")
    assert "@media print" in response.get_data(as_text=True)
    response.close()


def test_call_detail_before_the_call_is_404(world, client):
    assert client.get(f"/appels/{world['round']}/appel").status_code == 404


def test_round_calendar_is_an_icalendar_file_of_the_planned_dates(world, client):
    response = client.get(f"/appels/{world['round']}/calendrier.ics")
    assert response.headers["Content-Type"].startswith("text/calendar")
    body = response.get_data(as_text=True)
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert "DTSTART;VALUE=DATE:20260301" in body and "DTSTART;VALUE=DATE:20260501" in body
    assert body.count("BEGIN:VEVENT") == 2


def test_home_lists_open_rounds(world, client):
    page = client.get("/").get_data(as_text=True)
    assert "Appel 2026" in page and f"/appels/{world['round']}" in page


def test_need_list_of_unknown_round_is_404(world, client):
    assert client.get("/appels/424242/solutions").status_code == 404


def test_need_detail_of_merged_need_points_to_the_kept_one(world, client, ctx):
    with ctx():
        round_ = db.session.get(Round, world["round"])
        merged = make_need(round_, db.session.get(User, world["neighbour"]), title="Doublon",
                           status=NeedStatus.MERGED, merged_into_id=world["need"]).id
        db.session.commit()
    page = client.get(f"/solutions/{merged}").get_data(as_text=True)
    assert f'/solutions/{world["need"]}"' in page




def test_need_list_by_field_pages_follow_fields_then_supports(world, client, ctx, app):
    """Each page of the "by field" sort is the matching slice of the whole ordered list."""
    app.config["PAGE_SIZE"] = 2
    with ctx():
        round_ = db.session.get(Round, world["round"])
        author = db.session.get(User, world["neighbour"])
        people = [make_user(email=f"f{i}@example.org") for i in range(3)]
        for index in range(3):
            for supporters in (0, 2, 1):
                need = make_need(round_, author, title=f"Champ {index} soutiens {supporters}",
                                 field_index=index)
                support(need, *people[:supporters])
        db.session.commit()
    # Fields in their order; in each, by supports, then the most recent first: the need of
    # the world (third field, no support) is older than "Champ 2 soutiens 0".
    expected = [f"Champ {index} soutiens {n}" for index in range(3) for n in (2, 1, 0)]
    expected.append("On ne veut plus de cafards dans le quartier")
    shown = []
    for page in range(1, 6):
        html = client.get(f"/appels/{world['round']}/solutions?tri=field&page={page}")
        shown += _titles(html.get_data(as_text=True), expected)
    assert shown == expected


def test_need_list_counts_up_to_the_cap_then_says_more_than(world, client, ctx, monkeypatch):
    from pdvsolutions.services import needs

    monkeypatch.setattr(needs, "COUNT_CAP", 3)
    with ctx():
        round_ = db.session.get(Round, world["round"])
        author = db.session.get(User, world["neighbour"])
        for number in range(4):
            make_need(round_, author, title=f"Idée {number}")
        db.session.commit()
    html = client.get(f"/appels/{world['round']}/solutions").get_data(as_text=True)
    assert "Plus de 3 solutions attendues" in html
    assert "Page 1</li>" not in html  # 5 needs fit on one page: no pagination at all
    monkeypatch.setattr(needs, "COUNT_CAP", 10)
    html = client.get(f"/appels/{world['round']}/solutions").get_data(as_text=True)
    assert "5 solutions attendues" in html


def test_need_list_beyond_the_cap_pages_without_a_total(world, client, ctx, app, monkeypatch):
    from pdvsolutions.services import needs

    monkeypatch.setattr(needs, "COUNT_CAP", 2)
    app.config["PAGE_SIZE"] = 2
    with ctx():
        round_ = db.session.get(Round, world["round"])
        author = db.session.get(User, world["neighbour"])
        for number in range(4):
            make_need(round_, author, title=f"Idée {number}")
        db.session.commit()
    first = client.get(f"/appels/{world['round']}/solutions?tri=recent").get_data(as_text=True)
    last = client.get(f"/appels/{world['round']}/solutions?tri=recent&page=3")
    last = last.get_data(as_text=True)
    assert "Page 1</li>" in first and 'rel="next"' in first and 'rel="prev"' not in first
    assert "Page 3</li>" in last and 'rel="next"' not in last and 'rel="prev"' in last
    assert last.count('class="need"') == 1
