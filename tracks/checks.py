"""A content check: every row of content says whose word it is (tracks.models.Sourced).

Run with `manage.py check --tag content --database default`; `seed_content` runs it after
loading and fails on it. A warning, like the audit's content check, so that `migrate` still runs
on content that the next `seed_content` or a curator will complete.
"""

from django.apps import apps
from django.core.checks import Warning, register
from django.db import DatabaseError
from django.db.models import Q

from .models import Conference, Origin, Sourced, Track


def rows_without_origin():
    """[(row, what is missing)] for every content row whose origin is not told in full."""
    missing = []
    for model in apps.get_models():
        if not issubclass(model, Sourced) or model._meta.proxy:  # a proxy's rows are its base's
            continue
        unsigned = Q(origin=Origin.EDITORIAL) & (Q(added_by="") | Q(added_on__isnull=True))
        for row in model._base_manager.filter(Q(origin="") | unsigned):
            missing.append(
                (
                    row,
                    "an editorial addition without who added it and when"
                    if row.origin
                    else "no origin: the chapter or an editorial addition",
                )
            )
    for track in Track.objects.exclude(summary="", pay_premium_note="").filter(
        Q(prose_by="") | Q(prose_on__isnull=True)
    ):
        missing.append((track, "its summary in our words without who wrote it and when"))
    for conference in Conference.objects.filter(kind_origin=""):
        missing.append((conference, "a kind without saying whether the chapter gives it"))
    return missing


@register("content")
def every_row_has_its_origin(app_configs=None, databases=None, **kwargs):
    if not databases:
        return []  # it reads the content: only when asked with --database
    try:
        missing = rows_without_origin()
    except DatabaseError:  # not migrated yet: nothing to check
        return []
    return [
        Warning(
            f"{row._meta.verbose_name.capitalize()} “{row}” has {what}.",
            hint="Set its origin in admin (“The chapter” or “Editorial addition” with who "
            "and when).",
            obj=row,
            id="tracks.W001",
        )
        for row, what in missing
    ]
