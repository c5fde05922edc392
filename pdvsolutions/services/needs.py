"""Needs (solutions attendues): post, edit, support; moderation: hide, merge, reword, retain."""

import functools

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy.orm import joinedload, selectinload

from ..errors import DomainError, NotAllowed
from ..extensions import db
from ..models import (
    Need,
    NeedRevision,
    NeedStatus,
    Role,
    Round,
    RoundField,
    Support,
    User,
    territory_qpvs,
)
from ..rules import needs as rules
from ..rules.phases import Phase
from ..timeutil import utcnow
from . import audit, outbox

#: Sort keys of the public list (see page_rows).
SORTS = ("supports", "recent", "field")
NOT_IN_PHASE = _l("Les solutions attendues ne se déposent que pendant la phase "
                  "« solutions attendues » de l'appel.")


# One lookup of the pair (territory, QPV) in its primary key: loading the territory and its
# QPVs (some forty in a métropole) to look for one code was a sixth of a support POST (issue 9).
_IN_TERRITORY = sa.select(sa.exists().where(
    territory_qpvs.c.territory_id == sa.bindparam("territory_id"),
    territory_qpvs.c.qpv_code == sa.bindparam("qpv_code")))


def in_territory(user: User, round_: Round) -> bool:
    """The user is a resident of one of the round's QPV."""
    if user.role is not Role.RESIDENT or user.qpv_code is None:
        return False
    if round_.territory_id is None:  # a round not flushed yet: its territory is an object
        return round_.territory.includes(user.qpv_code)
    return bool(db.session.scalar(_IN_TERRITORY, {"territory_id": round_.territory_id,
                                                  "qpv_code": user.qpv_code}))


def can_take_part(user: User, round_: Round) -> bool:
    """The resident may post and support needs of this round now."""
    return rules.can_take_part(round_.phase, in_territory(user, round_))


def can_edit(user: User, need: Need) -> bool:
    return rules.can_edit(need.round.phase, need.status.value,
                          need.author_id is not None and need.author_id == user.id)


def _field(round_: Round, field_id: int | None) -> RoundField:
    field = db.session.get(RoundField, field_id) if field_id else None
    if field is None or field.round_id != round_.id:
        raise DomainError(_l("Choisissez une thématique de la liste."), field="field_id")
    return field


def _check_text(title: str, description: str, place: str | None) -> None:
    for name, value in (("title", title), ("description", description), ("place", place)):
        if rules.has_markup(value):
            raise DomainError(_l("Écrivez du texte simple, sans balises HTML."), field=name)


def post_need(round_: Round, author: User, *, title: str, description: str, field_id: int | None,
              place: str | None, assisted_by: User | None = None) -> Need:
    """Publish a need in ``round_`` for ``author`` (entered by ``assisted_by`` if given)."""
    if not in_territory(author, round_):
        raise NotAllowed(_l("Cette personne n'habite pas le territoire de cet appel."),
                         field="resident")
    if round_.phase is not Phase.NEEDS:
        raise DomainError(NOT_IN_PHASE)
    field = _field(round_, field_id)
    _check_text(title, description, place)
    need = Need(round_id=round_.id, author_id=author.id, field_id=field.id, title=title,
                description=description, place=place or None,
                assisted_by_id=assisted_by.id if assisted_by else None)
    db.session.add(need)
    db.session.flush()
    if assisted_by is not None:
        audit.record("need.assisted_entry", need, actor=assisted_by,
                     details={"resident_id": author.id, "round_id": round_.id})
    else:
        audit.record("need.post", need, actor=author, details={"round_id": round_.id})
    return need


