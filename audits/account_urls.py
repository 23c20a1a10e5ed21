"""Account URLs at /accounts/, without a namespace: Django's auth views expect these names."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import accounts

urlpatterns = [
    path("", accounts.account, name="account"),
    path("signup/", accounts.SignUpView.as_view(), name="signup"),
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("logout/", accounts.LogoutView.as_view(), name="logout"),
    path("password_change/", accounts.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password_reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("data.json", accounts.account_data, name="account_data"),
    path("delete/", accounts.account_delete, name="account_delete"),
]
