"""Accounts: sign up, log in and out, passwords, my data, deleting my account, and the lockout."""

import json
import re

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse

from audits.models import Audit, AuditAnswer

PASSWORD = "curious-about-retrieval-42"
NEW_PASSWORD = "evals-are-my-thing-2025"


@pytest.fixture
def member(django_user_model):
    return django_user_model.objects.create_user(
        username="ada", email="ada@example.com", password=PASSWORD
    )


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


# Sign up


@pytest.mark.django_db
def test_sign_up_creates_the_account_logs_in_and_says_so(client, django_user_model):
    response = client.post(reverse("signup"), signup_data(), follow=True)

    assert response.redirect_chain[0] == (reverse("audits:history"), 302)
    user = django_user_model.objects.get(username="grace")
    assert user.email == "grace@example.com"
    assert int(client.session["_auth_user_id"]) == user.pk
    assert response.redirect_chain == [(reverse("audits:history"), 302)]  # kept logged in
    assert "Welcome to careerguide, grace. Your account is ready." in message_texts(response)


@pytest.mark.django_db
def test_sign_up_follows_a_safe_next_and_ignores_an_unsafe_one(client):
    response = client.post(reverse("signup") + "?next=/audits/new/", signup_data())
    assert response.url == "/audits/new/"

    client.logout()
    response = client.post(
        reverse("signup"), signup_data(username="hopper", next="https://evil.example/")
    )
    assert response.url == reverse("audits:history")


