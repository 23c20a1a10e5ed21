"""Walking an audit through the test client, as a member's browser would post it."""

from django.urls import reverse

from audits.models import Audit

PASSWORD = "correct-horse-battery-staple-42"

RETRIEVAL_ANSWERS = {
    0: {"years": "2-3", "tried": ["retrieval", "evals"]},
    1: {"lost-track-of-time": [], "note": "Hybrid search that kept missing acronyms"},
    2: {"free-time-reading": []},
    3: {"talks": ["sigir:retrieval"]},
    4: {"companies": ["glean"]},
    5: {
        "pay-main-draw": "no",
        "weekly-release-notes": "yes",
        "day-job-depth": "yes",
        "hot-this-quarter": "no",
    },
}


def start(client):
    response = client.post(reverse("audits:new"))
    assert response.status_code == 302
    return Audit.objects.latest("created_at")


def step_url(audit, step):
    return reverse("audits:step", args=[audit.id, step])


def post_step(client, audit, step, data, **extra):
    return client.post(step_url(audit, step), data, **extra)


def walk(client, answers=RETRIEVAL_ANSWERS, until=5):
    audit = start(client)
    for step in range(until + 1):
        response = post_step(client, audit, step, answers[step])
        assert response.status_code == 302, (step, response.content.decode()[:2000])
    audit.refresh_from_db()
    return audit
