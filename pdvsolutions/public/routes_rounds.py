"""Public pages of rounds: list, lifecycle, needs, the call (and its printable version), .ics."""

from flask import abort, current_app, make_response, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from ..auth.forms import safe_int
from ..extensions import db
from ..models import Need, NeedStatus, Round
from ..pagination import RowPage, page_and_size
from ..permissions import is_staff
from ..rules.calendar import CalendarEvent, to_ical
from ..rules.phases import ORDER, Phase
from ..services import followup, needs, rounds, voting
from ..timeutil import utcnow
from . import bp


def _published_round(round_id: int, options=()) -> Round:
    """A round the public may see: every phase but the draft (staff see drafts too).

    ``options`` are loader options of the query (what the page reads of the round)."""
    round_ = db.get_or_404(Round, round_id, options=options)
    if round_.phase is Phase.DRAFT and not is_staff(current_user):
        abort(404)
    return round_


_WITH_FIELDS = (joinedload(Round.fields),)


@bp.get("/appels")
def round_list():
    return render_template("public/round_list.html", rounds=rounds.public_rounds(),
                           labels=rounds.PHASE_LABELS)


@bp.get("/appels/<int:round_id>")
def round_detail(round_id: int):
    round_ = _published_round(round_id)
    followed = round_.phase in followup.FOLLOWED_PHASES
    result = voting.result_of(round_) if round_.results_published_at else None
    return render_template("public/round_detail.html", round=round_,
                           steps=rounds.timeline(round_), labels=rounds.PHASE_LABELS,
                           can_post=current_user.is_authenticated
                           and needs.can_take_part(current_user, round_),
                           deadline=rounds.deadline_local_date(round_),
                           has_results=result is not None and result.published,
                           roll=voting.roll_of(round_),
                           actions=followup.followed_actions(round_, acknowledged_only=True)
                           if followed else [])


@bp.get("/appels/<int:round_id>/solutions")
def need_list(round_id: int):
    # The fields come with the round (filter, labels): one query less on every page.
    round_ = _published_round(round_id, _WITH_FIELDS)
    sort = request.args.get("tri", "supports")
    if sort not in needs.SORTS:
        sort = "supports"
    field_id = safe_int(request.args.get("thematique"))
    if field_id is not None and all(f.id != field_id for f in round_.fields):
        field_id = None
    page, per_page = page_and_size()
    rows, total, more = needs.page_rows(round_, sort, page, per_page, field_id)
    labels = {f.id: f.label for f in round_.fields}
    supported = needs.supported_ids(current_user, [need.id for need, _count in rows])
    params = {"tri": sort, **({"thematique": field_id} if field_id else {})}
    return render_template(
        "public/need_list.html", round=round_, rows=rows, labels=labels, sort=sort,
        field_id=field_id, page=RowPage(page, per_page, total, more), params=params,
        count_cap=needs.COUNT_CAP,
        supported=supported, can_support=current_user.is_authenticated
        and needs.can_take_part(current_user, round_))


@bp.get("/solutions/<int:need_id>")
def need_detail(need_id: int):
    need = db.get_or_404(Need, need_id)
    round_ = _published_round(need.round_id)
    is_author = current_user.is_authenticated and need.author_id == current_user.id
    if need.status is NeedStatus.HIDDEN and not (is_author or is_staff(current_user)):
        abort(404)
    return render_template(
        "public/need_detail.html", need=need, round=round_, is_author=is_author,
        supports=need.support_count,
        supported=bool(needs.supported_ids(current_user, [need.id])),
        can_support=current_user.is_authenticated and need.is_visible
        and needs.can_take_part(current_user, round_),
        can_edit=current_user.is_authenticated and needs.can_edit(current_user, need))


def _call_round(round_id: int) -> Round:
    round_ = _published_round(round_id)
    if ORDER.index(round_.phase) < ORDER.index(Phase.CALL):
        abort(404)
    return round_


def _render_call(template: str, round_: Round):
    return render_template(template, round=round_, items=rounds.call_needs(round_),
                           deadline=rounds.deadline_local_date(round_),
                           open=round_.phase is Phase.CALL)


@bp.get("/appels/<int:round_id>/appel")
def call_detail(round_id: int):
    return _render_call("public/call_detail.html", _call_round(round_id))


@bp.get("/appels/<int:round_id>/appel/imprimer")
def call_print(round_id: int):
    return _render_call("public/call_print.html", _call_round(round_id))


@bp.get("/appels/<int:round_id>/calendrier.ics")
def round_calendar(round_id: int):
    round_ = _published_round(round_id)
    host = request.host.split(":")[0] or "pdvsolutions"
    url = current_app.config["PUBLIC_BASE_URL"] + url_for("public.round_detail",
                                                           round_id=round_.id)
    events = [CalendarEvent(uid=f"round-{round_.id}-{m.phase.value}@{host}", day=m.planned_on,
                            summary=f"{round_.title} – {rounds.PHASE_LABELS[m.phase]}", url=url)
              for m in sorted(round_.milestones, key=lambda m: m.planned_on)]
    deadline = rounds.deadline_local_date(round_)
    if deadline:
        events.append(CalendarEvent(
            uid=f"round-{round_.id}-deadline@{host}", day=deadline, url=url,
            summary=f"{round_.title} – {_('Date limite de dépôt des propositions')}"))
    response = make_response(to_ical(round_.title, events, utcnow()))
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="appel-{round_.id}.ics"'
    return response


# The home page lists the open rounds through this global (queried only when it renders).
bp.add_app_template_global(rounds.open_rounds, "open_rounds")
