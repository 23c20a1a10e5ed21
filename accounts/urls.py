"""Account URLs at /accounts/: allauth's pages (log-in, sign-up, email, passwords, second
factors, sessions, GitHub) and the site's own (my account, my data, deleting it)."""

from django.urls import include, path, re_path

from . import views

urlpatterns = [
    # allauth's own views with the site's status codes for bad input; same paths and names.
    path("login/", views.LoginView.as_view(), name="account_login"),
    path("signup/", views.SignupView.as_view(), name="account_signup"),
    path("email/", views.EmailView.as_view(), name="account_email"),
    path("reauthenticate/", views.ReauthenticateView.as_view(), name="account_reauthenticate"),
    path("password/change/", views.PasswordChangeView.as_view(), name="account_change_password"),
    path("password/reset/", views.PasswordResetView.as_view(), name="account_reset_password"),
    re_path(
        r"^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
        views.PasswordResetFromKeyView.as_view(),
        name="account_reset_password_from_key",
    ),
    path("2fa/authenticate/", views.MfaAuthenticateView.as_view(), name="mfa_authenticate"),
    path("2fa/reauthenticate/", views.MfaReauthenticateView.as_view(), name="mfa_reauthenticate"),
    path("", views.account, name="account"),
    path("data.json", views.account_data, name="account_data"),
    path("delete/", views.account_delete, name="account_delete"),
    path("signup/username/", views.username_check, name="username_check"),
    path("", include("allauth.urls")),
]
