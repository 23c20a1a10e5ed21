"""A change to a member's audits or account gives the member's cached pages a new version; a
change to the account also gives one to the cached account row (audits.backends).

Audits are deleted in bulk (an account, the bench data), so deletions bump explicitly: see
services.delete_audits.
"""

from careerguide.pagecache import bump_member


def audit_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        bump_member(instance.member_id)


def member_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        bump_member(instance.pk, account=True)
