"""Background tasks (django.tasks): the reminder mail, sent by a worker, never by a request."""

from django.tasks import task

from . import services


@task()
def send_reminder(send_id):
    return services.deliver(send_id)
