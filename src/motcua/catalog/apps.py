from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "motcua.catalog"
    label = "catalog"
    verbose_name = _("Danh mục thủ tục hành chính")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from motcua.orgs.models import Unit

        from .cache import bump_catalog_version
        from .models import Fee, Field, Procedure, ProcessStep, RequiredDocument

        for model in (Procedure, Field, Fee, RequiredDocument, ProcessStep, Unit):
            uid = f"catalog-version-{model._meta.label_lower}"
            post_save.connect(bump_catalog_version, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(bump_catalog_version, sender=model, dispatch_uid=f"{uid}-del")
        m2m_changed.connect(
            bump_catalog_version,
            sender=Procedure.performing_units.through,
            dispatch_uid="catalog-version-performing-units",
        )
