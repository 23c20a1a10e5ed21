"""Accounts for tests: members, curators and superusers as the site makes them, a TOTP
authenticator with a secret the test knows, and its codes computed here by RFC 6238 (not by
allauth), as an authenticator app would."""

import base64
import hashlib
import hmac
import struct
import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from audit_helpers import PASSWORD
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

TOTP_PERIOD = 30

# A member's account pages, by the name their screenshot and accessibility scan go under; the
# last asks who you are before the account can be deleted.
MEMBER_ACCOUNT_PAGES = {
    "account": "/accounts/",
    "account-email": "/accounts/email/",
    "account-password-change": "/accounts/password/change/",
    "account-second-factor": "/accounts/2fa/",
    "account-sessions": "/accounts/sessions/",
    "account-github": "/accounts/3rdparty/",
    "account-logout": "/accounts/logout/",
    "account-delete-reauthenticate": "/accounts/delete/",
}


def make_user(username="ada", **extra):
    """A member with an address of their own and the suite's password."""
    return get_user_model().objects.create_user(
        username=username, email=f"{username}@example.com", password=PASSWORD, **extra
    )


def make_curator(username="curie"):
    """A curator as the admin expects one: staff, in "Curators", with an authenticator app."""
    user = make_user(username, is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    give_totp(user)
    return user


def make_superuser(username="root"):
    user = get_user_model().objects.create_superuser(username, f"{username}@example.com", PASSWORD)
    give_totp(user)
    return user


def give_totp(user, secret=None):
    """Activate TOTP for `user` as allauth does; returns the base32 secret."""
    secret = secret or generate_totp_secret(20)
    TOTP.activate(user, secret)
    return secret


def known_totp(user):
    """Give `user` a TOTP authenticator whose secret the test knows (replacing theirs)."""
    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    return give_totp(user)


def totp_code(secret, at=None):
    """The six digits an authenticator app shows for `secret` now (or at Unix time `at`)."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // TOTP_PERIOD)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def has_second_factor(user):
    return Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()
