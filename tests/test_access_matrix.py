"""Who may GET what, built from the URL configuration itself.

Every URL pattern (admin's own pages aside, but with the admin index) is turned into a concrete
URL and requested by five roles: a visitor, the member who owns the audit, another member, a
curator and a superuser. EXPECTED says what each role gets; a URL pattern without an entry fails
the suite, so a new URL forces a decision about who may see it. Another member's audit is always
a 404, never a 403: it must look like no audit at all.

The totals (URLs x roles) are printed at the end of the module and written to
test-results/access-matrix-totals.txt.
"""

from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from account_helpers import make_curator, make_superuser, make_user
from allauth.account.models import EmailAddress
from audit_helpers import RETRIEVAL_ANSWERS, audit_until
from catalogue import ensure_catalogue
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve, reverse

from audits.models import Audit, AuditAnswer
from logbook.models import Entry
from tracks.models import QuickCheckQuestion

pytestmark = pytest.mark.usefixtures("db")

ROLES = ("visitor", "owner", "other", "curator", "superuser")
RESULTS = Path(settings.BASE_DIR) / "test-results" / "access-matrix-totals.txt"


# What each role gets. An int is a status; "302 <url name>" a redirect to that view ("302
# account_login" also checks that ?next= brings the visitor back).


def everyone(expected):
    return dict.fromkeys(ROLES, expected)


def members_only(expected=200):
    return {"visitor": "302 account_login", **dict.fromkeys(ROLES[1:], expected)}


def owner_only(owner):
    """The owner gets `owner`; everybody else, however privileged, a 404 (a visitor too: a
    visitor's own audits are those of their browser, and this one is a member's)."""
    return {"visitor": 404, "owner": owner, "other": 404, "curator": 404, "superuser": 404}


def members_and_staff(members, staff):
    """Members without a second factor get `members`; the curator and superuser (who have an
    authenticator app) get `staff`."""
    return {
        "visitor": "302 account_login",
        "owner": members,
        "other": members,
        "curator": staff,
        "superuser": staff,
    }


def visitors_only():
    return {"visitor": 200, **dict.fromkeys(ROLES[1:], "302 audits:history")}


