"""The sourcing pipeline of the anti-appel à projets: statuses and the allowed moves."""

from enum import StrEnum


class ProspectStatus(StrEnum):
    SPOTTED = "spotted"
    CONTACTED = "contacted"
    SPRINT = "sprint"
    PITCHED = "pitched"
    FUNDED = "funded"
    DECLINED = "declined"
    DROPPED = "dropped"


#: Status → statuses a prospect may move to. Funded, declined and dropped are final.
TRANSITIONS: dict[ProspectStatus, frozenset[ProspectStatus]] = {
    ProspectStatus.SPOTTED: frozenset({ProspectStatus.CONTACTED, ProspectStatus.DROPPED}),
    ProspectStatus.CONTACTED: frozenset({ProspectStatus.SPRINT, ProspectStatus.DROPPED}),
    ProspectStatus.SPRINT: frozenset({ProspectStatus.PITCHED, ProspectStatus.DROPPED}),
    ProspectStatus.PITCHED: frozenset({ProspectStatus.FUNDED, ProspectStatus.DECLINED,
                                       ProspectStatus.DROPPED}),
    ProspectStatus.FUNDED: frozenset(),
    ProspectStatus.DECLINED: frozenset(),
    ProspectStatus.DROPPED: frozenset(),
}

#: Moves made by their own use case (sprint start, pitch, funding decision), not by hand.
AUTOMATIC = frozenset({ProspectStatus.SPRINT, ProspectStatus.PITCHED, ProspectStatus.FUNDED,
                       ProspectStatus.DECLINED})


def can_move(current: ProspectStatus, target: ProspectStatus) -> bool:
    """True when ``target`` is reachable from ``current`` in one step."""
    return target in TRANSITIONS[current]


def manual_targets(current: ProspectStatus) -> list[ProspectStatus]:
    """Statuses staff may pick by hand from ``current`` (the others have their own form)."""
    return [s for s in ProspectStatus if s in TRANSITIONS[current] and s not in AUTOMATIC]


def is_final(status: ProspectStatus) -> bool:
    return not TRANSITIONS[status]
