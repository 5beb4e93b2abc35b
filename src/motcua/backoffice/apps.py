from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    name = "motcua.backoffice"
    label = "backoffice"
    verbose_name = _("Nghiệp vụ một cửa (cán bộ)")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from motcua.dossiers.models import Dossier, DossierStep
        from motcua.orgs.models import Membership, Unit

        from .selectors import bump_scope_version

        # The officers' cached scopes and filter lists follow their memberships and units.
        for model in (Membership, Unit):
            uid = f"backoffice-scope-{model._meta.label_lower}"
            post_save.connect(bump_scope_version, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(bump_scope_version, sender=model, dispatch_uid=f"{uid}-del")
        # The remembered second halves of the queues follow the open steps of their units.
        for model, receiver in ((Dossier, _dossier_changed), (DossierStep, _step_changed)):
            uid = f"backoffice-steps-{model._meta.label_lower}"
            post_save.connect(receiver, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}-del")


def _bump_now_and_at_commit(unit_ids: set[int]) -> None:
    # At once (later reads in this transaction see the change) and at commit (a read by another
    # process between the two saw the old rows under the new version).
    from django.db import transaction

    from .selectors import bump_unit_steps

    bump_unit_steps(unit_ids)
    transaction.on_commit(lambda: bump_unit_steps(unit_ids))


def _step_changed(sender: Any, instance: Any, **_: Any) -> None:
    """A step opened, closed or changed: its unit's open steps changed."""
    _bump_now_and_at_commit({instance.unit_id})


def _dossier_changed(sender: Any, instance: Any, **_: Any) -> None:
    """A dossier at a step changed (its status, code, step): that step's unit's second halves.

    Leaving a step closes it (`_step_changed` covers the unit left)."""
    if not instance.current_step_id or instance.code is None:
        return
    from motcua.dossiers.models import DossierStep

    step = instance._state.fields_cache.get("current_step")
    if step is not None and step.pk == instance.current_step_id:
        unit_id = step.unit_id
    else:
        unit_id = (
            DossierStep.objects.filter(pk=instance.current_step_id)
            .values_list("unit_id", flat=True)
            .first()
        )
    _bump_now_and_at_commit({unit_id} if unit_id else set())
