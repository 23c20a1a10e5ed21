"""Finding the signed-in member on each request."""

from django.contrib.auth.backends import ModelBackend

from careerguide.pagecache import account_data


class MemberBackend(ModelBackend):
    """Django's ModelBackend, with the member's row read from the cache between requests.

    The row is kept under the account's cache version, which every save or deletion of the
    account renews (audits.signals.member_changed): a new password, a deactivation or a deleted
    account is seen on the very next request, as with a query.
    """

    def get_user(self, user_id):
        return account_data(user_id, lambda: super(MemberBackend, self).get_user(user_id))
