"""What a national-portal provider does: push one dossier's sync record, say if acknowledged."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PushResult:
    acknowledged: bool
    status_code: int | None = None
    response: str = ""
    error: str = ""


class NationalPortalProvider(ABC):
    """One way of reaching the national portal (DVCQG), keyed by a short id in the registry."""

    id: str = ""
    name: str = ""

    @abstractmethod
    def push(self, payload: dict[str, Any]) -> PushResult:
        """Send the record; never raises for network or remote errors (they are a result)."""
