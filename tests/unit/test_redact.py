"""Redaction of CPR numbers, phone numbers and e-mail addresses."""

import pytest

from ingest.redact import CPR, EMAIL, PHONE, redact


@pytest.mark.parametrize(
    ("said", "public"),
    [
        ("My CPR is 010203-1234.", f"My CPR is {CPR}."),
        ("cpr 0102031234 thanks", f"cpr {CPR} thanks"),
        ("it is 010203 1234", f"it is {CPR}"),
        ("born 311299-4321 and", f"born {CPR} and"),  # fails modulus 11: still hidden
        ("Call me on 23456789", f"Call me on {PHONE}"),
        ("call 23 45 67 89 today", f"call {PHONE} today"),
        ("ring +45 23 45 67 89.", f"ring {PHONE}."),
        ("ring +4523456789", f"ring {PHONE}"),
        ("ring 0045 2345 6789", f"ring {PHONE}"),
        ("ring 2345-6789", f"ring {PHONE}"),
        ("mail anna.berg@example.dk please", f"mail {EMAIL} please"),
        ("skriv til anna at example dot dk", f"skriv til {EMAIL}"),
        ("Mail: Jens+booth@kommune.aarhus.dk.", f"Mail: {EMAIL}."),
    ],
)
def test_personal_data_is_hidden(said: str, public: str) -> None:
    assert redact(said) == public


@pytest.mark.parametrize(
    "text",
    [
        "We need 3 more benches and 12 trees.",
        "Since 2018 the bus comes every 15 minutes.",
        "Line 1A to Gellerup, 200 meters from the school.",
        "It costs 1 000 000 kroner.",
        "Where is the meeting at the library?",
        "",
    ],
)
def test_ordinary_numbers_and_words_stay(text: str) -> None:
    assert redact(text) == text


def test_several_in_one_message() -> None:
    text = "I am 120345-6789, call 87654321 or write to x@y.dk"
    assert redact(text) == f"I am {CPR}, call {PHONE} or write to {EMAIL}"
