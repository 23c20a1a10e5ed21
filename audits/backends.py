"""Finding the signed-in member on each request."""

from django.contrib.auth.backends import ModelBackend

from careerguide.pagecache import account_data


class MemberBackend(ModelBackend):
    """Django's ModelBackend, with the member's row read from the cache between requests.

    The row is kept under the account's cache version, which every save or deletion of the
    account renews (audits.signals.member_changed): a new password, a deactivation or a deleted
    account is seen on the very next request, as with a query.

    The same cache read tells the catalogue's version, kept on the user as `catalogue_version`:
    with it, a step form takes its choices from this process's memory (pagecache.catalogue_data).
    """

    def get_user(self, user_id):
        user, catalogue_version = account_data(
            user_id, lambda: super(MemberBackend, self).get_user(user_id)
        )
        if user is not None:
            user.catalogue_version = catalogue_version
        return user
