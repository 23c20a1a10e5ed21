"""Background tasks (django.tasks): account mail (address confirmation, password reset)."""

from django.core.mail import EmailMultiAlternatives
from django.tasks import task


def message_as_data(message):
    """What a worker needs to send `message` again: JSON, as the task queue stores it."""
    return {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "headers": dict(message.extra_headers),
        "alternatives": [[content, mimetype] for content, mimetype in message.alternatives]
        if hasattr(message, "alternatives")
        else [],
    }


@task()
def send_account_mail(data):
    """Send one account mail; a failure is recorded on the task's result (and logged)."""
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        headers=data["headers"],
    )
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    message.send()
    return data["to"]