EXPECTED = {
    # The catalogue is public.
    "tracks:home": everyone(200),
    "tracks:track_list": everyone(200),
    "tracks:track_detail": everyone(200),
    "tracks:company_list": everyone(200),
    "tracks:company_detail": everyone(200),
    "tracks:conference_list": everyone(200),
    "tracks:project_list": everyone(200),
    "tracks:guide": everyone(200),
    "tracks:about": everyone(200),
    "tracks:feed": everyone(200),  # the catalogue's changes (Atom), the same for everyone
    "tracks:track_feed": everyone(200),
    "tracks:quick_check_answer": everyone(400),  # no ?answer= given: a bad request, for anyone
    "healthz": everyone(200),
    "readyz": everyone(200),
    # Accounts (allauth's pages and the site's own).
    "account_signup": visitors_only(),
    "account_login": visitors_only(),
    "account_logout": {"visitor": "302 tracks:home", **dict.fromkeys(ROLES[1:], 200)},  # asks
    "account_inactive": everyone(200),
    "account_reset_password": everyone(200),
    "account_reset_password_done": everyone(200),
    "account_reset_password_from_key": everyone(200),  # a junk key: the "invalid link" page
    "account_reset_password_from_key_done": everyone(200),
    "account_email_verification_sent": everyone(200),
    "account_confirm_email": everyone(200),  # a junk key: the "invalid link" page
    "account_confirm_login_code": {  # only in the middle of a log-in by code (which is off)
        "visitor": "302 account_login*",
        **dict.fromkeys(ROLES[1:], "302 audits:history"),
    },
    "username_check": everyone(405),  # POST only
    "account": members_only(),
    "account_data": members_only(),
    "account_delete": members_only("302 account_reauthenticate"),  # asks who you are first
    "account_change_password": members_only(),
    "account_set_password": members_only("302 account_change_password"),  # they have one
    "account_email": members_only(),
    "account_reauthenticate": members_only(),
    # A member with a verified address may ask for a code by mail; confirming one needs it
    # asked for first.
    "account_request_reauthentication_code": members_only(),
    "account_confirm_reauthentication_code": members_only(
        "302 account_request_reauthentication_code*"
    ),
    "usersessions_list": members_only(),
    # Second factors.
    "mfa_index": members_only(),
    # Setting up or changing a factor asks who you are first (a session restored by the test
    # client has not just logged in).
    "mfa_authenticate": {  # only in the middle of a log-in
        "visitor": "302 account_login*",
        **dict.fromkeys(ROLES[1:], "302 audits:history"),
    },
    "mfa_reauthenticate": members_and_staff("302 account_reauthenticate*", 200),
    "mfa_activate_totp": members_only("302 account_reauthenticate"),
    "mfa_deactivate_totp": members_and_staff(404, "302 account_reauthenticate"),
    "mfa_view_recovery_codes": members_only(404),  # none generated yet
    "mfa_generate_recovery_codes": members_only("302 account_reauthenticate"),
    "mfa_download_recovery_codes": members_only(404),
    "mfa_list_webauthn": members_only(),
    "mfa_add_webauthn": members_only("302 account_reauthenticate"),
    "mfa_reauthenticate_webauthn": members_only("302 account_reauthenticate*"),
    "mfa_remove_webauthn": members_only("302 account_reauthenticate"),
    "mfa_edit_webauthn": members_only("302 account_reauthenticate"),
    "mfa_login_webauthn": {  # POST only: a GET goes back where it came from
        "visitor": "302 account_login*",
        **dict.fromkeys(ROLES[1:], "302 audits:history"),
    },
    # GitHub (shown only when configured; tests/test_account_github.py configures it).
    "github_login": everyone(404),
    "github_callback": everyone(404),
    "socialaccount_login_cancelled": everyone(200),
    "socialaccount_login_error": everyone(401),
    "socialaccount_signup": everyone("302 account_login*"),  # only in the middle of one
    "socialaccount_connections": members_only(),
    # The audit: a member's own, and nobody else's.
    "audits:history": members_only(),
    "audits:new": everyone(200),  # visitors take the audit without an account
    "audits:how": everyone(200),
    "audits:compare": members_only("302 audits:history"),  # no audits chosen
    "audits:detail": owner_only("302 audits:result"),
    "audits:step": {**owner_only(200), "audit": "draft"},
    # The retake step, on a draft that asks it (a retake three months after the last audit).
    "audits:retake_step": {**owner_only(200), "audit": "retake"},
    "audits:result": owner_only(200),
    "audits:print": owner_only(200),
    "audits:export_json": owner_only(200),
    "audits:export_pdf": owner_only("302 audits:pdf"),  # the worker has not made it yet
    "audits:pdf": owner_only(200),
    "audits:share": owner_only("302 audits:result"),  # POST makes or revokes; GET goes back
    # A shared result: this token names no link, so it is a 404 for everyone.
    "shared_result": everyone(404),
    # A member's own retake reminder; the unsubscribe link's token is checked before anything,
    # and this one is not signed: a clear 400 for anyone.
    "reminders:settings": members_only(),
    "reminders:unsubscribe": everyone(400),
    "audits:retake": members_only(405),  # POST only, refused before the audit is looked up
    "audits:delete": owner_only(200),  # the confirmation page
    # The curiosity log: a member's own; another's entry is a 404, whoever asks.
    "logbook:log": members_only(),
    "logbook:export_csv": members_only(),
    "logbook:import_csv": members_only(405),  # POST only
    "logbook:quick": everyone(405),  # POST only
    "logbook:edit": {**owner_only(200), "visitor": "302 account_login"},
    "logbook:delete": {**owner_only(200), "visitor": "302 account_login"},
    # Admin: staff with a second factor only (the curator and superuser here have one);
    # everybody else is sent to its log-in, which sends them on (tests/test_account_mfa.py).
    "admin:index": {
        "visitor": "302 admin:login",
        "owner": "302 admin:login",
        "other": "302 admin:login",
        "curator": 200,
        "superuser": 200,
    },
}

