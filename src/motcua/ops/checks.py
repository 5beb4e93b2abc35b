"""System check of settings.MOTCUA_JOBS, so a bad schedule or path shows at `check` and start-up
instead of when the worker would have run the job."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, register

from .schedule import JobConfigError, jobs_configured


@register()
def jobs_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    try:
        jobs_configured()
    except JobConfigError as exc:
        return [Error(str(exc), hint="settings.MOTCUA_JOBS", id="motcua.ops.E001")]
    return []