def edit_need(need: Need, actor: User, *, title: str, description: str, field_id: int | None,
              place: str | None) -> Need:
    """Change a need's wording or field; the old version stays visible to the author."""
    by_staff = actor.is_staff
    if not by_staff and not can_edit(actor, need):
        raise NotAllowed(_l("Cette solution attendue ne peut plus être modifiée."))
    if by_staff and need.status in (NeedStatus.HIDDEN, NeedStatus.MERGED):
        raise DomainError(_l("Une solution masquée ou fusionnée ne se modifie plus."))
    field = _field(need.round, field_id)
    _check_text(title, description, place)
    place = place or None
    if (title, description, field.id, place) == (need.title, need.description, need.field_id,
                                                need.place):
        raise DomainError(_l("Rien n'a changé."), field="title")
    need.revisions.append(NeedRevision(
        changed_by_id=actor.id, by_staff=by_staff, old_title=need.title,
        old_description=need.description, old_field_label=need.field.label,
        old_place=need.place))
    need.title, need.description, need.field, need.place = title, description, field, place
    need.updated_at = utcnow()
    db.session.flush()
    audit.record("need.moderate_edit" if by_staff else "need.edit", need, actor=actor)
    if by_staff:
        _notify(need, "need.edited", _("Votre solution attendue a été modifiée"),
                _("L'équipe de la métropole a modifié votre solution attendue « %(title)s » "
                  "(texte ou thématique). L'ancienne version reste visible sur la page "
                  "« Mes solutions attendues ».", title=need.title))
    return need


def _existing_support(need: Need, user: User) -> Support | None:
    return db.session.scalar(
        sa.select(Support).where(Support.need_id == need.id, Support.user_id == user.id))


def _check_supportable(need: Need, user: User) -> None:
    if not in_territory(user, need.round):
        raise NotAllowed(_l("Seuls les habitants du territoire soutiennent ces solutions."))
    if need.round.phase is not Phase.NEEDS:
        raise DomainError(_l("Les soutiens sont fermés : la phase des solutions attendues "
                             "est terminée."))
    if not need.is_visible:
        raise DomainError(_l("Cette solution attendue n'est plus ouverte aux soutiens."))


def support(need: Need, user: User, *, locked: bool = False) -> Support:
    """Add the resident's support; a second one is refused (also by the database).

    ``locked``: the caller read the need with ``locked_for_count`` (nothing to read again)."""
    if not locked:
        _lock(need, count=True)
    _check_supportable(need, user)
    if _existing_support(need, user) is not None:
        raise DomainError(_l("Vous soutenez déjà cette solution attendue."))
    row = Support(need_id=need.id, user_id=user.id)
    db.session.add(row)
    db.session.flush()  # a concurrent second support fails here, before the count moves
    _add_to_count(need, 1)
    return row


def withdraw(need: Need, user: User, *, locked: bool = False) -> None:
    """Withdraw the resident's support, while the phase is open (``locked``: see ``support``)."""
    if not locked:
        _lock(need, count=True)
    _check_supportable(need, user)
    row = _existing_support(need, user)
    if row is None:
        raise DomainError(_l("Vous ne souteniez pas cette solution attendue."))
    db.session.delete(row)
    db.session.flush()
    _add_to_count(need, -1)


def _add_to_count(need: Need, delta: int) -> None:
    """Move the need's support count in SQL (workers add at once: no read-modify-write)."""
    db.session.execute(sa.update(Need).where(Need.id == need.id)
                       .values(support_count=Need.support_count + delta)
                       .execution_options(synchronize_session=False))
    db.session.expire(need, ["support_count"])


def recount_supports(need_ids) -> None:
    """Set the support count of these needs from the ``supports`` table (merge, demo data)."""
    db.session.flush()
    db.session.execute(sa.update(Need).where(Need.id.in_(list(need_ids)))
                       .values(support_count=support_count(Need.id))
                       .execution_options(synchronize_session=False))
    for need in db.session.identity_map.values():
        if isinstance(need, Need):
            db.session.expire(need, ["support_count"])


def _notify(need: Need, kind: str, subject: str, body: str) -> None:
    if need.author is not None:
        outbox.queue_for_user(need.author, kind, subject, body)


def _check_moderable(need: Need) -> None:
    """Lock the need (a moderation racing another one reads the committed status), then
    check that staff may still hide, merge or retain it."""
    _lock(need)
    if need.round.phase is not Phase.NEEDS:
        raise DomainError(_l("La modération n'est possible que pendant la phase des solutions "
                             "attendues."))
    if need.status is not NeedStatus.PUBLISHED:
        raise DomainError(_l("Seule une solution publiée, ni retenue, ni masquée, ni fusionnée, "
                             "peut être modérée ainsi."))


