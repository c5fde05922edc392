"""Printable one-time codes (pure rules)."""

import re

from pdvsolutions.rules import codes


def test_codes_new_code_has_four_groups_of_unambiguous_characters():
    code = codes.new_code()
    assert re.fullmatch(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){3}", code)
    assert not set(code) & set("01OIL")


def test_codes_new_codes_differ():
    assert len({codes.new_code() for _ in range(50)}) == 50


def test_codes_hash_ignores_case_spaces_and_dashes():
    assert codes.code_hash("k7pd 3mxq-a9tb rw4e") == codes.code_hash("K7PD-3MXQ-A9TB-RW4E")


def test_codes_hash_differs_for_another_code():
    assert codes.code_hash("K7PD-3MXQ-A9TB-RW4E") != codes.code_hash("K7PD-3MXQ-A9TB-RW4F")


def test_codes_hash_is_not_the_code():
    assert "K7PD3MXQ" not in codes.code_hash("K7PD-3MXQ-A9TB-RW4E")
