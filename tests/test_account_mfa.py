"""A second factor: an authenticator app (TOTP) and recovery codes, set up and used through
allauth's pages; staff and curators need one before the admin opens."""

import re

import pytest
from account_helpers import give_totp, has_second_factor, totp_code
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.urls import reverse

PASSWORD = "correct-horse-battery-staple-42"  # tests/audit_helpers.py's, for make_member


def verify_address(member):
    """A second factor needs a verified address (allauth's rule), as a member confirms it."""
    EmailAddress.objects.filter(user=member).update(verified=True)


def log_in(client, login="ada", password=PASSWORD, **extra):
    return client.post(reverse("account_login"), {"login": login, "password": password}, **extra)


def message_texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def set_up_totp(client, password=PASSWORD):
    """Through the pages: confirm who I am, read the secret, answer with a computed code."""
    client.post(reverse("account_reauthenticate"), {"password": password})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', page.content.decode())
    if secret is None:
        secret = re.search(r'value="([A-Z2-7]{32})"', page.content.decode())
    secret = secret[1]
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    return secret, response


@pytest.mark.django_db
def test_a_member_sets_up_an_authenticator_app_and_gets_recovery_codes(client, make_member):
    member = make_member("ada")
    verify_address(member)
    log_in(client)

    secret, response = set_up_totp(client)

    assert response.status_code == 302
    assert Authenticator.objects.filter(user=member, type=Authenticator.Type.TOTP).exists()
    assert Authenticator.objects.filter(
        user=member, type=Authenticator.Type.RECOVERY_CODES
    ).exists()
    codes = client.get(reverse("mfa_view_recovery_codes"))
    assert codes.status_code == 200
    assert len(re.findall(r"\b[0-9a-f]{8}\b", codes.content.decode())) >= 10


@pytest.mark.django_db
def test_a_wrong_code_sets_nothing_up(client, make_member):
    member = make_member("ada")
    verify_address(member)
    log_in(client)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.get(reverse("mfa_activate_totp"))

    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})

    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert not has_second_factor(member)


@pytest.mark.django_db
def test_log_in_with_an_authenticator_app_asks_for_the_code(client, make_member):
    member = make_member("ada")
    secret = give_totp(member)

    response = log_in(client, "ADA@example.com")

    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # not in until the code is given
    wrong = client.post(reverse("mfa_authenticate"), {"code": "123456"})
    assert wrong.status_code == 400 and "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("audits:history")
    assert client.session["_auth_user_id"] == str(member.pk)
    assert "Welcome back, ada." in message_texts(response)


@pytest.mark.django_db
def test_a_recovery_code_logs_in_once(client, make_member):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    member = make_member("ada")
    give_totp(member)
    code = RecoveryCodes.activate(member).get_unused_codes()[0]

    log_in(client)
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert client.session["_auth_user_id"] == str(member.pk)

    client.post(reverse("account_logout"))
    log_in(client)
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert "_auth_user_id" not in client.session


# The admin: staff and curators need a second factor ----------------------------------------------


@pytest.fixture
def bare_curator(make_member):
    """A curator who has not set up a second factor yet."""
    user = make_member("marie", is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    return user


@pytest.mark.django_db
def test_a_curator_without_a_second_factor_is_sent_to_set_one_up(client, bare_curator):
    log_in(client, "marie")

    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[-1][0] == reverse("mfa_index")
    assert any("second factor" in text for text in message_texts(response))
    assert client.get("/admin/tracks/track/").status_code == 302


@pytest.mark.django_db
def test_a_curator_opens_the_admin_once_the_authenticator_app_is_set_up(client, bare_curator):
    log_in(client, "marie")
    assert client.get("/admin/").status_code == 302

    set_up_totp(client)

    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/tracks/track/").status_code == 200


@pytest.mark.django_db
def test_a_curator_with_a_second_factor_logs_in_with_it_and_opens_the_admin(client, curator):
    Authenticator.objects.filter(user=curator, type=Authenticator.Type.TOTP).delete()
    secret = give_totp(curator)  # the same curator, with a secret this test knows

    response = client.get("/admin/")
    assert response.url == "/admin/login/?next=/admin/"
    response = client.get(response.url)
    assert response.url == f"{reverse('account_login')}?next=/admin/"
    response = client.post(response.url, {"login": "curie", "password": PASSWORD})
    assert response.url == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})

    assert response.url == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_a_member_is_refused_the_admin(client, make_member):
    make_member("ada")
    log_in(client)

    assert client.get("/admin/").url == "/admin/login/?next=/admin/"
    assert client.get("/admin/login/?next=/admin/").status_code == 403


@pytest.mark.django_db
def test_a_superuser_without_a_second_factor_is_sent_to_set_one_up(client, django_user_model):
    django_user_model.objects.create_superuser("boss", "boss@example.com", PASSWORD)
    log_in(client, "boss")

    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[-1][0] == reverse("mfa_index")
