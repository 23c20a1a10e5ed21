"""Sign in with GitHub: offered only when GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET are set, and
tested end to end with GitHub's HTTP responses stubbed where requests meets the network."""

import json
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.conf import settings as django_settings
from django.urls import reverse
from production import production_settings

BASE_DIR = Path(django_settings.BASE_DIR)
GITHUB_APP = {"client_id": "test-client-id", "secret": "test-client-secret", "key": ""}


@pytest.fixture
def github(settings):
    """GitHub configured as the environment variables would configure it."""
    providers = {"github": {**settings.SOCIALACCOUNT_PROVIDERS["github"], "APPS": [GITHUB_APP]}}
    settings.SOCIALACCOUNT_PROVIDERS = providers
    return providers


class FakeGitHub(requests.adapters.BaseAdapter):
    """GitHub's three answers during a sign-in: the access token, the user, their emails."""

    def __init__(self, user, emails):
        super().__init__()
        self.user, self.emails, self.seen = user, emails, []

    def send(self, request, **kwargs):
        self.seen.append((request.method, request.url))
        url = urlparse(request.url)
        if url.netloc == "github.com" and url.path == "/login/oauth/access_token":
            assert parse_qs(request.body)["client_secret"] == ["test-client-secret"]
            body = {"access_token": "gho_test", "token_type": "bearer", "scope": "user:email"}
        elif url.netloc == "api.github.com" and url.path == "/user":
            assert request.headers["Authorization"] == "token gho_test"
            body = self.user
        elif url.netloc == "api.github.com" and url.path == "/user/emails":
            body = self.emails
        else:
            raise AssertionError(f"unexpected request to {request.url}")
        response = requests.Response()
        response.status_code = 200
        response.headers["Content-Type"] = "application/json"
        response._content = json.dumps(body).encode()
        response.url, response.request = request.url, request
        return response

    def close(self):
        pass


@pytest.fixture
def fake_github(monkeypatch):
    def install(login="octo-ana", email="octo@example.com", verified=True):
        fake = FakeGitHub(
            {"id": 4242, "login": login, "name": "Octo Ana", "email": email},
            [{"email": email, "primary": True, "verified": verified}],
        )
        original = requests.Session.get_adapter
        monkeypatch.setattr(
            requests.Session,
            "get_adapter",
            lambda self, url: fake if "github.com" in url else original(self, url),
        )
        return fake

    return install


def sign_in_with_github(client, next_url=None):
    """The log-in page's button, GitHub's consent (skipped), and GitHub's redirect back."""
    login_url = reverse("github_login") + (f"?next={next_url}" if next_url else "")
    confirm = client.get(login_url)
    assert confirm.status_code == 200 and '<form method="post"' in confirm.content.decode()
    to_github = client.post(login_url)
    assert to_github.status_code == 302
    authorize = urlparse(to_github.url)
    assert authorize.netloc == "github.com" and authorize.path == "/login/oauth/authorize"
    query = parse_qs(authorize.query)
    assert query["client_id"] == ["test-client-id"]
    callback = urlparse(query["redirect_uri"][0]).path
    assert callback == "/accounts/github/login/callback/"
    return client.get(callback, {"code": "github-code", "state": query["state"][0]})


@pytest.mark.django_db
def test_github_is_not_offered_without_its_settings(client):
    for name in ("account_login", "account_signup"):
        assert "GitHub" not in client.get(reverse(name)).content.decode()
    assert client.get(reverse("github_login")).status_code == 404


@pytest.mark.django_db
def test_github_is_offered_on_log_in_and_sign_up_when_configured(client, github):
    for name in ("account_login", "account_signup"):
        html = client.get(reverse(name)).content.decode()
        assert "Continue with GitHub" in html
        assert reverse("github_login") in html


def test_github_settings_come_from_the_environment(monkeypatch):
    def apps(**env):
        production = production_settings(monkeypatch, **env)
        return len(production["SOCIALACCOUNT_PROVIDERS"]["github"]["APPS"])

    assert apps() == 0
    assert apps(GITHUB_CLIENT_ID="x") == 0
    assert apps(GITHUB_CLIENT_ID="x", GITHUB_CLIENT_SECRET="y") == 1


@pytest.mark.django_db
def test_signing_in_with_github_creates_the_account_and_logs_in(
    client, github, fake_github, django_user_model
):
    fake = fake_github()

    response = sign_in_with_github(client)

    assert response.status_code == 302 and response.url == reverse("audits:history")
    user = django_user_model.objects.get(username="octo-ana")
    assert user.email == "octo@example.com"
    assert SocialAccount.objects.get(user=user).uid == "4242"
    assert client.session["_auth_user_id"] == str(user.pk)
    assert ("POST", "https://github.com/login/oauth/access_token") in fake.seen


@pytest.mark.django_db
def test_a_visitors_audit_is_claimed_when_they_sign_in_with_github(client, github, fake_github, db):
    from audit_helpers import walk

    fake_github()
    audit = walk(client)
    result = reverse("audits:result", args=[audit.id])

    response = sign_in_with_github(client, next_url=result)

    assert response.url == result
    audit.refresh_from_db()
    assert audit.member.username == "octo-ana"


@pytest.mark.django_db
def test_a_github_address_never_logs_into_someone_elses_account(
    client, github, fake_github, django_user_model, make_member
):
    ada = make_member("ada")
    fake_github(login="not-ada", email="ADA@example.com")

    response = sign_in_with_github(client)

    # The address belongs to ada's account: no second account with it, and not ada's account
    # either; the newcomer is asked for an address of their own.
    assert response.url == reverse("socialaccount_signup")
    assert "_auth_user_id" not in client.session
    page = client.get(response.url)
    assert page.status_code == 200 and 'name="email"' in page.content.decode()
    assert django_user_model.objects.filter(email__iexact="ada@example.com").get() == ada
