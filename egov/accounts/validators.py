"""Validation of Vietnamese identifiers.

The 12-digit personal identification number (số định danh cá nhân, Decree 137/2015 and
Circular 59/2021/TT-BCA): 3 digits for the province of birth registration, 1 digit for
century and sex, 2 digits for the year of birth, 6 random digits.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Province codes of birth registration used in personal ID numbers (Circular 59/2021 annex).
PROVINCE_CODES = frozenset(
    (
        "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 "
        "034 035 036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 "
        "067 068 070 072 074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096 "
    ).split()
)
# Century-and-sex digit → first two digits of the birth year.
CENTURY_BY_DIGIT = {0: 19, 1: 19, 2: 20, 3: 20, 4: 21, 5: 21, 6: 22, 7: 22, 8: 23, 9: 23}

PHONE_RE = re.compile(r"^(?:\+84|0)(?:3|5|7|8|9|2\d)\d{8}$")
TAX_CODE_RE = re.compile(r"^\d{10}(?:-?\d{3})?$")


def personal_id_birth_year(value):
    """The birth year encoded in a valid personal ID number."""
    return CENTURY_BY_DIGIT[int(value[3])] * 100 + int(value[4:6])


def validate_personal_id(value, date_of_birth=None):
    if not isinstance(value, str) or not re.fullmatch(r"\d{12}", value):
        raise ValidationError(_("A personal identification number has exactly 12 digits."), code="personal_id_format")
    if value[:3] not in PROVINCE_CODES:
        raise ValidationError(
            _("%(code)s is not a province code of a personal identification number."),
            code="personal_id_province",
            params={"code": value[:3]},
        )
    if date_of_birth is not None and personal_id_birth_year(value) != date_of_birth.year:
        raise ValidationError(
            _("The personal identification number does not match the year of birth."), code="personal_id_birth_year"
        )


def normalise_phone(value):
    """One spelling of a Vietnamese phone number: digits, national form (0912345678); what
    is not a phone number is only stripped of separators."""
    digits = re.sub(r"[\s.\-()]", "", value or "")
    if digits.startswith("+84") and digits[3:].isdigit():
        return "0" + digits[3:]
    if digits.startswith("84") and len(digits) == 11 and digits.isdigit():
        return "0" + digits[2:]
    return digits


def normalise_email(value):
    """E-mail addresses compared and stored case-folded (providers treat them so)."""
    return (value or "").strip().lower()


def validate_phone(value):
    if not PHONE_RE.match(normalise_phone(value)):
        raise ValidationError(_("Enter a Vietnamese phone number, e.g. 0912 345 678."), code="phone")


def validate_tax_code(value):
    if not isinstance(value, str) or not TAX_CODE_RE.match(value):
        raise ValidationError(_("A tax code has 10 or 13 digits."), code="tax_code")


PASSPORT_RE = re.compile(r"^[A-Z0-9]{6,20}$")


def normalise_passport(value):
    """Passport numbers compared as printed: upper case, no spaces."""
    return "".join((value or "").split()).upper()


def validate_passport(value):
    if not PASSPORT_RE.match(normalise_passport(value)):
        raise ValidationError(_("A passport number has 6 to 20 letters and digits."), code="passport")