# Values for the URL parameters; a parameter not listed here fails the suite.
# Patterns written as regular expressions (allauth's) have no converters to read names from.
REGEX_KWARGS = {
    "account_reset_password_from_key": {"uidb36": "junk", "key": "not-a-real-key"},
    "account_confirm_email": {"key": "not-a-real-key"},
    "mfa_remove_webauthn": {"pk": 999999},
    "mfa_edit_webauthn": {"pk": 999999},
}
SLUGS = {
    "tracks:track_detail": "retrieval",
    "tracks:company_detail": "glean",
    "tracks:track_feed": "retrieval",
}


# The URL configuration, walked ----------------------------------------------------------------


def url_patterns(patterns=None, namespace=""):
    """(URL name, parameter names) for every pattern; admin contributes its index only."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                found.append(("admin:index", ()))
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found += url_patterns(pattern.url_patterns, inner)
            continue
        if not pattern.name:
            continue  # allauth's old unnamed duplicates of its named social pages
        name = f"{namespace}{pattern.name}"
        found.append((name, tuple(pattern.pattern.converters)))
    return found


PATTERNS = dict(url_patterns())


class Totals:
    checks = Counter()
    urls = set()
    cross_member = 0


@pytest.fixture(scope="module", autouse=True)
def totals():
    yield Totals
    if not Totals.checks:
        return
    lines = [
        f"access matrix: {len(Totals.urls)} URLs x {len(ROLES)} roles = "
        f"{sum(Totals.checks.values())} GET requests checked",
        "by expected answer: "
        + ", ".join(f"{key}: {count}" for key, count in sorted(Totals.checks.items())),
        f"another member's audit (GET and POST, 3 roles, draft, retake and finished): "
        f"{Totals.cross_member} requests, all 404 or 405",
    ]
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n")
    print("\n" + "\n".join(lines))


# The people and their audits ------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The people and their audits, made once for the module; each test runs in a savepoint
    inside this transaction and is rolled back to it (what Django's setUpTestData does)."""
    with django_db_blocker.unblock():
        ensure_catalogue()
        with transaction.atomic():
            owner, other = make_user("ada"), make_user("grace")
            curator, superuser = make_curator(), make_superuser()
            # Verified addresses, as a second factor needs (allauth's rule).
            EmailAddress.objects.update(verified=True)
            finished = audit_until(owner, 5)
            draft = audit_until(owner, 0)
            retake = Audit.objects.create(
                member=owner, retake_after=finished.finished_at, retake_tracks=["retrieval"]
            )
            # The other member has audits of their own, so a 404 is not just "you have no audits".
            audit_until(other, 5)
            entry = Entry.objects.create(member=owner, kind="reading", title="A post on evals")
            users = {"visitor": None, "owner": owner, "other": other, "curator": curator}
            users["superuser"] = superuser
            # One client for every role, logged in as each in turn: building a client's handler
            # costs more than the requests (whitenoise scans the static files).
            yield {
                "client": Client(),
                "users": users,
                "finished": finished,
                "draft": draft,
                "retake": retake,
                "entry": entry,
            }
            transaction.set_rollback(True)


def as_role(world, role):
    client = world["client"]
    client.logout()
    if world["users"][role] is not None:
        client.force_login(world["users"][role])
    return client


