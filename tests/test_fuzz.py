"""Bad input, with hypothesis: every form and every audit URL, fed arbitrary data.

Properties, for every example:

- never a 5xx (the test client re-raises a view's exception, so a crash shows its traceback);
- never a redirect off the site, never our marker tag echoed unescaped into the HTML;
- nothing saved changes, except what a valid submission may legitimately save: a step POST that
  answers 200/302 stores only choices the step offers; one that answers 4xx changes nothing; a
  member's finished audit and another member's audits never change.

Each example runs inside `transaction.atomic()` and is rolled back afterwards, so every example
starts from the same database (and, through `visitor()`, with allauth's rate limits cleared).

At least 200 examples per form when CI is set (whatever HYPOTHESIS_EXAMPLES says); a local run
defaults to 80, and HYPOTHESIS_EXAMPLES sets any number. The examples tried per form are printed
at the end of the module (see them with -rA or -s) and written to test-results/fuzz-totals.txt.
"""

import logging
import os
import string
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import quote, urlencode, urlparse

import pytest
from audit_helpers import audit_until
from django import forms
from django.conf import settings as django_settings
from django.core.cache import caches
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audits.models import Audit, AuditAnswer
from audits.steps import TOTAL_STEPS, flat_choices, step_form
from tracks.models import QuickCheckQuestion, Track

pytestmark = pytest.mark.usefixtures("db")

# CI runs at least 200 examples per form. A local run defaults to 80, to keep the file near a
# minute and a half on SQLite (200 take about three); HYPOTHESIS_EXAMPLES sets any number.
IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}
EXAMPLES = int(os.environ.get("HYPOTHESIS_EXAMPLES", "200" if IN_CI else "80"))
if IN_CI:
    EXAMPLES = max(EXAMPLES, 200)
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
RESULTS = Path(django_settings.BASE_DIR) / "test-results" / "fuzz-totals.txt"
MARKER = "<x-fuzz-marker>"

TRIED = Counter()
SECONDS = Counter()


@pytest.fixture(autouse=True)
def quiet_request_logs():
    """Thousands of expected 400s and 404s would each log a warning (and some a traceback)."""
    loggers = [logging.getLogger(name) for name in ("django.request", "django.security")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


@pytest.fixture(scope="module", autouse=True)
def fuzz_totals():
    yield
    if not TRIED:
        return
    lines = [f"fuzz: {EXAMPLES} examples asked per form{' (CI)' if IN_CI else ''}"]
    lines += [
        f"  {form}: {count} examples in {SECONDS[form]:.1f} s"
        for form, count in sorted(TRIED.items())
    ]
    lines.append(f"  total: {sum(TRIED.values())} examples in {sum(SECONDS.values()):.1f} s")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n")
    print("\n" + "\n".join(lines))


class trial:  # reads as a statement: `with trial("sign up"):`
    """One example: counted, timed and rolled back, so the next one starts from the same rows."""

    def __init__(self, form):
        self.form = form

    def __enter__(self):
        TRIED[self.form] += 1
        self.started = time.perf_counter()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        return self

    def __exit__(self, *exc):
        transaction.set_rollback(True)
        self.atomic.__exit__(*exc)
        SECONDS[self.form] += time.perf_counter() - self.started
        return False


# Strategies ------------------------------------------------------------------------------------

NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\r\n",
    "%00",
    "../../etc/passwd",
    "' OR 1=1 --",
    '"><script>alert(1)</script>',
    MARKER,
    f'"{MARKER}',
    "{{ request }}",
    "{% debug %}",
    "javascript:alert(1)",
    "//evil.example/",
    "https://evil.example/",
    "\u202e\u200b\ufeff",
    "ǅ𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🧪 中文 العربية",
    "9" * 30,
    "-1",
    "1e309",
    "NaN",
    "None",
    "null",
    "[]",
    "{}",
]


