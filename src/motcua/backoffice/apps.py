"""The back office app: the officers' cached scopes and filter lists follow their memberships and units."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    name = "motcua.backoffice"
    label = "backoffice"
    verbose_name = _("Nghiệp vụ một cửa (cán bộ)")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from motcua.orgs.models import Membership, Unit

        from .selectors import bump_scope_version

        # The officers' cached scopes and filter lists follow their memberships and units.
        for model in (Membership, Unit):
            uid = f"backoffice-scope-{model._meta.label_lower}"
            post_save.connect(bump_scope_version, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(bump_scope_version, sender=model, dispatch_uid=f"{uid}-del")
