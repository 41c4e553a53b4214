"""Redaction of personal data before anything is public or exported.

Covers Danish CPR numbers (6+4 digits; no modulus-11 check, since numbers issued after
2007 may fail it), Danish phone numbers (8 digits, optionally +45 or 0045, grouped or not:
Whisper often writes "23 45 67 89" as "23456789"), and e-mail addresses, written or spoken
("anna at example dot dk"). It errs on the side of hiding: an 8-digit run is taken for a
phone number even if it was something else.
"""

import re

CPR = "[CPR]"
PHONE = "[phone]"
EMAIL = "[email]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_SPOKEN_EMAIL = re.compile(
    r"\b[\w.+-]+\s+(?:at|snabel-a)\s+[\w-]+(?:\s+(?:dot|punktum)\s+[a-zæøå]{2,})+\b",
    re.IGNORECASE | re.UNICODE,
)
# Digit groups joined by single spaces, dashes, dots or slashes, with an optional +45/0045.
_NUMBER = re.compile(r"(?<![\w+])(?:(?:\+|00)45[\s.-]?)?\d(?:[\s./-]?\d)*(?![\w])")


def _number(match: re.Match[str]) -> str:
    text = match.group(0)
    digits = re.sub(r"\D", "", text)
    prefixed = text.startswith(("+45", "0045"))
    if prefixed:
        digits = digits[4:] if text.startswith("0045") else digits[2:]
    if len(digits) == 8:
        return PHONE
    if len(digits) == 10 and not prefixed:
        return CPR
    return text


def redact(text: str) -> str:
    text = _EMAIL.sub(EMAIL, text)
    text = _SPOKEN_EMAIL.sub(EMAIL, text)
    return _NUMBER.sub(_number, text)
