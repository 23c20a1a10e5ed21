"""Accounts on django-allauth: sign up, log in (username or email) and out, email
verification, passwords, my data, my sessions, deleting my account, and a visitor's audit
claimed on the way in."""

import importlib
import json
import re

import pytest
from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from audits.models import Audit, AuditAnswer

PASSWORD = "curious-about-retrieval-42"
NEW_PASSWORD = "evals-are-my-thing-2025"


@pytest.fixture
def member(django_user_model):
    user = django_user_model.objects.create_user(
        username="ada", email="ada@example.com", password=PASSWORD
    )
    return user


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


def message_texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def signup_data(**overrides):
    data = {
        "username": "grace",
        "email": "grace@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    return {**data, **overrides}


def is_logged_in(client):
    return "_auth_user_id" in client.session


def log_in(client, login, password=PASSWORD, **extra):
    return client.post(reverse("account_login"), {"login": login, "password": password}, **extra)


def reauthenticate(client, password=PASSWORD):
    return client.post(reverse("account_reauthenticate"), {"password": password})


# Sign up


@pytest.mark.django_db
def test_sign_up_creates_the_account_logs_in_and_says_so(client, django_user_model):
    response = client.post(reverse("account_signup"), signup_data(), follow=True)

    assert response.redirect_chain == [(reverse("audits:history"), 302)]
    user = django_user_model.objects.get(username="grace")
    assert user.email == "grace@example.com"
    assert int(client.session["_auth_user_id"]) == user.pk
    assert "Welcome to careerguide, grace. Your account is ready." in message_texts(response)


@pytest.mark.django_db
def test_sign_up_offers_verification_by_a_link_that_is_remembered(client, django_user_model):
    response = client.post(reverse("account_signup"), signup_data(), follow=True)

    assert "Confirmation email sent to grace@example.com." in message_texts(response)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["grace@example.com"]
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", mail.outbox[0].body)[1]
    address = EmailAddress.objects.get(email="grace@example.com")
    assert not address.verified

    page = client.get(link)  # a page with a button: a mail scanner's GET confirms nothing
    assert page.status_code == 200
    assert not EmailAddress.objects.get(pk=address.pk).verified
    response = client.post(link, follow=True)

    assert EmailAddress.objects.get(pk=address.pk).verified
    assert "You have confirmed grace@example.com." in message_texts(response)


@pytest.mark.django_db
def test_sign_up_follows_a_safe_next_and_ignores_an_unsafe_one(client):
    response = client.post(reverse("account_signup") + "?next=/audits/new/", signup_data())
    assert response.url == "/audits/new/"

    client.logout()
    response = client.post(
        reverse("account_signup"),
        signup_data(username="hopper", email="hopper@example.com", next="https://evil.example/"),
    )
    assert response.url == reverse("audits:history")


@pytest.mark.django_db
def test_sign_up_page_renders_accessible_fields(client):
    response = client.get(reverse("account_signup"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Create your account</h1>" in html
    for name in ("username", "email", "password1", "password2"):
        assert f'<label for="id_{name}">' in html
    assert 'aria-describedby="id_email_helptext"' in html


@pytest.mark.parametrize(
    ("overrides", "field", "error"),
    [
        ({"password2": "something-else-entirely"}, "password2", "same password each time"),
        ({"password1": "password123", "password2": "password123"}, "password1", "too common"),
        ({"email": ""}, "email", "This field is required."),
        ({"email": "not-an-address"}, "email", "Enter a valid email address."),
    ],
)
@pytest.mark.django_db
def test_bad_sign_up_shows_the_error_on_the_field_with_400(
    client, django_user_model, overrides, field, error
):
    response = client.post(reverse("account_signup"), signup_data(**overrides))

    assert response.status_code == 400
    html = response.content.decode()
    assert error in html
    assert f'id="id_{field}_error"' in html
    field_input = re.search(rf'<input[^>]*id="id_{field}"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field_input
    assert f"id_{field}_error" in field_input
    assert not django_user_model.objects.filter(username="grace").exists()
    assert not is_logged_in(client)


@pytest.mark.parametrize("username", ["ada", "ADA", "Ada"])
@pytest.mark.django_db
def test_sign_up_with_a_taken_username_in_any_case_is_refused(client, member, username):
    response = client.post(reverse("account_signup"), signup_data(username=username))

    assert response.status_code == 400
    assert "A user with that username already exists." in response.content.decode()


@pytest.mark.parametrize("email", ["ada@example.com", "ADA@Example.COM"])
@pytest.mark.django_db
def test_sign_up_with_an_email_already_in_use_in_any_case_is_refused(
    client, member, django_user_model, email
):
    # One account per address. Saying so on the form tells whoever types the address that it
    # has an account here (as GitHub's sign-up does); sign-ups are limited per address and
    # hour, which keeps that from being used to list members (see test_account_findings).
    response = client.post(reverse("account_signup"), signup_data(email=email))

    assert response.status_code == 400
    assert "A user is already registered with this email address." in response.content.decode()
    assert not django_user_model.objects.filter(username="grace").exists()
    assert not is_logged_in(client)


@pytest.mark.django_db
def test_logged_in_member_visiting_sign_up_or_log_in_goes_to_history(member_client):
    for name in ("account_signup", "account_login"):
        response = member_client.get(reverse(name))
        assert response.status_code == 302
        assert response.url == reverse("audits:history")


def test_signup_checks_the_username_inline(client, django_user_model, db):
    django_user_model.objects.create_user("taken", "taken@example.com", "x-long-password-1")
    headers = {"HX-Request": "true"}
    response = client.post(reverse("username_check"), {"username": "Taken"}, headers=headers)
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="username-check"' in page and "<html" not in page
    assert "already exists" in page
    response = client.post(reverse("username_check"), {"username": "newcomer"}, headers=headers)
    assert "“newcomer” is available." in response.content.decode()
    assert not django_user_model.objects.filter(username="newcomer").exists()


# Log in and out


@pytest.mark.parametrize("login", ["ada", "ADA", "ada@example.com", "ADA@EXAMPLE.COM"])
@pytest.mark.django_db
def test_log_in_by_username_or_email_in_any_case_welcomes_the_member_back(client, member, login):
    response = log_in(client, login, follow=True)

    assert response.redirect_chain[0] == (reverse("audits:history"), 302)
    assert int(client.session["_auth_user_id"]) == member.pk
    assert "Welcome back, ada." in message_texts(response)


@pytest.mark.django_db
def test_log_in_with_a_wrong_password_says_so_with_400(client, member):
    response = log_in(client, "ada", "wrong")

    assert response.status_code == 400
    assert "The username and/or password you specified are not correct." in (
        response.content.decode()
    )
    assert not is_logged_in(client)


@pytest.mark.django_db
def test_log_out_logs_out_and_says_so(member_client):
    response = member_client.post(reverse("account_logout"), follow=True)

    assert response.redirect_chain[0] == (reverse("tracks:home"), 302)
    assert not is_logged_in(member_client)
    assert "You have logged out." in message_texts(response)


@pytest.mark.django_db
def test_log_out_by_get_logs_nobody_out(member_client):
    response = member_client.get(reverse("account_logout"))

    assert response.status_code == 200  # a page asking to confirm with a POST button
    assert '<form method="post"' in response.content.decode()
    assert is_logged_in(member_client)


# Passwords


@pytest.mark.django_db
def test_password_change_sets_the_new_password_and_keeps_me_logged_in(member_client, member):
    response = member_client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        follow=True,
    )

    assert response.status_code == 200
    assert "Password successfully changed." in message_texts(response)
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)
    assert is_logged_in(member_client)


@pytest.mark.django_db
def test_password_change_with_a_wrong_old_password_keeps_the_old_one(member_client, member):
    response = member_client.post(
        reverse("account_change_password"),
        {"oldpassword": "wrong", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 400
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


def reset_link(message):
    return re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", message.body)[1]


@pytest.mark.django_db
def test_password_reset_mails_a_link_that_sets_a_new_password(client, member):
    response = client.post(
        reverse("account_reset_password"), {"email": "ADA@example.com"}, follow=True
    )

    assert response.redirect_chain[0] == (reverse("account_reset_password_done"), 302)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ada@example.com"]
    response = client.get(reset_link(mail.outbox[0]), follow=True)  # token swapped for a marker
    set_password_url = response.redirect_chain[-1][0]
    response = client.post(
        set_password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, follow=True
    )

    assert response.redirect_chain[0] == (reverse("account_reset_password_from_key_done"), 302)
    assert "Password successfully changed." in message_texts(response)
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_password_reset_does_not_reveal_whether_an_address_has_an_account(client, member):
    url = reverse("account_reset_password")
    known = client.post(url, {"email": "ada@example.com"}, follow=True)
    unknown = client.post(url, {"email": "nobody@example.com"}, follow=True)

    assert len(mail.outbox) == 1  # nothing is sent to an address that is not on file
    assert known.redirect_chain == unknown.redirect_chain
    assert message_texts(known) == message_texts(unknown)
    assert known.content == unknown.content


# My account


@pytest.mark.django_db
def test_account_page_shows_my_details_and_audit_count(
    member_client, member, django_assert_num_queries
):
    Audit.objects.create(member=member)
    Audit.objects.create(member=member, status=Audit.Status.FINISHED)

    with django_assert_num_queries(4):  # session, user, audit counts, retake reminder
        response = member_client.get(reverse("account"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "ada@example.com" in html
    assert "2 audits (1 finished)" in html
    for name in (
        "account_change_password",
        "account_data",
        "account_delete",
        "account_email",
        "mfa_index",
        "usersessions_list",
    ):
        assert reverse(name) in html


@pytest.mark.parametrize(
    "name",
    [
        "account",
        "account_data",
        "account_delete",
        "account_change_password",
        "account_email",
        "mfa_index",
        "usersessions_list",
    ],
)
@pytest.mark.django_db
def test_visitors_are_sent_to_log_in_from_account_pages(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={reverse(name)}"


@pytest.mark.parametrize(
    "name",
    ["account_login", "account_signup", "account_email", "mfa_index", "usersessions_list"],
)
@pytest.mark.django_db
def test_account_pages_are_never_cached(member_client, client, name):
    response = member_client.get(reverse(name))

    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_my_data_downloads_as_json_with_all_my_audits(
    member_client, member, django_user_model, django_assert_num_queries
):
    draft = Audit.objects.create(member=member)
    AuditAnswer.objects.create(audit=draft, step=0, data={"years": "2-3"})
    Audit.objects.create(member=member)
    stranger = django_user_model.objects.create_user(username="eve", password=PASSWORD)
    Audit.objects.create(member=stranger)

    with django_assert_num_queries(5):  # session, user, audits, their answers, the log
        response = member_client.get(reverse("account_data"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="careerguide-ada.json"'
    data = json.loads(response.content)
    assert data["username"] == "ada"
    assert data["email"] == "ada@example.com"
    assert data["date_joined"] == member.date_joined.isoformat()
    assert {audit["id"] for audit in data["audits"]} == {
        str(audit.id) for audit in member.audits.all()
    }
    draft_record = next(audit for audit in data["audits"] if audit["id"] == str(draft.id))
    assert draft_record["answers"] == {"0": {"years": "2-3"}}


@pytest.mark.django_db
def test_my_data_is_get_only(member_client):
    assert member_client.post(reverse("account_data")).status_code == 405


@pytest.mark.django_db
def test_my_sessions_lists_each_device_i_logged_in_from(client, member):
    laptop = client.__class__()
    log_in(laptop, "ada", HTTP_USER_AGENT="Laptop browser")
    log_in(client, "ada", HTTP_USER_AGENT="Phone browser")

    response = client.get(reverse("usersessions_list"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Laptop browser" in html and "Phone browser" in html
    assert UserSession.objects.filter(user=member).count() == 2


@pytest.mark.django_db
def test_delete_asks_who_i_am_first(member_client, member):
    response = member_client.get(reverse("account_delete"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    response = member_client.post(reverse("account_delete"))
    assert response.status_code == 302
    assert member.__class__.objects.filter(pk=member.pk).exists()


@pytest.mark.django_db
def test_delete_page_warns_that_all_my_audits_go_too(member_client, member):
    for _ in range(3):
        Audit.objects.create(member=member)
    reauthenticate(member_client)

    response = member_client.get(reverse("account_delete"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "all 3 of your audits will be deleted" in html
    assert "logged out on every device" in html


@pytest.mark.django_db
def test_delete_after_confirming_removes_me_and_my_audits(member_client, member, django_user_model):
    Audit.objects.create(member=member)
    Audit.objects.create(member=member)
    stranger = django_user_model.objects.create_user(username="eve", password=PASSWORD)
    Audit.objects.create(member=stranger)
    reauthenticate(member_client)

    response = member_client.post(reverse("account_delete"), follow=True)

    assert response.redirect_chain[0] == (reverse("tracks:home"), 302)
    assert "Your account and all your audits were deleted." in message_texts(response)
    assert not django_user_model.objects.filter(username="ada").exists()
    assert Audit.objects.get().member == stranger
    assert not EmailAddress.objects.filter(email="ada@example.com").exists()
    assert not is_logged_in(member_client)


@pytest.mark.django_db
def test_reauthenticating_with_a_wrong_password_deletes_nothing(member_client, member):
    response = reauthenticate(member_client, "wrong")

    assert response.status_code == 400
    assert "incorrect" in response.content.decode().lower()
    assert member_client.get(reverse("account_delete")).status_code == 302
    assert member.__class__.objects.filter(pk=member.pk).exists()


# A visitor's audit is claimed into the history by every way in


def visitor_result(client):
    from audit_helpers import walk

    audit = walk(client)
    result = reverse("audits:result", args=[audit.id])
    assert client.get(result).status_code == 200
    return audit, result


@pytest.mark.django_db
def test_a_visitor_who_signs_up_keeps_the_audit_and_comes_back_to_its_result(client, db):
    audit, result = visitor_result(client)

    response = client.post(f"{reverse('account_signup')}?next={result}", signup_data())

    assert response.status_code == 302 and response.url == result
    audit.refresh_from_db()
    assert audit.member.username == "grace"
    assert client.get(result).status_code == 200
    assert str(audit.id) in client.get(reverse("audits:history")).content.decode()


@pytest.mark.parametrize("login", ["ada", "ADA@example.com"])
@pytest.mark.django_db
def test_a_visitor_who_logs_in_keeps_the_audit_and_comes_back_to_its_result(
    client, db, member, login
):
    audit, result = visitor_result(client)

    response = client.post(
        f"{reverse('account_login')}?next={result}", {"login": login, "password": PASSWORD}
    )

    assert response.status_code == 302 and response.url == result
    audit.refresh_from_db()
    assert audit.member == member


# Email addresses and sessions


@pytest.mark.django_db
def test_adding_an_address_asks_who_i_am_then_mails_a_confirmation(member_client, member):
    url = reverse("account_email")
    response = member_client.post(url, {"action_add": "", "email": "ada@work.example"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert not EmailAddress.objects.filter(email="ada@work.example").exists()

    reauthenticate(member_client)
    response = member_client.post(url, {"action_add": "", "email": "Ada@Work.example"}, follow=True)

    added = EmailAddress.objects.get(user=member, email="ada@work.example")
    assert not added.verified and not added.primary
    assert mail.outbox[-1].to == ["ada@work.example"]
    assert "Confirmation email sent to ada@work.example." in message_texts(response)


@pytest.mark.django_db
def test_an_address_of_another_account_cannot_be_added(member_client, member, django_user_model):
    django_user_model.objects.create_user("grace", "grace@example.com", PASSWORD)
    reauthenticate(member_client)

    response = member_client.post(
        reverse("account_email"), {"action_add": "", "email": "GRACE@example.com"}
    )

    assert response.status_code == 400
    assert "A user is already registered with this email address." in response.content.decode()
    assert not EmailAddress.objects.filter(user=member, email__iexact="grace@example.com")
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_verified_address_becomes_primary_and_the_old_one_can_go(member_client, member):
    EmailAddress.objects.create(user=member, email="ada@work.example", verified=True)
    reauthenticate(member_client)
    url = reverse("account_email")

    member_client.post(url, {"action_primary": "", "email": "ada@work.example"})
    member.refresh_from_db()
    assert member.email == "ada@work.example"
    member_client.post(url, {"action_remove": "", "email": "ada@example.com"})

    assert list(EmailAddress.objects.filter(user=member).values_list("email", flat=True)) == [
        "ada@work.example"
    ]


@pytest.mark.django_db
def test_log_out_everywhere_else_ends_my_other_sessions(client, member):
    laptop = client.__class__()
    log_in(laptop, "ada")
    log_in(client, "ada")
    assert UserSession.objects.filter(user=member).count() == 2

    client.post(reverse("usersessions_list"))

    assert laptop.get(reverse("account")).status_code == 302  # logged out there
    assert client.get(reverse("account")).status_code == 200  # not here


# Users made outside the sign-up (createsuperuser, admin) log in by their address too


@pytest.mark.parametrize(
    "login", ["curator@example.com", "Curator@example.com", "CURATOR@EXAMPLE.COM", "curator"]
)
@pytest.mark.django_db
def test_a_user_made_by_createsuperuser_logs_in_by_any_spelling_of_the_address(client, login):
    call_command(
        "createsuperuser",
        username="curator",
        email="Curator@Example.com",
        interactive=False,
        verbosity=0,
    )
    user = get_user_model().objects.get(username="curator")
    user.set_password(PASSWORD)
    user.save()

    response = log_in(client, login)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert int(client.session["_auth_user_id"]) == user.pk
    assert list(
        EmailAddress.objects.filter(user=user).values_list("email", "primary", "verified")
    ) == [("curator@example.com", True, True)]


@pytest.mark.django_db
def test_an_address_given_in_admin_gets_its_row_and_another_accounts_address_none(member):
    user = get_user_model().objects.create_user("lin", password=PASSWORD)
    assert not EmailAddress.objects.filter(user=user).exists()

    user.email = "Lin@Example.com"
    user.save()
    user.email = "ADA@example.com"  # the member's: one account per address
    user.save()

    assert list(EmailAddress.objects.filter(user=user).values_list("email", flat=True)) == [
        "lin@example.com"
    ]


@pytest.mark.django_db
def test_the_migration_gives_existing_users_their_address_row():
    migration = importlib.import_module("accounts.migrations.0002_email_address_rows")
    user = get_user_model().objects.create_user("old", "Old@Example.com", PASSWORD)
    EmailAddress.objects.filter(user=user).delete()

    migration.add_rows(django_apps, None)
    migration.add_rows(django_apps, None)  # twice changes nothing

    assert list(EmailAddress.objects.filter(user=user).values_list("email", "primary")) == [
        ("old@example.com", True)
    ]
