"""Production security: `check --deploy`, https, response headers, CSP-safe HTML and accounts.

Covers production settings, headers on every response and accounts:

- `manage.py check --deploy` with production environment variables, and DJANGO_INSECURE_HTTP;
- HSTS on https, a 301 from http to https, secure cookies;
- the security headers on catalogue, audit, account and error responses;
- no inline <script>, no `style="` attribute, no <style> element and no on* event handler in any
  public page or audit page (the CSP allows scripts and styles from 'self' only);
- failed log-ins limited with a clear 429, password reset that reveals nothing, and account
  deletion that leaves no personal row behind (tests/test_account_findings.py holds the attacks).
"""

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from account_helpers import give_totp
from audit_helpers import RETRIEVAL_ANSWERS, post_step, start, step_url, walk
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core import mail
from django.urls import reverse
from production import production_env, production_settings

from audits.models import Audit
from audits.steps import step_form
from tracks.models import Company, QuickCheckQuestion, Track

pytestmark = pytest.mark.usefixtures("db")

BASE_DIR = Path(django_settings.BASE_DIR)


# check --deploy and DJANGO_INSECURE_HTTP, in a subprocess with a production environment ----------


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_no_issues_with_production_settings():
    result = manage("check", "--deploy", env=production_env())

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "no issues" in output, output


def test_check_deploy_warns_without_a_proxy_count():
    result = manage("check", "--deploy", env=production_env(DJANGO_PROXY_COUNT=""))

    assert "careerguide.W001" in result.stderr + result.stdout
    assert "Set DJANGO_PROXY_COUNT" in result.stderr + result.stdout


def test_check_deploy_reports_no_issues_once_smtp_is_configured():
    """With SMTP settings given, the deploy check stays clean too."""
    result = manage(
        "check",
        "--deploy",
        env=production_env(EMAIL_HOST="smtp.careerguide.example", EMAIL_HOST_USER="mailer"),
    )

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "no issues" in output, output


def test_check_deploy_fails_when_the_site_address_for_mail_is_forgotten():
    """Reminder mail (sent by the worker, without a request) links to DJANGO_SITE_URL."""
    env = production_env()
    del env["DJANGO_SITE_URL"]
    result = manage("check", "--deploy", env=env)

    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "reminders.E001" in output and "DJANGO_SITE_URL is not set" in output, output

    result = manage(
        "check", "--deploy", env={**env, "DJANGO_SITE_URL": "http://careerguide.example"}
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "reminders.E002" in output, output


def test_no_system_check_is_silenced(settings):
    assert settings.SILENCED_SYSTEM_CHECKS == []


HTTPS_SETTINGS = (
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "DEBUG",
)


def https_settings(monkeypatch, **env):
    production = production_settings(monkeypatch, **env)
    return {name: production.get(name, False) for name in HTTPS_SETTINGS}


def test_production_settings_force_https_hsts_and_secure_cookies(monkeypatch):
    assert https_settings(monkeypatch) == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "DEBUG": False,
    }


def test_insecure_http_turns_off_redirect_hsts_and_secure_cookies(monkeypatch):
    assert https_settings(monkeypatch, DJANGO_INSECURE_HTTP="1") == {
        "SECURE_SSL_REDIRECT": False,
        "SECURE_HSTS_SECONDS": False,
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
        "DEBUG": False,
    }


# https: HSTS, the redirect, secure cookies -------------------------------------------------------


def test_https_responses_carry_hsts_for_a_year_with_subdomains(client):
    response = client.get(reverse("tracks:track_list"), secure=True)

    assert response.status_code == 200
    directives = [d.strip() for d in response["Strict-Transport-Security"].split(";")]
    assert "max-age=31536000" in directives
    assert "includeSubDomains" in directives


def test_plain_http_is_redirected_to_https_with_301(client, settings):
    settings.SECURE_SSL_REDIRECT = True  # tests/conftest.py turns it off for ordinary tests

    paths = ("/", "/tracks/retrieval/?q=x", reverse("account_login"), reverse("audits:history"))
    for path in paths:
        response = client.get(path)
        assert response.status_code == 301, path
        assert response["Location"] == f"https://testserver{path}"
        assert "Strict-Transport-Security" not in response  # HSTS only over https
    assert client.get("/", secure=True).status_code == 200


