"""Dossiers with events and attachments made through the services, for the backup tests.

Run in the test's process (PostgreSQL) or in a subprocess against a file database (SQLite):
`python -c "import django; django.setup(); from tests.ops.backup_world import world_fill; ..."`.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

from PIL import Image

from motcua.dossiers import services as s
from motcua.dossiers.constants import AttachmentKind, DossierStatus
from tests.dossiers.helpers import build_world, drive

# A spread of states: drafts, a refusal, supplements, processing, results returned.
STATES = [
    DossierStatus.DRAFT,
    DossierStatus.SUBMITTED,
    DossierStatus.REFUSED,
    DossierStatus.AWAITING_SUPPLEMENT,
    DossierStatus.PROCESSING,
    DossierStatus.RETURNED,
]


def scan_png(seed: int) -> io.BytesIO:
    """A small real PNG whose pixels depend on `seed`, so every file has its own bytes."""
    rng = random.Random(seed)
    image = Image.new("RGB", (24, 24))
    image.putdata([(rng.randrange(256), rng.randrange(256), rng.randrange(256))] * 576)
    stream = io.BytesIO()
    image.save(stream, format="PNG")
    stream.seek(0)
    stream.name = f"ban-chup-{seed}.png"
    return stream


def world_fill(*, signing: Path | None = None) -> int:
    """Make the dossiers; return how many attachments were stored. With `signing` (a folder), a
    demo CA there certifies the agencies, so approvals with MOTCUA_E_RESULTS on issue e-results."""
    w = build_world()
    if signing is not None:
        from motcua.documents.demo import demo_ca_create

        demo_ca_create(directory=signing, units=[w.unit, w.other_unit])
    stored = 0
    for n, state in enumerate(STATES):
        dossier = drive(w, DossierStatus.DRAFT)
        s.attachment_add(
            dossier=dossier,
            actor=w.citizen,
            kind=AttachmentKind.APPLICATION,
            file=scan_png(n),
            at=w.clock.tick(0.1),
        )
        stored += 1
        if state == DossierStatus.DRAFT:
            continue
        dossier = s.dossier_submit(dossier=dossier, actor=w.citizen, at=w.clock.tick(0.1))
        if state == DossierStatus.SUBMITTED:
            continue
        if state == DossierStatus.REFUSED:
            s.dossier_refuse(
                dossier=dossier, actor=w.reception, reason="Sai thẩm quyền", at=w.clock.tick()
            )
            continue
        dossier = s.dossier_accept(dossier=dossier, actor=w.reception, at=w.clock.tick())
        dossier = s.dossier_start(
            dossier=dossier, actor=w.reception, assignee=w.specialist, at=w.clock.tick()
        )
        if state == DossierStatus.AWAITING_SUPPLEMENT:
            s.dossier_request_supplement(
                dossier=dossier, actor=w.specialist, items=["Bản vẽ hiện trạng"], at=w.clock.tick()
            )
            continue
        s.attachment_add(
            dossier=dossier,
            actor=w.specialist,
            kind=AttachmentKind.DRAFT_RESULT,
            file=scan_png(100 + n),
            at=w.clock.tick(0.1),
        )
        stored += 1
        if state == DossierStatus.PROCESSING:
            continue
        dossier = s.dossier_approve(
            dossier=dossier, actor=w.leader, result_files=[scan_png(200 + n)], at=w.clock.tick()
        )
        stored += 1
        s.dossier_return_result(dossier=dossier, actor=w.reception, at=w.clock.tick())
    # And the helper's own path through every step, without files.
    drive(w, DossierStatus.RETURNED)
    return stored
