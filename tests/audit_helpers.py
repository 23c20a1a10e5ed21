"""Walking an audit through the test client, as a member's browser would post it."""

from answers import RETRIEVAL_ANSWERS
from django.urls import reverse

from audits import flows
from audits.models import Audit
from audits.steps import LAST_STEP, step_form

PASSWORD = "correct-horse-battery-staple-42"


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


def audit_until(member, until, answers=RETRIEVAL_ANSWERS, finish=True):
    """An audit with steps 0..until saved as the step view saves them (no HTTP): finished when
    `until` is the last step (unless `finish` is false), a draft otherwise."""
    audit = flows.start_audit(member)
    for step in range(until + 1):
        form = step_form(step, data=answers[step])
        assert form.is_valid(), (step, form.errors)
        assert flows.save_step(audit, step, form.stored_data()) is not None
    if until == LAST_STEP and finish:
        flows.finish_audit(audit.id)
    audit.refresh_from_db()
    return audit
