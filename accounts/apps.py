from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    label = "accounts"
    verbose_name = "Accounts: sign-up, verified addresses, login protection"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the log-in receiver)
