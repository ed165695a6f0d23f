"""Signing in: lockout after repeated failures (django-axes), password rules, a session of one shift that
ends with the browser, CSRF enforced on posts."""

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from servicedesk.accounts.roles import ADVISOR
from tests.factories import make_staff

pytestmark = pytest.mark.django_db
PASSWORD = "Correct-horse-42"


@pytest.fixture
def staff(site):
    user = make_staff(role=ADVISOR, sites=[site], username="wang")
    user.set_password(PASSWORD)
    user.save()
    return user


def _sign_in(client, password):
    return client.post(reverse("login"), {"username": "wang", "password": password})


def test_the_right_password_signs_in(client, staff):
    response = _sign_in(client, PASSWORD)
    assert response.status_code == 302 and response.url == reverse("home")


def test_repeated_failures_lock_the_account_out_even_for_the_right_password(client, staff):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(client, "wrong").status_code == 200  # the form again, with its error
    assert _sign_in(client, "wrong").status_code == 429  # the last allowed failure locks
    locked = _sign_in(client, PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("password", ["demo1234", "1234567890123", "password123", "qwertyuiop"])
def test_weak_passwords_are_refused(staff, password):
    with pytest.raises(ValidationError):
        validate_password(password, user=staff)


def test_a_strong_password_passes(staff):
    validate_password("Lantern-orbit-917", user=staff)


def test_the_session_lasts_one_shift_and_ends_with_the_browser(client, staff):
    assert settings.SESSION_COOKIE_AGE == 12 * 3600 and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    _sign_in(client, PASSWORD)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["max-age"] and not cookie["expires"]  # a browser-session cookie
    assert cookie["httponly"]
    assert client.session.get_expiry_age() == 12 * 3600  # and the server forgets it after the shift


def test_posts_without_a_csrf_token_are_refused(staff, site):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    response = client.post(reverse("customers:customer_create"), {"name": "张三", "mobile": "13800000000"})
    assert response.status_code == 403
    assert client.post(reverse("login"), {"username": "wang", "password": PASSWORD}).status_code == 403