def test_health_check_answers_over_plain_http_for_load_balancers(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.content == b"ok"


def test_session_and_csrf_cookies_are_secure_httponly_and_lax(client, member, password):
    response = client.get(reverse("account_login"), secure=True)
    csrf = response.cookies[django_settings.CSRF_COOKIE_NAME]
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"

    response = client.post(
        reverse("account_login"), {"login": "ada", "password": password}, secure=True
    )
    assert response.status_code == 302
    session = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


# Headers on every response -----------------------------------------------------------------------


def csp_directives(response):
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def assert_security_headers(response, where):
    csp = csp_directives(response)
    script_src = csp.get("script-src", csp.get("default-src"))
    assert script_src, f"{where}: no script-src or default-src in the CSP"
    assert "'unsafe-inline'" not in script_src, where
    assert "'unsafe-eval'" not in script_src, where
    assert "*" not in script_src, where
    assert "'unsafe-inline'" not in csp.get("style-src", csp.get("default-src", [])), where
    assert csp.get("object-src") == ["'none'"], where
    assert response["X-Content-Type-Options"] == "nosniff", where
    assert response["Referrer-Policy"] in {
        "no-referrer",
        "same-origin",
        "strict-origin",
        "strict-origin-when-cross-origin",
    }, where
    assert response["Cross-Origin-Opener-Policy"] == "same-origin", where
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in permissions, where
    assert response.get("X-Frame-Options") == "DENY" or csp.get("frame-ancestors") == ["'none'"], (
        where
    )


HEADER_CASES = [
    "catalogue page",
    "catalogue page from the visitors' cache",
    "track page",
    "audit step",
    "audit step fragment (htmx)",
    "audit result",
    "audit result from the member's cache",
    "audit export (JSON)",
    "login page",
    "login refused (400)",
    "log-in refused by the rate limit (429)",
    "404 for a visitor",
    "404 for another member's audit",
    "405",
    "admin index",
    "health check",
]


@pytest.mark.parametrize("case", HEADER_CASES)
def test_every_kind_of_response_carries_the_security_headers(client, make_member, case):
    def member_with_audit(finished=True):
        client.force_login(make_member("ada"))
        return walk(client) if finished else start(client)

    if case == "catalogue page":
        response = client.get(reverse("tracks:track_list"), secure=True)
    elif case == "catalogue page from the visitors' cache":
        for _ in range(2):  # versions for an empty cache, then the page is stored
            client.get(reverse("tracks:company_list"), secure=True)
        response = client.get(reverse("tracks:company_list"), secure=True)
    elif case == "audit result from the member's cache":
        audit = member_with_audit()
        for _ in range(3):  # the CSRF cookie, versions, then the page is stored
            client.get(reverse("audits:result", args=[audit.id]), secure=True)
        response = client.get(reverse("audits:result", args=[audit.id]), secure=True)
    elif case == "track page":
        response = client.get(reverse("tracks:track_detail", args=["agents"]), secure=True)
    elif case == "audit step":
        audit = member_with_audit(finished=False)
        response = client.get(step_url(audit, 0), secure=True)
    elif case == "audit step fragment (htmx)":
        audit = member_with_audit(finished=False)
        response = post_step(
            client, audit, 0, RETRIEVAL_ANSWERS[0], headers={"HX-Request": "true"}, secure=True
        )
    elif case == "audit result":
        audit = member_with_audit()
        response = client.get(reverse("audits:result", args=[audit.id]), secure=True)
    elif case == "audit export (JSON)":
        audit = member_with_audit()
        response = client.get(reverse("audits:export_json", args=[audit.id]), secure=True)
    elif case == "login page":
        response = client.get(reverse("account_login"), secure=True)
    elif case == "login refused (400)":
        response = client.post(
            reverse("account_login"), {"login": "x", "password": "y"}, secure=True
        )
    elif case == "log-in refused by the rate limit (429)":
        make_member("ada")
        for _ in range(11):
            response = client.post(
                reverse("account_login"), {"login": "ada", "password": "wrong"}, secure=True
            )
    elif case == "404 for a visitor":
        response = client.get("/no/such/page/", secure=True)
    elif case == "404 for another member's audit":
        audit = member_with_audit()
        client.force_login(make_member("grace"))
        response = client.get(reverse("audits:result", args=[audit.id]), secure=True)
    elif case == "405":
        response = client.post(reverse("tracks:track_list"), secure=True)
    elif case == "admin index":
        root = make_member("root", is_staff=True, is_superuser=True)
        give_totp(root)
        client.force_login(root)
        response = client.get(reverse("admin:index"), secure=True)
    else:
        response = client.get(reverse("healthz"), secure=True)

    expected = {
        "audit step fragment (htmx)": 200,
        "login refused (400)": 400,
        "log-in refused by the rate limit (429)": 429,
        "404 for a visitor": 404,
        "404 for another member's audit": 404,
        "405": 405,
    }.get(case, 200)
    assert response.status_code == expected, case
    assert_security_headers(response, case)
    assert "Strict-Transport-Security" in response, case


# HTML that the CSP would break --------------------------------------------------------------------


class CSPOffenders(HTMLParser):
    """Finds what `script-src 'self'` and `style-src 'self'` block: inline code and styles."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.offences = []

    def handle_starttag(self, tag, attrs):
        names = {name.lower() for name, _value in attrs}
        line = self.getpos()[0]
        if tag == "script" and "src" not in names:
            kind = dict(attrs).get("type", "") or ""
            # Data blocks (json_script) are not executed and CSP does not block them.
            if kind.lower() not in {"application/json", "application/ld+json"}:
                self.offences.append(f"line {line}: inline <script> without src")
        if tag == "style":
            self.offences.append(f"line {line}: <style> element")
        if "style" in names:
            self.offences.append(f"line {line}: style= attribute on <{tag}>")
        for name in sorted(names):
            if name.startswith("on"):
                self.offences.append(f"line {line}: {name}= handler on <{tag}>")
        for name, value in attrs:
            url = (value or "").strip().lower()
            if name.lower() in {"href", "src", "action"} and url.startswith("javascript:"):
                self.offences.append(f"line {line}: javascript: URL in {name}= on <{tag}>")


def csp_offences(html):
    parser = CSPOffenders()
    parser.feed(html)
    parser.close()
    return parser.offences


def test_the_offence_finder_finds_offences():
    html = (
        '<script>alert(1)</script><script src="/s.js"></script>'
        '<script type="application/json">{}</script><p style="color:red" onclick="x()">'
        '<a href="javascript:x()">x</a><style>p{}</style>'
    )
    assert len(csp_offences(html)) == 5


def public_pages():
    pages = [
        "/",
        reverse("tracks:track_list"),
        reverse("tracks:track_list") + "?q=search",
        reverse("tracks:track_list") + "?q=no-such-thing-at-all",
        reverse("tracks:company_list"),
        reverse("tracks:company_list") + "?track=agents",
        reverse("tracks:conference_list"),
        reverse("tracks:project_list"),
        reverse("tracks:guide"),
        reverse("account_login"),
        reverse("account_signup"),
        reverse("account_reset_password"),
        reverse("account_reset_password_done"),
        reverse("account_reset_password_from_key_done"),
        reverse("account_reset_password_from_key", args=["junk", "junk-token"]),
        reverse("account_confirm_email", args=["junk-key"]),
        "/no/such/page/",
        "/tracks/no-such-track/",
    ]
    pages += [track.get_absolute_url() for track in Track.objects.all()]
    pages += [company.get_absolute_url() for company in Company.objects.all()]
    for question in QuickCheckQuestion.objects.prefetch_related("options"):
        url = reverse("tracks:quick_check_answer", args=[question.slug])
        pages += [f"{url}?answer={option.key}" for option in question.options.all()]
        pages.append(f"{url}?answer=not-an-option")
    return pages


def test_no_public_page_has_inline_scripts_or_styles(client, member):
    offenders = {}
    pages = public_pages()
    for url in pages:
        for headers in ({}, {"HX-Request": "true", "HX-Target": "track-results"}):
            response = client.get(url, headers=headers)
            assert response.status_code in (200, 400, 404), url
            offences = csp_offences(response.content.decode())
            if offences:
                offenders[f"{url} {headers or ''}"] = offences
    # The pages a refused form answers with, and the rate limits' pages.
    login = reverse("account_login")
    refused = {
        "sign up (400)": client.post(
            reverse("account_signup"), {"username": "x", "password1": "1"}
        ),
        "log in (400)": client.post(login, {"login": "ada", "password": "no"}),
        "password reset (400)": client.post(reverse("account_reset_password"), {"email": "nope"}),
    }
    for _ in range(10):
        client.post(login, {"login": "ada", "password": "no"})
    refused["log in limited (429)"] = client.post(login, {"login": "ada", "password": "no"})
    for _ in range(21):
        checked = client.post(reverse("username_check"), {"username": "x"})
    refused["username check limited (429)"] = checked
    for name, response in refused.items():
        assert response.status_code == int(name[-4:-1]), name
        offences = csp_offences(response.content.decode())
        if offences:
            offenders[name] = offences
    assert not offenders, offenders
    assert len(pages) > 40


def test_no_member_or_audit_page_has_inline_scripts_or_styles(client, member, password):
    client.force_login(member)
    first = walk(client)
    second = walk(client)
    draft = start(client)
    pages = {}
    for step in range(6):
        if step:
            post_step(client, draft, step - 1, RETRIEVAL_ANSWERS[step - 1])
        pages[f"step {step}"] = client.get(step_url(draft, step))
        pages[f"step {step} (htmx)"] = client.get(
            step_url(draft, step), headers={"HX-Request": "true"}
        )
        refused = post_step(client, draft, step, dict.fromkeys(step_form(step).fields, "nope"))
        assert refused.status_code == 400, step
        pages[f"step {step} refused (400)"] = refused
    pages["finished audit refuses an earlier step (409)"] = post_step(
        client, first, 1, RETRIEVAL_ANSWERS[1]
    )
    named = {
        "result": reverse("audits:result", args=[first.id]),
        "print": reverse("audits:print", args=[first.id]),
        "delete confirmation": reverse("audits:delete", args=[first.id]),
        "history": reverse("audits:history"),
        "new audit": reverse("audits:new"),
        "compare": f"{reverse('audits:compare')}?audit={first.id}&audit={second.id}",
        "account": reverse("account"),
        "account delete (asks who I am)": reverse("account_delete"),
        "reauthenticate": reverse("account_reauthenticate"),
        "password change": reverse("account_change_password"),
        "email": reverse("account_email"),
        "second factor": reverse("mfa_index"),
        "authenticator app": reverse("mfa_activate_totp"),
        "passkey": reverse("mfa_add_webauthn"),
        "recovery codes": reverse("mfa_view_recovery_codes"),
        "sessions": reverse("usersessions_list"),
        "GitHub connections": reverse("socialaccount_connections"),
        "log out": reverse("account_logout"),
        "404 for a member": "/audits/00000000-0000-0000-0000-000000000000/",
    }
    for name, url in named.items():
        pages[name] = client.get(url)
    pages["reauthenticate refused"] = client.post(
        reverse("account_reauthenticate"), {"password": "wrong"}
    )
    client.post(reverse("account_reauthenticate"), {"password": password})
    pages["account delete"] = client.get(reverse("account_delete"))
    assert pages["account delete"].status_code == 200

    offenders = {}
    for name, response in pages.items():
        assert response.status_code < 500, name
        offences = csp_offences(response.content.decode())
        if offences:
            offenders[name] = offences
    assert not offenders, offenders


# Accounts -----------------------------------------------------------------------------------------


def test_failed_log_ins_are_limited_per_address_and_login_not_locked(settings):
    limits = settings.ACCOUNT_RATE_LIMITS["login_failed"]
    assert "/ip" in limits and "/key" in limits  # per address, and per address and login
    assert not any(name.startswith("AXES_") for name in dir(settings))


def test_the_tenth_failure_refuses_the_next_attempt_with_a_clear_429(client, member, password):
    for _ in range(10):
        client.post(reverse("account_login"), {"login": "ada", "password": "wrong"})

    response = client.post(reverse("account_login"), {"login": "ada", "password": password})

    assert response.status_code == 429
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_many_failures_from_one_address_limit_that_address_across_usernames(
    client, member, password
):
    for n in range(30):
        client.post(reverse("account_login"), {"login": f"guess{n}", "password": "wrong"})

    response = client.post(reverse("account_login"), {"login": "ada", "password": password})

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def final_page_text(response):
    """The visible text of the page the browser ends on (the CSRF token differs per request)."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return html


@pytest.mark.parametrize(
    "variant",
    ["unknown address", "known address in capitals", "inactive account", "unusable password"],
)
def test_password_reset_answers_known_and_unknown_addresses_identically(
    client, make_member, variant
):
    make_member("ada")
    email = "nobody@example.com"
    if variant == "known address in capitals":
        email = "ADA@EXAMPLE.COM"
    elif variant == "inactive account":
        make_member("lin", is_active=False)
        email = "lin@example.com"
    elif variant == "unusable password":
        user = make_member("sso")
        user.set_unusable_password()
        user.save()
        email = "sso@example.com"

    url = reverse("account_reset_password")
    known = client.post(url, {"email": "ada@example.com"}, follow=True)
    other = client.post(url, {"email": email}, follow=True)

    assert known.status_code == other.status_code == 200
    done = reverse("account_reset_password_done")
    assert known.redirect_chain == other.redirect_chain == [(done, 302)]
    assert final_page_text(known) == final_page_text(other)
    assert mail.outbox[0].to == ["ada@example.com"]


# Deleting an account leaves nothing personal behind -----------------------------------------------


def personal_rows(user, audit_ids):
    """Rows in every table that points at this user or one of their audits, by model."""
    user_model = get_user_model()
    found = {}
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.get_fields():
            if not (
                field.is_relation and field.concrete and (field.many_to_one or field.one_to_one)
            ):
                continue
            target = field.related_model
            if target is user_model:
                count = model._default_manager.filter(**{field.attname: user.pk}).count()
            elif target is Audit:
                count = model._default_manager.filter(**{f"{field.attname}__in": audit_ids}).count()
            else:
                continue
            if count:
                found[f"{model._meta.label}.{field.name}"] = count
    return found


def sessions_of(user):
    return [
        session.session_key
        for session in Session.objects.all()
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk)
    ]


