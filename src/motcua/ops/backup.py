"""What a restored copy must prove before anyone trusts it (docs/BACKUP.md §5).

A restore is checked against the data itself, not against the backup's own word: every dossier's
hash chain verifies (the rules of `verify_audit`), and every stored file a row names is in the
storage with the bytes it had — its SHA-256 recomputed and compared with the one written on the
row when it was uploaded or signed (attachments, e-results), or at least present for file fields
that keep no digest (receipts, blank forms). The summary also gives the figures to compare with
the source: row counts and one digest over every dossier's chain head (its last event hash), so
two copies that print the same summary hold the same dossiers with the same histories.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models

from motcua.dossiers.audit import chains_verify
from motcua.dossiers.models import Attachment, Dossier, DossierEvent
from motcua.results.models import ResultDocument

CHUNK = 500


@dataclass(frozen=True)
class FileProblem:
    model: str
    pk: int
    name: str
    problem: str

    def __str__(self) -> str:
        return f"{self.model} #{self.pk}, tệp {self.name}: {self.problem}"


@dataclass
class BackupSummary:
    counts: dict[str, int]
    chain_heads: str
    files_checked: int
    broken_chains: list[str] = field(default_factory=list)
    file_problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.broken_chains and not self.file_problems

    def comparable(self) -> dict[str, object]:
        """The figures two copies of the same data share (what to compare with the source)."""
        return {
            "counts": self.counts,
            "chain_heads": self.chain_heads,
            "files_checked": self.files_checked,
        }


def chain_heads_digest() -> str:
    """SHA-256 over "<dossier uuid> <last event hash>" lines in uuid order (empty chains: "-")."""
    digest = hashlib.sha256()
    last_event = (
        DossierEvent.objects.filter(dossier=models.OuterRef("pk")).order_by("-seq").values("hash")
    )
    rows = (
        Dossier.objects.annotate(head=models.Subquery(last_event[:1]))
        .order_by("uuid")
        .values_list("uuid", "head")
    )
    for uuid, head in rows.iterator(chunk_size=CHUNK):
        digest.update(f"{uuid} {head or '-'}\n".encode("ascii"))
    return digest.hexdigest()


def _file_fields() -> Iterator[tuple[type[models.Model], str, bool]]:
    """(model, file field, whether the row keeps the file's SHA-256) for every stored file."""
    for model in apps.get_models():
        names = {f.name for f in model._meta.concrete_fields}
        for f in model._meta.concrete_fields:
            if isinstance(f, models.FileField):
                yield model, f.name, "sha256" in names


def _file_sha256(name: str) -> str:
    digest = hashlib.sha256()
    with default_storage.open(name, "rb") as stream:
        for block in iter(lambda: stream.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def files_check() -> tuple[int, list[FileProblem]]:
    """How many stored files the rows name, and those missing or whose bytes changed."""
    checked = 0
    problems: list[FileProblem] = []
    for model, field_name, has_digest in _file_fields():
        columns = ["pk", field_name] + (["sha256"] if has_digest else [])
        rows = model._default_manager.exclude(**{field_name: ""}).order_by("pk")
        for row in rows.values_list(*columns).iterator(chunk_size=CHUNK):
            pk, name = row[0], row[1]
            checked += 1
            label = model._meta.label
            if not default_storage.exists(name):
                problems.append(FileProblem(label, pk, name, "thiếu tệp"))
            elif has_digest and _file_sha256(name) != row[2]:
                problems.append(FileProblem(label, pk, name, "nội dung khác mã SHA-256 đã ghi"))
    return checked, problems


def backup_summary() -> BackupSummary:
    """Counts, the chain heads' digest, and every broken chain and bad file of this database."""
    checked, problems = files_check()
    return BackupSummary(
        counts={
            "dossiers": Dossier.objects.count(),
            "events": DossierEvent.objects.count(),
            "attachments": Attachment.objects.count(),
            "results": ResultDocument.objects.count(),
        },
        chain_heads=chain_heads_digest(),
        files_checked=checked,
        broken_chains=[str(link) for link in chains_verify()],
        file_problems=[str(problem) for problem in problems],
    )