def hide(need: Need, actor: User, reason: str) -> Need:
    """Hide a need with a reason its author reads (never a silent delete)."""
    _check_moderable(need)
    # The supports of the needs regrouped with this one are on it: hiding it would hide them
    # too. Read after the lock, so a merge into it that committed meanwhile counts.
    regrouped = db.session.scalar(sa.select(sa.func.count(Need.id))
                                  .where(Need.merged_into_id == need.id))
    if regrouped:
        raise DomainError(ngettext(
            "%(num)d autre solution a été regroupée avec celle-ci, avec ses soutiens : elle ne "
            "peut plus être masquée. Reformulez-la si son texte pose problème.",
            "%(num)d autres solutions ont été regroupées avec celle-ci, avec leurs soutiens : "
            "elle ne peut plus être masquée. Reformulez-la si son texte pose problème.",
            regrouped))
    if rules.has_markup(reason):
        raise DomainError(_l("Écrivez du texte simple, sans balises HTML."), field="reason")
    need.status = NeedStatus.HIDDEN
    need.hidden_reason = reason
    need.updated_at = utcnow()
    db.session.flush()
    audit.record("need.hide", need, actor=actor, details={"reason": reason})
    _notify(need, "need.hidden", _("Votre solution attendue a été masquée"),
            _("Votre solution attendue « %(title)s » a été masquée par l'équipe de la "
              "métropole.\n\nMotif : %(reason)s", title=need.title, reason=reason))
    return need


def _lock(*needs: Need, count: bool = False) -> None:
    """Lock the rows (PostgreSQL) and re-read them, so that a merge and a support cannot
    interleave and the checks that follow see the committed state, not the one read before
    the lock. A merge takes them ``FOR UPDATE``; a support or a withdrawal, which then moves
    the need's count, takes ``FOR NO KEY UPDATE`` (``count=True``): the lock its UPDATE
    needs anyway, taken first. A shared lock upgraded by that UPDATE deadlocked two
    supports of the same need (each waiting for the other's share to go)."""
    db.session.scalars(_locking([n.id for n in needs], count)
                       .execution_options(populate_existing=True)).all()


def _in_id_order(need_ids: list[int]):
    return sa.select(Need).where(Need.id.in_(need_ids)).order_by(Need.id)


def _locking(need_ids: list[int], count: bool):
    return _in_id_order(need_ids).with_for_update(key_share=count)


def locked_for_count(need_id: int) -> Need | None:
    """The need, read first thing under the lock of a support or a withdrawal (see ``_lock``),
    or None when there is none: pass ``locked=True`` to ``support`` or ``withdraw`` then."""
    return db.session.scalar(_locking([need_id], count=True))


def merge(duplicate: Need, kept_id: int | None, actor: User) -> Need:
    """Merge ``duplicate`` into the need ``kept_id`` of the same round; return the kept need.

    Supports move to the kept need; a resident who supported both counts once.
    """
    kept = db.session.get(Need, kept_id) if kept_id else None
    # Both rows, in id order (no deadlock): two merges at once, A into B and B into A, would
    # otherwise both pass the checks and leave each need merged into the other.
    _lock(duplicate, *([kept] if kept is not None else []))
    _check_moderable(duplicate)
    if (kept is None or kept.round_id != duplicate.round_id or kept.id == duplicate.id
            or not kept.is_visible):
        raise DomainError(_l("Choisissez une autre solution visible de ce même appel."),
                          field="kept_id")
    kept_users = db.session.scalars(sa.select(Support.user_id).where(Support.need_id == kept.id))
    rows = db.session.scalars(sa.select(Support).where(Support.need_id == duplicate.id)).all()
    move, twice = rules.merged_supporters(kept_users, [r.user_id for r in rows])
    for row in rows:
        if row.user_id in move:
            row.need_id = kept.id
        else:
            db.session.delete(row)
    duplicate.status = NeedStatus.MERGED
    duplicate.merged_into_id = kept.id
    duplicate.updated_at = utcnow()
    # Needs merged earlier into the duplicate (their supports already moved onto it) now point
    # at the kept need, so that no need stays merged into a merged one. Read after the lock: a
    # merge into the duplicate that committed while this one waited is included.
    earlier = db.session.scalars(sa.select(Need).where(Need.merged_into_id == duplicate.id)
                                 .order_by(Need.id)).all()
    for need in earlier:
        need.merged_into_id = kept.id
    recount_supports([duplicate.id, kept.id])
    audit.record("need.merge", duplicate, actor=actor,
                 details={"kept_id": kept.id, "moved": len(move), "counted_once": len(twice),
                          "regrouped": [need.id for need in earlier]})
    _notify(duplicate, "need.merged", _("Votre solution attendue a été regroupée"),
            _("Votre solution attendue « %(title)s » disait la même chose qu'une autre : elle "
              "a été regroupée avec « %(kept)s ». Ses soutiens ont été reportés.",
              title=duplicate.title, kept=kept.title))
    return kept


