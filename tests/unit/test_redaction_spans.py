"""How overlapping findings become one span, and what the reader sees in its place."""

from ingest.language.redaction import redact


def test_a_name_inside_an_email_address_is_labelled_as_the_address() -> None:
    # The name lists find "anna" where the e-mail rule finds the whole address: one span,
    # labelled by the longer of two that start together.
    assert redact("write to anna@example.dk", "en") == "write to [e-mail]"