def huge():
    """Big strings, cheaply: a short piece repeated to 1 000 - 40 000 characters."""
    return st.builds(
        lambda piece, times: piece * times,
        st.text(min_size=1, max_size=4),
        st.integers(1_000, 10_000),
    )


def rarely(common, rare, one_in=12):
    """`rare` about once in `one_in` draws (st.one_of would draw it half of the time)."""
    return st.integers(1, one_in).flatmap(lambda n: rare if n == 1 else common)


def junk_text():
    return rarely(st.one_of(st.text(max_size=40), st.sampled_from(NASTY)), huge(), one_in=8)


def value(real=()):
    """One posted value: junk, a real choice, or a list of either (repeated keys)."""
    single = st.one_of(junk_text(), st.sampled_from(list(real))) if real else junk_text()
    return st.one_of(single, st.lists(single, max_size=6))


def form_data(fields, real=()):
    """A dict of the form's own fields (any of them may be missing) and stray ones."""
    key = st.one_of(st.sampled_from(list(fields)), st.text(max_size=20), st.sampled_from(NASTY))
    too_many_fields = st.just({"x": ["x"] * (django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)})
    return rarely(st.dictionaries(key, value(real), max_size=len(fields) + 3), too_many_fields)


def encoded(data):
    """Posted as multipart (the client's default) or url-encoded, like a plain HTML form."""
    return st.tuples(st.sampled_from(["multipart", "urlencoded"]), data)


def post(client, url, how_data, **extra):
    how, data = how_data
    if how == "urlencoded":
        return client.post(
            url,
            urlencode(data, doseq=True),
            content_type="application/x-www-form-urlencoded",
            **extra,
        )
    return client.post(url, data, **extra)


def htmx_headers():
    return st.sampled_from([{}, {"HX-Request": "true"}, {"HX-Request": "true", "HX-Target": "x"}])


# Checks ----------------------------------------------------------------------------------------


def assert_sound(response, where):
    assert response.status_code < 500, f"{where}: {response.status_code}"
    location = response.get("Location", "")
    if location:
        parsed = urlparse(location)
        assert not parsed.netloc or parsed.netloc == "testserver", f"{where}: off-site {location}"
    if "html" in response.get("Content-Type", ""):
        assert MARKER not in response.content.decode(errors="replace"), f"{where}: unescaped"


AUDITS = ("finished", "draft", "others_finished", "others_draft")


def snapshot(people):
    """Every row the fuzzing could touch: the four audits, their answers, the two members."""
    ids = [people[name].pk for name in AUDITS]
    return {
        "audits": {row["id"]: row for row in Audit.objects.filter(pk__in=ids).values()},
        "answers": {
            (audit, step): data
            for audit, step, data in AuditAnswer.objects.filter(audit__in=ids).values_list(
                "audit", "step", "data"
            )
        },
        "audit count": Audit.objects.count(),
        "users": {
            row["id"]: row
            for row in type(people["member"])
            .objects.filter(pk__in=[people["member"].pk, people["other"].pk])
            .values()
        },
    }


def sound_get(people, logged_in, where, url, params, headers):
    """GET `url` as the member or as a new visitor: a sound answer that changes no row."""
    client = people["client"] if logged_in else visitor(people)
    response = client.get(url, params, headers=headers)
    assert_sound(response, where)
    assert snapshot(people) == people["before"]
    return response


def visitor(people):
    """The anonymous client, as a browser that has never been here: no cookies."""
    people["anonymous"].cookies.clear()
    caches["default"].clear()  # and nothing counted against its address yet
    return people["anonymous"]


# The people -------------------------------------------------------------------------------------


@pytest.fixture
def people(make_member):
    member = make_member("ada")
    other = make_member("grace")
    client = Client()
    client.force_login(member)
    people = {
        "member": member,
        "other": other,
        "client": client,
        # Building a client's handler costs far more than a request (whitenoise scans the static
        # files), so one anonymous client serves every example, its cookies cleared each time.
        "anonymous": Client(),
        "finished": audit_until(member, 5),
        "draft": audit_until(member, 4),  # every step, the last included, is open to it
        "others_finished": audit_until(other, 5),
        "others_draft": audit_until(other, 2),
    }
    # Every example is rolled back, so each one starts from (and is compared with) these rows.
    people["before"] = snapshot(people)
    return people