@pytest.fixture
def member_with_everything(client, member, password):
    """A member with finished audits, a draft with answers, a log entry, groups and a session."""
    from django.contrib.admin.models import ADDITION, LogEntry
    from django.contrib.auth.models import Group

    login = reverse("account_login")
    client.post(login, {"login": "ada", "password": "wrong"})  # a failure the limits count
    response = client.post(login, {"login": "ada", "password": password})
    assert response.status_code == 302
    walk(client)
    walk(client)
    draft = start(client)
    post_step(client, draft, 0, RETRIEVAL_ANSWERS[0])
    post_step(client, draft, 1, RETRIEVAL_ANSWERS[1])
    member.groups.add(Group.objects.get_or_create(name="Readers")[0])
    LogEntry.objects.log_actions(
        member.pk, [Track.objects.first()], ADDITION, change_message="test", single_object=True
    )
    audit_ids = list(member.audits.values_list("id", flat=True))
    assert len(audit_ids) == 3
    rows = personal_rows(member, audit_ids)
    assert rows["audits.Audit.member"] == 3
    assert rows["audits.AuditAnswer.audit"] == 14
    assert rows["auth.User_groups.user"] == 1
    assert rows["admin.LogEntry.user"] == 1
    assert sessions_of(member)
    return member, audit_ids


