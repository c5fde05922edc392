"""Password policy (pure rules)."""

from pdvsolutions.rules.passwords import MIN_LENGTH, password_problems

COMMON = frozenset({"motdepasse123", "azertyuiop123"})


def test_passwords_long_uncommon_password_is_accepted():
    assert password_problems("Un-jardin-partage-au-pied", COMMON) == []


def test_passwords_shorter_than_twelve_is_refused():
    assert len("Abcdefgh-12") == MIN_LENGTH - 1
    assert password_problems("Abcdefgh-12", COMMON) == ["too_short"]


def test_passwords_twelve_characters_is_enough():
    assert password_problems("Abcdefgh-123", COMMON) == []


def test_passwords_common_password_is_refused_whatever_the_case():
    assert password_problems("MotDePasse123", COMMON) == ["common"]


def test_passwords_too_long_is_refused():
    assert "too_long" in password_problems("Ab1-" * 65, COMMON)


def test_passwords_repeating_the_email_is_refused():
    assert password_problems("nadia@example.org", COMMON, ("nadia@example.org",)) == ["personal"]


def test_passwords_few_distinct_characters_is_refused():
    assert password_problems("abababababababab", COMMON) == ["repetitive"]


def test_passwords_shipped_list_refuses_common_passwords():
    from pdvsolutions.services.accounts import common_passwords

    shipped = common_passwords()
    assert len(shipped) > 10_000
    assert "motdepasse123" in shipped