# Accounts ---------------------------------------------------------------------------------------

SIGNUP_FIELDS = ["username", "email", "password1", "password2", "next"]
LOGIN_FIELDS = ["login", "password", "next"]


@FUZZ
@given(
    data=encoded(form_data(SIGNUP_FIELDS, real=["ada", "ada@example.com", "grace"])).flatmap(
        lambda d: st.tuples(st.just(d), htmx_headers())
    )
)
def test_sign_up_survives_any_input(people, django_user_model, data):
    how_data, headers = data
    with trial("sign up"):
        users = django_user_model.objects.count()
        response = post(visitor(people), "/accounts/signup/", how_data, headers=headers)
        assert_sound(response, "sign up")
        assert snapshot(people) == people["before"]
        if response.status_code == 302:
            assert django_user_model.objects.count() == users + 1
        else:
            assert response.status_code == 400
            assert django_user_model.objects.count() == users


@FUZZ
@given(data=encoded(form_data(LOGIN_FIELDS, real=["ada", "grace", ""])))
def test_log_in_survives_any_input(people, data):
    with trial("log in"):
        client = visitor(people)
        response = post(client, "/accounts/login/", data)
        assert_sound(response, "log in")
        assert response.status_code in (400, 429)  # nobody knows the password
        assert "_auth_user_id" not in client.session
        assert snapshot(people) == people["before"]


@FUZZ
@given(data=encoded(form_data(["email"], real=["ada@example.com", "ADA@example.com"])))
def test_password_reset_survives_any_input(people, data):
    with trial("password reset"):
        response = post(visitor(people), "/accounts/password/reset/", data)
        assert_sound(response, "password reset")
        assert response.status_code in (302, 400)
        assert snapshot(people) == people["before"]


@FUZZ
@given(data=encoded(form_data(["password"], real=["", "correct-horse"])))
def test_account_delete_survives_any_wrong_password(people, data):
    # Deleting asks for the password first (allauth's reauthentication); a wrong one deletes
    # nothing and leaves the delete page closed.
    with trial("account delete"):
        caches["default"].clear()  # ten tries a minute: each example starts afresh
        response = post(people["client"], "/accounts/reauthenticate/", data)
        assert_sound(response, "account delete")
        assert response.status_code == 400
        assert people["client"].get("/accounts/delete/").status_code == 302
        assert snapshot(people) == people["before"]


# The audit's steps ----------------------------------------------------------------------------


def allowed_answers(step):
    """Each field of the step with the values it may store (None: free text)."""
    allowed = {}
    for name, field in step_form(step).fields.items():
        if isinstance(field, forms.ChoiceField):
            allowed[name] = {str(key) for key, _label in flat_choices(field.choices)}
        else:
            allowed[name] = None
    return allowed


def step_request(allowed):
    real = sorted(set().union(*(v for v in allowed.values() if v)) or {"x"})
    return st.tuples(
        st.sampled_from(["draft", "draft", "draft", "finished"]),
        encoded(form_data(list(allowed), real=real)),
        htmx_headers(),
    )


def assert_stored_answers_are_offered(answers, allowed):
    for name, stored in answers.items():
        assert name in allowed, f"stored a field the step does not have: {name!r}"
        offered = allowed[name]
        if offered is None:
            assert isinstance(stored, str) and len(stored) <= 500 and "\x00" not in stored
        elif isinstance(stored, list):
            assert set(stored) <= offered, (name, stored)
        else:
            assert stored in offered, (name, stored)