def retain(need: Need, actor: User, call_title: str | None, call_description: str | None) -> Need:
    """Put a need into the call, possibly reworded as a "solution attendue"."""
    _check_moderable(need)
    _check_text(call_title or "", call_description or "", None)
    need.status = NeedStatus.RETAINED
    need.call_title = call_title or None
    need.call_description = call_description or None
    need.retained_at = utcnow()
    db.session.flush()
    audit.record("need.retain", need, actor=actor,
                 details={"reworded": bool(call_title or call_description)})
    _notify(need, "need.retained", _("Votre solution attendue est retenue pour l'appel"),
            _("Bonne nouvelle : votre solution attendue « %(title)s » fait partie de l'appel à "
              "solutions « %(round)s ». Les structures du quartier vont pouvoir y répondre.",
              title=need.title, round=need.round.title))
    return need


def support_count(need_id_column):
    """A correlated count of supports (to check or rebuild ``Need.support_count``)."""
    return (sa.select(sa.func.count(Support.id)).where(Support.need_id == need_id_column)
            .scalar_subquery())


VISIBLE = (NeedStatus.PUBLISHED, NeedStatus.RETAINED)
#: Order of the public list sorted by supports; the same columns as ix_needs_round_supports.
BY_SUPPORTS = (Need.support_count.desc(), Need.created_at.desc(), Need.id.desc())


# The list's statements are built once for each shape (sort, one field or all, statuses), with
# bound parameters: building them again on each page cost 6 % of the default page's Python
# calls, and 30 % of the page sorted by field (issue 9).
def _filtered(query, one_field: bool, statuses: tuple):
    query = query.where(Need.round_id == sa.bindparam("round_id"), Need.status.in_(statuses))
    return query.where(Need.field_id == sa.bindparam("field_id")) if one_field else query


@functools.lru_cache(maxsize=32)
def _page_statement(sort: str, one_field: bool, statuses: tuple) -> sa.Select:
    """(Need, support count) rows in the order of ``sort``, one page (``page_size`` rows from
    ``offset``).

    Each order follows an index (ix_needs_round_supports, ix_needs_round_field_supports for one
    field, ix_needs_round_created), so a page reads its own rows and stops, whatever the number
    of needs.
    """
    query = _filtered(sa.select(Need, Need.support_count), one_field, statuses)
    if sort == "recent":
        query = query.order_by(Need.created_at.desc(), Need.id.desc())
    else:
        query = query.order_by(*BY_SUPPORTS)
    return (query.limit(sa.bindparam("page_size", type_=sa.Integer))
            .offset(sa.bindparam("offset", type_=sa.Integer)))


#: Lists count their needs up to this many; beyond, the page says "more than" it. Counting
#: every need of a large round on each page would read them all (issue 9).
COUNT_CAP = 1000


@functools.lru_cache(maxsize=16)
def _count_statement(one_field: bool, statuses: tuple) -> sa.Select:
    first = _filtered(sa.select(Need.id), one_field, statuses).limit(COUNT_CAP + 1)
    return sa.select(sa.func.count()).select_from(first.subquery())


def _list_params(round_: Round, field_id: int | None) -> dict:
    return {"round_id": round_.id, **({"field_id": field_id} if field_id else {})}


def capped_count(round_: Round, field_id: int | None = None, *, statuses=VISIBLE) -> int | None:
    """The number of needs of the list, or None when there are more than COUNT_CAP."""
    found = db.session.scalar(_count_statement(bool(field_id), tuple(statuses)),
                              _list_params(round_, field_id))
    return found if found <= COUNT_CAP else None


