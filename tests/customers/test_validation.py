import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from customers.validation import (
    clean_search_text,
    normalize_mobile,
    normalize_plate,
    validate_plate,
    validate_vin,
)
from tests.factories import valid_vin


def test_a_generated_vin_passes():
    validate_vin(valid_vin(123456))


@pytest.mark.parametrize("vin, code, words", [
    ("LSVAB2180N21832", "vin_length", "15"),
    ("LSVAB2180N2183294Q", "vin_length", "18"),
    ("LSVAB2I80N2183294", "vin_characters", "I"),
    ("LSVAB2180O2183294", "vin_characters", "O"),
])
def test_a_wrong_vin_says_what_is_wrong(vin, code, words):
    with pytest.raises(ValidationError) as error:
        validate_vin(vin)
    assert error.value.code == code
    assert words in error.value.messages[0]


def test_a_wrong_check_digit_names_the_expected_one():
    vin = valid_vin(777)
    wrong = "1" if vin[8] != "1" else "2"
    with pytest.raises(ValidationError) as error:
        validate_vin(vin[:8] + wrong + vin[9:])
    assert error.value.code == "vin_check_digit"
    assert f"expected {vin[8]}" in error.value.messages[0] or vin[8] in error.value.messages[0]


@pytest.mark.parametrize("plate", ["沪A12345", "京B1234学", "粤BD12345", "沪AFA1234", "苏E12345D", "沪a 123·45"])
def test_mainland_plates_pass(plate):
    validate_plate(normalize_plate(plate))


@pytest.mark.parametrize("plate", ["A12345", "沪12345", "沪AI2345", "沪A1234", "沪A123456789", "XX"])
def test_malformed_plates_are_refused(plate):
    with pytest.raises(ValidationError):
        validate_plate(normalize_plate(plate))


def test_mobiles_normalise_to_eleven_digits():
    assert normalize_mobile("+86 138-0013-8000") == "13800138000"
    assert normalize_mobile("138 0013 8000") == "13800138000"


@pytest.mark.parametrize("value, code", [("12345", "mobile_invalid"), ("021-62345678", "mobile_landline"),
                                         ("abc", "mobile_invalid"), ("\x00138", "mobile_invalid")])
def test_bad_mobiles_are_refused(value, code):
    with pytest.raises(ValidationError) as error:
        normalize_mobile(value)
    assert error.value.code == code


@given(st.text(max_size=20000))
def test_search_text_never_carries_control_characters_or_runs_long(text):
    cleaned = clean_search_text(text)
    assert "\x00" not in cleaned and len(cleaned) <= 50