@pytest.mark.django_db
def test_sign_up_page_renders_accessible_fields(client):
    response = client.get(reverse("signup"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>" in html
    for name in ("username", "email", "password1", "password2"):
        assert f'<label for="id_{name}">' in html
    assert 'aria-describedby="id_email_helptext"' in html


@pytest.mark.parametrize(
    ("overrides", "field", "error"),
    [
        ({"password2": "something-else-entirely"}, "password2", "didn’t match"),
        ({"password1": "password123", "password2": "password123"}, "password2", "too common"),
        ({"email": ""}, "email", "This field is required."),
        ({"email": "not-an-address"}, "email", "Enter a valid email address."),
    ],
)
@pytest.mark.django_db
def test_bad_sign_up_shows_the_error_on_the_field_with_400(
    client, django_user_model, overrides, field, error
):
    response = client.post(reverse("signup"), signup_data(**overrides))

    assert response.status_code == 400
    html = response.content.decode()
    assert error in html
    assert f'id="id_{field}_error"' in html
    field_input = re.search(rf'<input[^>]*id="id_{field}"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field_input
    assert f"id_{field}_error" in field_input
    assert not django_user_model.objects.filter(username="grace").exists()
    assert not is_logged_in(client)


@pytest.mark.django_db
def test_sign_up_with_a_taken_username_is_refused(client, member):
    response = client.post(reverse("signup"), signup_data(username="ada"))

    assert response.status_code == 400
    assert "A user with that username already exists." in response.content.decode()


@pytest.mark.django_db
def test_sign_up_with_an_email_already_in_use_does_not_reveal_it(client, member):
    response = client.post(reverse("signup"), signup_data(email=member.email))

    # Emails are not unique: the sign-up goes through like any other.
    assert response.status_code == 302
    assert is_logged_in(client)


@pytest.mark.django_db
def test_logged_in_member_visiting_sign_up_or_log_in_goes_to_history(member_client):
    for name in ("signup", "login"):
        response = member_client.get(reverse(name))
        assert response.status_code == 302
        assert response.url == reverse("audits:history")


# Log in and out


@pytest.mark.django_db
def test_log_in_welcomes_the_member_back(client, member):
    response = client.post(reverse("login"), {"username": "ada", "password": PASSWORD}, follow=True)

    assert response.redirect_chain[0] == (reverse("audits:history"), 302)
    assert is_logged_in(client)
    assert "Welcome back, ada." in message_texts(response)


@pytest.mark.django_db
def test_log_in_with_a_wrong_password_says_so_with_400(client, member):
    response = client.post(reverse("login"), {"username": "ada", "password": "wrong"})

    assert response.status_code == 400
    assert "Please enter a correct username and password" in response.content.decode()
    assert not is_logged_in(client)


@pytest.mark.django_db
def test_log_out_logs_out_and_says_so(member_client):
    response = member_client.post(reverse("logout"), follow=True)

    assert response.redirect_chain[0] == (reverse("tracks:home"), 302)
    assert not is_logged_in(member_client)
    assert "You have logged out." in message_texts(response)


@pytest.mark.django_db
def test_log_out_by_get_is_not_allowed(member_client):
    response = member_client.get(reverse("logout"))

    assert response.status_code == 405
    assert is_logged_in(member_client)


# Passwords


@pytest.mark.django_db
def test_password_change_sets_the_new_password_and_keeps_me_logged_in(member_client, member):
    response = member_client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )

    assert response.redirect_chain[0] == (reverse("password_change_done"), 302)
    assert "Your password was changed." in message_texts(response)
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)
    assert is_logged_in(member_client)


@pytest.mark.django_db
def test_password_change_with_a_wrong_old_password_keeps_the_old_one(member_client, member):
    response = member_client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 400
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


@pytest.mark.django_db
def test_password_reset_mails_a_link_that_sets_a_new_password(client, member):
    response = client.post(reverse("password_reset"), {"email": "ada@example.com"}, follow=True)

    assert response.redirect_chain[0] == (reverse("password_reset_done"), 302)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ada@example.com"]
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)

    response = client.get(link, follow=True)  # Django swaps the token for a session marker
    set_password_url = response.redirect_chain[-1][0]
    response = client.post(
        set_password_url,
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )

    assert response.redirect_chain[0] == (reverse("password_reset_complete"), 302)
    assert "Your new password is set. You can log in with it now." in message_texts(response)
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_password_reset_does_not_reveal_whether_an_address_has_an_account(client, member):
    known = client.post(reverse("password_reset"), {"email": "ada@example.com"}, follow=True)
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.com"}, follow=True)

    assert len(mail.outbox) == 1
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

    with django_assert_num_queries(3):  # session, user, audit counts
        response = member_client.get(reverse("account"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "ada@example.com" in html
    assert "2 audits (1 finished)" in html
    for name in ("password_change", "account_data", "account_delete"):
        assert reverse(name) in html


@pytest.mark.parametrize("name", ["account", "account_data", "account_delete", "password_change"])
@pytest.mark.django_db
def test_visitors_are_sent_to_log_in_from_account_pages(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={reverse(name)}"


@pytest.mark.django_db
def test_my_data_downloads_as_json_with_all_my_audits(
    member_client, member, django_user_model, django_assert_num_queries
):
    draft = Audit.objects.create(member=member)
    AuditAnswer.objects.create(audit=draft, step=0, data={"years": "2-3"})
    Audit.objects.create(member=member)
    stranger = django_user_model.objects.create_user(username="eve", password=PASSWORD)
    Audit.objects.create(member=stranger)

    with django_assert_num_queries(4):  # session, user, audits, their answers
        response = member_client.get(reverse("account_data"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="careerguide-ada.json"'
    data = json.loads(response.content)
    assert data["username"] == "ada"
    assert data["email"] == "ada@example.com"
    assert data["date_joined"] == member.date_joined.isoformat()
    assert len(data["audits"]) == 2
    assert {audit["id"] for audit in data["audits"]} == {
        str(audit.id) for audit in member.audits.all()
    }
    draft_record = next(audit for audit in data["audits"] if audit["id"] == str(draft.id))
    assert draft_record["answers"] == {"0": {"years": "2-3"}}


@pytest.mark.django_db
def test_my_data_is_get_only(member_client):
    assert member_client.post(reverse("account_data")).status_code == 405


@pytest.mark.django_db
def test_delete_page_warns_that_all_my_audits_go_too(member_client, member):
    for _ in range(3):
        Audit.objects.create(member=member)

    response = member_client.get(reverse("account_delete"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "all 3 of your audits will be deleted" in html
    assert '<label for="id_password">' in html


@pytest.mark.django_db
def test_delete_with_my_password_removes_me_and_my_audits(member_client, member, django_user_model):
    Audit.objects.create(member=member)
    Audit.objects.create(member=member)
    stranger = django_user_model.objects.create_user(username="eve", password=PASSWORD)
    Audit.objects.create(member=stranger)
    assert Audit.objects.count() == 3

    response = member_client.post(reverse("account_delete"), {"password": PASSWORD}, follow=True)

    assert response.redirect_chain[0] == (reverse("tracks:home"), 302)
    assert "Your account and all your audits were deleted." in message_texts(response)
    assert not django_user_model.objects.filter(username="ada").exists()
    assert Audit.objects.count() == 1
    assert Audit.objects.get().member == stranger
    assert not is_logged_in(member_client)


@pytest.mark.django_db
def test_delete_with_a_wrong_password_keeps_everything(member_client, member, django_user_model):
    Audit.objects.create(member=member)

    response = member_client.post(reverse("account_delete"), {"password": "wrong"})

    assert response.status_code == 400
    html = response.content.decode()
    assert "That is not your current password. Nothing was deleted." in html
    assert 'aria-invalid="true"' in html
    assert django_user_model.objects.filter(username="ada").exists()
    assert Audit.objects.filter(member=member).count() == 1
    assert is_logged_in(member_client)


# Lockout


@pytest.mark.django_db
def test_ten_failed_log_ins_lock_the_account_even_for_the_right_password(client, member):
    for _ in range(10):
        client.post(reverse("login"), {"username": "ada", "password": "wrong"})

    response = client.post(reverse("login"), {"username": "ada", "password": PASSWORD})

    assert response.status_code == 429
    html = response.content.decode()
    assert "Account temporarily locked" in html
    assert "try again in 15 minutes" in html
    assert not is_logged_in(client)


@pytest.mark.django_db
def test_nine_failed_log_ins_do_not_lock_the_account(client, member):
    for _ in range(9):
        client.post(reverse("login"), {"username": "ada", "password": "wrong"})

    response = client.post(reverse("login"), {"username": "ada", "password": PASSWORD})

    assert response.status_code == 302
    assert is_logged_in(client)


def test_signup_checks_the_username_inline(client, django_user_model):
    django_user_model.objects.create_user("taken", "taken@example.com", "x-long-password-1")
    headers = {"HX-Request": "true"}
    data = {"username": "taken", "validate_only": "username"}
    response = client.post("/accounts/signup/", data, headers=headers)
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="username-check"' in page and "<html" not in page
    assert "already exists" in page
    data["username"] = "newcomer"
    response = client.post("/accounts/signup/", data, headers=headers)
    assert "“newcomer” is available." in response.content.decode()
    assert not django_user_model.objects.filter(username="newcomer").exists()
