"""Background tasks (django.tasks): a finished audit's PDF, made by a worker, never a request."""

from django.tasks import task


@task()
def make_audit_pdf(audit_id):
    from . import stored_pdfs

    return stored_pdfs.make_pdf(audit_id)
