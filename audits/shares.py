"""Private share links to a finished audit: create, revoke, resolve."""

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import Audit, ShareLink


def create_share_link(audit):
    """A new private link to a finished audit; it replaces the audit's active link, if any."""
    with transaction.atomic():
        revoke_share_links(audit)
        return ShareLink.objects.create(audit=audit, token=secrets.token_urlsafe(24))


def revoke_share_links(audit):
    """Revoke the audit's active links: they answer 404 from now on. How many were revoked."""
    return ShareLink.objects.filter(audit=audit, revoked_at=None).update(revoked_at=timezone.now())


def recent_share_links(member, within=timedelta(hours=1)):
    """How many links the member has created lately, revoked ones included."""
    return ShareLink.objects.filter(
        audit__member=member, created_at__gte=timezone.now() - within
    ).count()


def shared_audit(token):
    """The finished audit an active link points to, or None. Never cached: a revoked link must
    stop working at once."""
    link = (
        ShareLink.objects.select_related("audit")
        .filter(
            token=token,
            revoked_at=None,
            audit__status=Audit.Status.FINISHED,
            audit__member__isnull=False,
        )
        .first()
    )
    return link.audit if link else None