def page_rows(round_: Round, sort: str, page: int, per_page: int, field_id: int | None = None,
              *, statuses=VISIBLE) -> tuple[list, int | None, bool]:
    """The (Need, support count) rows of ``page``, the capped number of needs (see
    capped_count) and whether a next page exists: two queries, whatever the size."""
    total = capped_count(round_, field_id, statuses=statuses)
    offset = (page - 1) * per_page
    if sort == "field" and not field_id:
        rows = _rows_by_field(round_, offset, per_page + 1, statuses)
    else:
        rows = db.session.execute(
            _page_statement(sort, bool(field_id), tuple(statuses)),
            {**_list_params(round_, field_id), "page_size": per_page + 1, "offset": offset}
        ).all()
    return rows[:per_page], total, len(rows) > per_page


def _rows_by_field(round_: Round, offset: int, per_page: int, statuses) -> list:
    """Needs grouped by field (in the round's order of fields), by supports in each field.

    Sorting every need of the round by its field's position would read them all: instead
    each field gives its first ``offset + per_page`` needs by supports (ix_needs_round_supports
    read in order), and only those are ordered: a few fields, so a page costs the same at any
    size.
    """
    fields = sorted(round_.fields, key=lambda f: (f.position, f.id))
    if not fields:
        return []
    params = {f"field_{rank}": field.id for rank, field in enumerate(fields)}
    return db.session.execute(_by_field_statement(len(fields), tuple(statuses)), {
        **params, "round_id": round_.id, "top": offset + per_page, "page_size": per_page,
        "offset": offset}).all()


@functools.lru_cache(maxsize=64)
def _by_field_statement(field_count: int, statuses: tuple) -> sa.Select:
    """The statement of ``_rows_by_field`` for rounds of ``field_count`` fields, with bound
    parameters: built once, not on each page (building it was most of the page's own work)."""
    parts = [
        sa.select(Need.id.label("need_id"), sa.literal(rank).label("rank"),
                  Need.support_count.label("supports"), Need.created_at.label("created"))
        .where(Need.round_id == sa.bindparam("round_id"),
               Need.field_id == sa.bindparam(f"field_{rank}"), Need.status.in_(statuses))
        .order_by(*BY_SUPPORTS).limit(sa.bindparam("top", type_=sa.Integer))
        for rank in range(field_count)]
    ranked = sa.union_all(*(part.subquery().select() for part in parts)).subquery()
    return (sa.select(Need, Need.support_count).join(ranked, ranked.c.need_id == Need.id)
            .order_by(ranked.c.rank, ranked.c.supports.desc(), ranked.c.created.desc(),
                      Need.id.desc())
            .limit(sa.bindparam("page_size", type_=sa.Integer))
            .offset(sa.bindparam("offset", type_=sa.Integer)))


def supported_ids(user: User | None, need_ids: list[int]) -> set[int]:
    if user is None or not user.is_authenticated or not need_ids:
        return set()
    return set(db.session.scalars(sa.select(Support.need_id).where(
        Support.user_id == user.id, Support.need_id.in_(need_ids))))


def needs_of(user: User) -> list[tuple[Need, int]]:
    """The resident's own needs, every status, with their support counts."""
    rows = db.session.execute(
        sa.select(Need, Need.support_count).where(Need.author_id == user.id)
        .options(joinedload(Need.round), joinedload(Need.merged_into),
                 selectinload(Need.revisions))
        .order_by(Need.created_at.desc())).all()
    return [(need, count) for need, count in rows]


def resident_or_error(login: str) -> User:
    """The resident account for an assisted entry, or a DomainError on the form's field."""
    resident = find_resident(login)
    if resident is None:
        raise DomainError(_l("Aucun compte habitant avec cet identifiant."), field="resident")
    return resident


def find_resident(login: str) -> User | None:
    """The resident account with this e-mail or login name (assisted entry)."""
    login = (login or "").strip()
    return db.session.scalar(sa.select(User).where(
        User.role == Role.RESIDENT,
        sa.or_(User.email == login.lower(), User.username == login)))
