from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_role_groups_after_migrate(sender, apps=global_apps, **kwargs):
    # Also runs after a test flush, which empties the groups the migration made; and a role's
    # new permissions reach its group without a migration of their own.
    from .roles import sync_role_groups

    sync_role_groups(apps, strict=True)


class AccountsConfig(AppConfig):
    name = "servicedesk.accounts"
    label = "accounts"
    verbose_name = _("Sites and staff")

    def ready(self):
        post_migrate.connect(_sync_role_groups_after_migrate, sender=self,
                             dispatch_uid="accounts.sync_role_groups")
        from .access import connect_access_signals

        connect_access_signals()