@pytest.mark.parametrize("step", range(TOTAL_STEPS))
def test_audit_step_survives_any_input(people, step):
    # The step's fields and choices come from the database, so the strategy is built in here.
    allowed = allowed_answers(step)
    before = people["before"]
    draft = people["draft"].pk

    @FUZZ
    @given(data=step_request(allowed))
    def run(data):
        target, how_data, headers = data
        with trial(f"audit step {step}"):
            url = f"/audits/{people[target].id}/step/{step}/"
            response = post(people["client"], url, how_data, headers=headers)
            assert_sound(response, f"step {step}")
            after = snapshot(people)
            if response.status_code >= 400 or target == "finished":
                assert after == before
                return
            assert response.status_code in (200, 302)
            # Only the draft's row and this step's answers may change, and only to offered choices.
            assert_stored_answers_are_offered(after["answers"].pop((draft, step)), allowed)
            assert after["answers"] == {
                k: v for k, v in before["answers"].items() if k != (draft, step)
            }
            changed = after["audits"].pop(draft)
            assert after["audits"] == {k: v for k, v in before["audits"].items() if k != draft}
            assert after["users"] == before["users"]
            if step == TOTAL_STEPS - 1:
                assert changed["status"] == Audit.Status.FINISHED
                slugs = set(Track.objects.values_list("slug", flat=True))
                assert set(changed["result"]["recommended"]) <= slugs

    run()


# Catalogue: the quick check, the tracks search, the companies filter --------------------------


def query_value():
    return st.one_of(junk_text(), st.lists(junk_text(), max_size=4))


@st.composite
def quick_check_request(draw):
    questions = {
        q.slug: {o.key for o in q.options.all()}
        for q in QuickCheckQuestion.objects.prefetch_related("options")
    }
    slug = draw(
        st.one_of(
            st.sampled_from(sorted(questions)),
            st.from_regex(r"[-a-zA-Z0-9_]{1,60}", fullmatch=True),
        )
    )
    real = sorted(set().union(*questions.values()))
    answer = draw(st.one_of(query_value(), st.sampled_from(real), st.none()))
    return questions, slug, answer, draw(htmx_headers()), draw(st.booleans())


@FUZZ
@given(data=quick_check_request())
def test_quick_check_survives_any_answer(people, data):
    questions, slug, answer, headers, logged_in = data
    with trial("quick check"):
        params = {} if answer is None else {"answer": answer}
        url = f"/guide/check/{slug}/"
        response = sound_get(people, logged_in, "quick check", url, params, headers)
        if slug not in questions:
            assert response.status_code == 404
        else:
            last = answer[-1] if isinstance(answer, list) and answer else answer
            right = isinstance(last, str) and last in questions[slug]
            assert response.status_code == (200 if right else 400)


CATALOGUE_PARAMS = st.dictionaries(
    st.one_of(st.sampled_from(["q", "track", "page", "answer"]), st.text(max_size=10)),
    query_value(),
    max_size=3,
)


@FUZZ
@given(
    q=query_value(),
    extra=CATALOGUE_PARAMS,
    headers=st.sampled_from([{}, {"HX-Request": "true", "HX-Target": "track-results"}]),
    logged_in=st.booleans(),
)
def test_tracks_search_survives_any_query(people, q, extra, headers, logged_in):
    with trial("tracks search"):
        params = {**extra, "q": q}
        response = sound_get(people, logged_in, "tracks search", "/tracks/", params, headers)
        # A query no track could match as typed (a NUL, over 100 characters) is a clear 400.
        sent = (q[-1] if q else "") if isinstance(q, list) else q  # Django reads the last value
        refused = "\x00" in sent or len(sent.strip()) > 100
        assert response.status_code == (400 if refused else 200)