def delete_account(client, password):
    client.post(reverse("account_reauthenticate"), {"password": password})
    response = client.post(reverse("account_delete"))
    assert response.status_code == 302
    assert response["Location"] == reverse("tracks:home")


def test_deleting_an_account_removes_every_row_that_points_at_the_member(
    client, member_with_everything, django_user_model, password
):
    member, audit_ids = member_with_everything
    bystander = django_user_model.objects.create_user(
        "grace", "grace@example.com", "another-long-password-77"
    )
    other = django_user_model.objects.get(pk=bystander.pk)
    client_b = type(client)()
    client_b.force_login(other)
    walk(client_b)
    give_totp(member)  # a second factor, with rows of its own
    delete_account(client, password)

    assert not django_user_model.objects.filter(pk=member.pk).exists()
    assert personal_rows(member, audit_ids) == {}
    assert sessions_of(member) == []
    assert Audit.objects.filter(member=bystander).count() == 1  # nobody else's rows went


def test_deleting_an_account_removes_the_members_sessions_on_other_devices(
    client, member_with_everything, password
):
    member, _audit_ids = member_with_everything
    laptop = type(client)()
    login = reverse("account_login")
    assert laptop.post(login, {"login": "ada", "password": password}).status_code == 302
    assert len(sessions_of(member)) == 2

    delete_account(client, password)

    assert sessions_of(member) == []


def test_deleting_an_account_after_a_password_change_leaves_no_session_behind(
    client, member_with_everything, password
):
    member, _audit_ids = member_with_everything
    laptop, phone = type(client)(), type(client)()
    for device in (laptop, phone):
        device.post(reverse("account_login"), {"login": "ada", "password": password})
    new_password = "a-new-password-for-ada-9"
    phone.post(
        reverse("account_change_password"),
        {"oldpassword": password, "password1": new_password, "password2": new_password},
    )
    # The new password ends the sessions on the other devices at once.
    assert len(sessions_of(member)) == 1
    assert phone.get(reverse("account")).status_code == 200
    assert laptop.get(reverse("account")).status_code == 302

    delete_account(phone, new_password)

    assert sessions_of(member) == []
