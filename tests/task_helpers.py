"""The task queue in tests: the database backend (as in production) and its worker, drained."""

from django.core.management import call_command

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker():
    """`manage.py db_worker --batch`: run every queued task, then return."""
    call_command(
        "db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0
    )


def queued_tasks(path=None):
    from django_tasks_db.models import DBTaskResult

    tasks = DBTaskResult.objects.filter(status="READY")
    return tasks.filter(task_path=path) if path else tasks