@FUZZ
@given(
    track=st.one_of(query_value(), st.sampled_from(["agents", "retrieval", "AGENTS", "evals "])),
    extra=CATALOGUE_PARAMS,
    headers=st.sampled_from([{}, {"HX-Request": "true", "HX-Target": "company-matrix"}]),
    logged_in=st.booleans(),
)
def test_companies_filter_survives_any_track(people, track, extra, headers, logged_in):
    with trial("companies filter"):
        params = {**extra, "track": track}
        response = sound_get(people, logged_in, "companies filter", "/companies/", params, headers)
        values = track if isinstance(track, list) else [track]
        shown = values[-1] if values else ""  # the value Django's QueryDict.get gives
        slugs = set(Track.objects.filter(published=True).values_list("slug", flat=True))
        known = shown == "" or shown in slugs
        assert response.status_code == (200 if known else 404)


@FUZZ
@given(
    ids=st.lists(
        st.one_of(st.uuids().map(str), junk_text(), st.sampled_from(["mine", "theirs", "draft"])),
        max_size=4,
    )
)
def test_compare_survives_any_audit_ids(people, ids):
    names = {
        "mine": people["finished"].id,
        "theirs": people["others_finished"].id,
        "draft": people["draft"].id,
    }
    with trial("compare"):
        ids = [str(names.get(i, i)) for i in ids]
        response = people["client"].get("/audits/compare/", {"audit": ids})
        assert_sound(response, "compare")
        assert snapshot(people) == people["before"]
        assert response.status_code in (302, 404)


# Tampered ids and step numbers on every audit URL --------------------------------------------

AUDIT_PATHS = [
    "/audits/{id}/",
    "/audits/{id}/step/{step}/",
    "/audits/{id}/result/",
    "/audits/{id}/print/",
    "/audits/{id}/export.json",
    "/audits/{id}/retake/",
    "/audits/{id}/delete/",
]


def step_number():
    return st.one_of(
        st.integers(-(10**15), 10**15).map(str),
        st.sampled_from(["999999999999", "6", "5", "0", "-1", "00", "+1", "1.5", " 1", "%2D1"]),
        st.text(alphabet=string.digits, min_size=13, max_size=6000),  # past int()'s digit limit
        junk_text().map(lambda text: quote(text, safe="")),
    )


def audit_id():
    return st.one_of(
        st.uuids().map(lambda u: ("random", str(u))),
        st.sampled_from(["others_finished", "others_draft", "finished", "draft"]).map(
            lambda name: (name, name)
        ),
        st.uuids().map(lambda u: ("malformed", str(u).replace("-", "").upper() + "0")),
        junk_text().map(lambda text: ("malformed", quote(text, safe=""))),
    )


@FUZZ
@given(
    path=st.sampled_from(AUDIT_PATHS),
    which=audit_id(),
    step=step_number(),
    method=st.sampled_from(["get", "post"]),
    data=form_data(["years", "talks", "companies", "password"], real=["2-3", "glean"]),
)
def test_tampered_ids_and_steps_never_reach_an_audit(people, path, which, step, method, data):
    kind, raw = which
    audit_ids = {name: str(people[name].id) for name in AUDITS}
    url = path.format(id=audit_ids.get(raw, raw), step=step)
    with trial("tampered audit URLs"):
        client = people["client"]
        response = client.get(url) if method == "get" else client.post(url, data)
        assert_sound(response, url[:200])
        if kind in ("random", "malformed", "others_finished", "others_draft"):
            # A step's answers are read before its audit: a body Django refuses (too many
            # fields) is a 400, whoever the audit belongs to.
            refused = (404, 405, 400) if method == "post" and "/step/" in path else (404, 405)
            assert response.status_code in refused, (url[:200], response.status_code)
            assert snapshot(people) == people["before"]
        elif "/step/" in path and not (step.isdigit() and len(step) < 4 and int(step) <= 5):
            assert response.status_code == 404, (url[:200], response.status_code)
            assert snapshot(people) == people["before"]


def test_a_uuid_of_nobodys_audit_is_a_404_for_every_audit_url(people):
    """The deterministic core of the property above, in case hypothesis never drew it."""
    nobody = uuid.uuid4()
    for path in AUDIT_PATHS:
        url = path.format(id=nobody, step=0)
        assert people["client"].get(url).status_code in (404, 405), url
        assert people["client"].post(url).status_code in (404, 405), url


