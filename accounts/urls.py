from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .forms import LoginForm, VerifiedPasswordResetForm

app_name = "accounts"

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("verify/resend/", views.resend, name="resend"),
    path("verify/<str:token>/", views.verify, name="verify"),
    path("login/", auth_views.LoginView.as_view(form_class=LoginForm), name="login"),
    # Before django.contrib.auth.urls (portal/urls.py): the same path and page, but a reset
    # link is sent only to a verified address. `{% url 'password_reset' %}` still finds it.
    path(
        "password_reset/",
        auth_views.PasswordResetView.as_view(form_class=VerifiedPasswordResetForm),
        name="password_reset",
    ),
]
