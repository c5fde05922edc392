"""Password policy: long enough and not a known common password."""

MIN_LENGTH = 12
MAX_LENGTH = 256


def password_problems(password: str, common: frozenset[str], personal: tuple[str, ...] = ()) -> list[str]:
    """Return problem codes for ``password`` (empty when acceptable).

    ``common`` holds lower-cased known passwords; ``personal`` holds words of the account
    (e-mail, names) that the password must not simply repeat.
    """
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append("too_short")
    if len(password) > MAX_LENGTH:
        problems.append("too_long")
    lowered = password.lower()
    if lowered in common:
        problems.append("common")
    elif any(word and len(word) >= 4 and lowered == word.lower() for word in personal):
        problems.append("personal")
    if len(set(password)) < 4:
        problems.append("repetitive")
    return problems