# Every nasty value, deterministically, in every field of every form ---------------------------
# Hypothesis draws these values too, but only sometimes; here each one is sent every run.

NASTY_VALUES = [*NASTY, "x" * 256, "x" * 20_000, "é" * 5_000]


def nasty_requests(people):
    """(label, method, url, data for a value) for every form and filter the site has."""
    first_question = QuickCheckQuestion.objects.first().slug
    draft = people["draft"].id
    requests = [
        ("tracks search", "get", "/tracks/", lambda v: {"q": v}),
        ("companies filter", "get", "/companies/", lambda v: {"track": v}),
        ("quick check", "get", f"/guide/check/{first_question}/", lambda v: {"answer": v}),
        ("history page", "get", "/audits/", lambda v: {"page": v}),
        ("compare", "get", "/audits/compare/", lambda v: {"audit": [v, v + "x"]}),
        ("sign up", "post", "/accounts/signup/", lambda v: dict.fromkeys(SIGNUP_FIELDS, v)),
        ("log in", "post", "/accounts/login/", lambda v: dict.fromkeys(LOGIN_FIELDS, v)),
        ("password reset", "post", "/accounts/password/reset/", lambda v: {"email": v}),
        ("account delete", "post", "/accounts/reauthenticate/", lambda v: {"password": v}),
        (
            "password change",
            "post",
            "/accounts/password/change/",
            lambda v: dict.fromkeys(["oldpassword", "password1", "password2"], v),
        ),
    ]
    # Who fills each form in: visitors, members, or both (the catalogue).
    audience = {"tracks search": (False, True), "companies filter": (False, True)}
    audience |= dict.fromkeys(["quick check", "sign up", "log in", "password reset"], (False,))
    for step in range(TOTAL_STEPS):
        fields = list(allowed_answers(step))
        requests.append(
            (
                f"audit step {step}",
                "post",
                f"/audits/{draft}/step/{step}/",
                lambda v, fields=fields: dict.fromkeys(fields, v),
            )
        )
    return [(*request, audience.get(request[0], (True,))) for request in requests]


FORMS = [
    "tracks search",
    "companies filter",
    "quick check",
    "history page",
    "compare",
    "sign up",
    "log in",
    "password reset",
    "account delete",
    "password change",
    *(f"audit step {step}" for step in range(TOTAL_STEPS)),
]


@pytest.mark.parametrize("form", FORMS)
def test_every_nasty_value_in_every_field_is_refused_cleanly(people, form):
    label, method, url, make, audience = next(r for r in nasty_requests(people) if r[0] == form)
    for logged_in in audience:
        for nasty in NASTY_VALUES:
            with trial(f"{form} (each nasty value)"):
                client = people["client"] if logged_in else visitor(people)
                data = make(nasty)
                send = client.get if method == "get" else client.post
                response = send(url, data)
                assert_sound(response, f"{label} {nasty[:20]!r}")
                if label.startswith("audit step") and logged_in and response.status_code < 400:
                    continue  # a valid answer may be saved (e.g. an empty optional field)
                if label == "sign up" and response.status_code == 302:
                    continue  # some nasty values make a fine username and password
                assert snapshot(people) == people["before"], (label, nasty[:20])


# Inputs that once broke PostgreSQL, one test each ----------------------------------------


def test_tracks_search_with_a_nul_character_is_a_clear_400(people):
    for client in (visitor(people), people["client"]):
        response = client.get("/tracks/", {"q": "agent\x00s"})
        assert response.status_code == 400
        assert "Null characters are not allowed" in response.content.decode()


def test_log_in_with_a_username_over_255_characters_is_not_a_500(people):
    response = visitor(people).post("/accounts/login/", {"login": "a" * 256, "password": "x"})
    assert response.status_code == 400
    assert "_auth_user_id" not in people["anonymous"].session