def concrete_url(name, params, world, audit="finished"):
    kwargs = dict(REGEX_KWARGS.get(name, {}))
    for param in params:
        if param == "audit_id":
            kwargs[param] = world[audit].id
        elif param == "entry_id":
            kwargs[param] = world["entry"].pk
        elif param == "step":
            kwargs[param] = 0
        elif param == "slug" and name == "tracks:quick_check_answer":
            kwargs[param] = QuickCheckQuestion.objects.first().slug
        elif param == "slug" and name in SLUGS:
            kwargs[param] = SLUGS[name]
        elif param == "uidb64":
            kwargs[param] = "junk"
        elif param == "token":
            kwargs[param] = "not-a-real-token"
        else:
            pytest.fail(f"{name}: no value for the URL parameter <{param}>; add one to the test")
    return reverse(name, kwargs=kwargs)


def check(response, expected, url):
    """None when the response is what was expected, else what went wrong."""
    if isinstance(expected, int):
        if response.status_code == expected:
            return None
        return f"expected {expected}, got {response.status_code}"
    status, target = expected.split()
    if response.status_code != int(status):
        return f"expected {expected}, got {response.status_code}"
    location = urlparse(response["Location"])
    if location.netloc not in ("", "testserver"):
        return f"redirected off-site to {response['Location']}"
    # "<name>*": a redirect to that page that need not bring the person back to this one.
    comes_back = not target.endswith("*")
    target = target.rstrip("*")
    landed = resolve(location.path).view_name
    if landed != target:
        return f"expected a redirect to {target}, got one to {landed} ({response['Location']})"
    asks_who = target in ("account_login", "account_reauthenticate", "admin:login")
    if comes_back and asks_who and parse_qs(location.query).get("next") != [url]:
        return f"the log-in redirect does not come back: {response['Location']}"
    return None


# The tests --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(set(PATTERNS) | set(EXPECTED)))
def test_get_answers_each_role_as_expected(name, world, totals):
    assert name in EXPECTED, (
        f"The URL pattern {name!r} has no entry in EXPECTED: decide what a visitor, the owner, "
        "another member, a curator and a superuser get, and add it."
    )
    # An entry for a URL that no longer exists is a decision nobody is checking.
    assert name in PATTERNS, f"{name!r} is in EXPECTED but not in the URL configuration"
    expected = EXPECTED[name]
    url = concrete_url(name, PATTERNS[name], world, audit=expected.get("audit", "finished"))
    problems = {}
    for role in ROLES:
        response = as_role(world, role).get(url)
        problem = check(response, expected[role], url)
        if problem:
            problems[role] = problem
        if role in ("other", "curator", "superuser") and "audit_id" in PATTERNS[name]:
            assert response.status_code != 403, f"{role} got a 403 for {url}: use 404"
        totals.checks[str(expected[role])] += 1
    totals.urls.add(name)
    assert not problems, f"GET {url}: {problems}"


AUDIT_URLS = sorted(name for name, params in PATTERNS.items() if "audit_id" in params)


@pytest.mark.parametrize("audit", ["finished", "draft", "retake"])
@pytest.mark.parametrize("name", AUDIT_URLS)
def test_another_members_audit_is_always_404_and_never_changes(name, audit, world, totals):
    """GET and POST, by another member, a curator and a superuser: 404 (or 405), never 403."""
    url = concrete_url(name, PATTERNS[name], world, audit=audit)
    target = world[audit]
    before = (
        Audit.objects.filter(pk=target.pk).values().get(),
        list(AuditAnswer.objects.filter(audit=target).values("step", "data")),
    )
    audits_before = Audit.objects.count()
    for role in ("other", "curator", "superuser"):
        client = as_role(world, role)
        got = client.get(url).status_code
        # retake refuses GET before it looks the audit up (POST only): 405 reveals nothing.
        assert got == (405 if name == "audits:retake" else 404), (role, "GET", url, got)
        got = client.post(url, {**RETRIEVAL_ANSWERS[0], "password": "x"}).status_code
        assert got in (404, 405), (role, "POST", url, got)
        totals.cross_member += 2
    assert (
        Audit.objects.filter(pk=target.pk).values().get(),
        list(AuditAnswer.objects.filter(audit=target).values("step", "data")),
    ) == before
    assert Audit.objects.count() == audits_before
