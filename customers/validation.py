"""Normalising and checking what people type at the desk: VINs, plates and mobile numbers.
Each failure says what is wrong, so the advisor knows what to re-read."""

import re

import phonenumbers
import vininfo
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

VIN_CHECK_VALUES = "0123456789X"
_VIN_ALLOWED = re.compile(r"^[A-HJ-NPR-Z0-9]*$")

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
# Regular plates: province, city letter, five characters (the last may be 挂/学/警/港/澳).
# New-energy plates have six after the city letter: small cars start with D/F (or the newer
# A-K letters), large ones end with D/F.
_PLATE = re.compile(
    rf"^[{PROVINCES}][A-HJ-NP-Z]"
    r"(?:[A-HJ-NP-Z0-9]{4}[A-HJ-NP-Z0-9挂学警港澳]"
    r"|[A-HJK][A-HJ-NP-Z0-9][0-9]{4}"
    r"|[0-9]{5}[DF])$"
)


def normalize_vin(value: str) -> str:
    return re.sub(r"[\s\-]", "", value or "").upper()


def validate_vin(value: str) -> None:
    vin = normalize_vin(value)
    if len(vin) != 17:
        raise ValidationError(
            _("A VIN has 17 characters; this one has %(n)d. Please re-read the VIN plate.") % {"n": len(vin)},
            code="vin_length",
        )
    if not _VIN_ALLOWED.match(vin):
        bad = sorted({c for c in vin if not _VIN_ALLOWED.match(c)})
        raise ValidationError(
            _("A VIN never contains %(chars)s (I, O and Q are not used; 0 and 1 are meant).")
            % {"chars": ", ".join(bad)},
            code="vin_characters",
        )
    parsed = vininfo.Vin(vin)
    if getattr(parsed.assembler, "uses_sae_checkdigit", True) and not parsed.verify_checksum(check_year=False):
        expected = next(
            c for c in VIN_CHECK_VALUES
            if vininfo.Vin(vin[:8] + c + vin[9:]).verify_checksum(check_year=False)
        )
        raise ValidationError(
            _("VIN check digit (9th character) is %(got)s, expected %(want)s: please re-read the VIN plate.")
            % {"got": vin[8], "want": expected},
            code="vin_check_digit",
        )


def normalize_plate(value: str) -> str:
    return re.sub(r"[\s·•.\-]", "", value or "").upper()


def validate_plate(value: str) -> None:
    plate = normalize_plate(value)
    if not _PLATE.match(plate):
        raise ValidationError(
            _("%(plate)s is not a mainland plate: a province character, a letter and 5 characters "
              "(6 for new-energy plates), e.g. 沪A12345 or 沪AD12345.") % {"plate": plate or "—"},
            code="plate_format",
        )


def normalize_mobile(value: str) -> str:
    """Mainland numbers as their 11 digits; others as +E.164. Raises ValidationError if not a mobile."""
    raw = (value or "").strip()
    try:
        number = phonenumbers.parse(raw, settings.PHONE_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("%(value)s is not a valid phone number; a mainland mobile has 11 digits, e.g. 138 0013 8000.")
            % {"value": raw[:30] or "—"},
            code="mobile_invalid",
        )
    kind = phonenumbers.number_type(number)
    if kind not in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE):
        raise ValidationError(
            _("%(value)s is a landline, not a mobile number.") % {"value": raw[:30]}, code="mobile_landline"
        )
    if number.country_code == 86:
        return phonenumbers.national_significant_number(number)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_optional_mobile(value: str) -> str:
    """A mobile typed into a form: blank stays blank (the field's `required` decides), else normalize_mobile's."""
    return normalize_mobile(value) if value else value


def clean_search_text(value: str, *, limit: int = 50) -> str:
    """What a search box may send: no control characters (NUL breaks PostgreSQL), bounded length."""
    return "".join(ch for ch in (value or "") if ch.isprintable())[:limit].strip()
