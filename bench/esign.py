"""`bench/bench.py esign`: what a signed e-result costs to issue, and how many checks a second the
public verification answers.

On the demo database (`BENCH_ESIGN_DB`, default `motcua_bench_esign`: `migrate`, `demo`, the demo
CA), in-process: `BENCH_ESIGN_RESULTS` (default 30) results issued through the approval's own
service (`results_issue_on_transition`: the template rendered to PDF, signed with the agency's
demo certificate, stored), each timed, on as many demo dossiers; then `verify_pdf` and the whole
verification (`result_verify_file`: signature, issued hash, current version, audit chain) of one
of them, timed. Over HTTP: the project served as for the other benches, the bare view for 5 s,
then wrk POSTs that result's signed PDF to `POST /api/v1/verify` (multipart) for the run's
duration; its ratio to the bare view just before.
"""

from __future__ import annotations

import json
import os
import statistics
import time
import uuid
from typing import Any

from bench.bench import (
    BARE_DURATION,
    CONNECTIONS,
    DURATION,
    GUNICORN_WORKERS,
    OUT,
    THREADS,
    demo_database,
    django_setup,
    machine,
    start_servers,
    stop_servers,
    wrk,
)

DB = os.environ.get("BENCH_ESIGN_DB", "motcua_bench_esign")
RESULTS = int(os.environ.get("BENCH_ESIGN_RESULTS", "30"))
VERIFY_REPEAT = int(os.environ.get("BENCH_ESIGN_VERIFY_REPEAT", "20"))


def _figures(seconds: list[float]) -> dict[str, float]:
    ordered = sorted(seconds)
    return {
        "n": len(ordered),
        "median_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
    }


def issue_results(count: int) -> tuple[dict[str, Any], Any]:
    """Issue `count` results in-process, each in its own transaction; their timings and the
    last one issued."""
    from django.db import transaction
    from django.db.models import Exists, OuterRef
    from django.utils import timezone

    from motcua.accounts.models import User
    from motcua.documents.models import SigningCertificate
    from motcua.dossiers.constants import AttachmentKind
    from motcua.dossiers.models import Attachment, Dossier
    from motcua.results.services import results_issue_on_transition

    signer = User.objects.filter(is_staff=True).order_by("pk").first()
    signed_units = SigningCertificate.objects.values_list("unit_id", flat=True)
    # Not those the demo gave a placeholder result file (its finished dossiers): the result is
    # made from the procedure's template, as for a dossier a leader approves.
    has_result = Attachment.objects.filter(dossier=OuterRef("pk"), kind=AttachmentKind.RESULT)
    dossiers = list(
        Dossier.objects.filter(code__isnull=False, receiving_unit_id__in=signed_units)
        .exclude(Exists(has_result))
        .select_related("procedure", "receiving_unit")
        .order_by("-pk")[:count]
    )
    seconds: list[float] = []
    document = None
    for dossier in dossiers:
        started = time.perf_counter()
        with transaction.atomic():
            locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
            issued = results_issue_on_transition(
                dossier=locked, action="approve", actor=signer, moment=timezone.now(), payload={}
            )
        seconds.append(time.perf_counter() - started)
        document = issued[0]
    return {"issue": _figures(seconds), "signer": signer.username}, document


def verify_in_process(document: Any) -> dict[str, Any]:
    from motcua.documents.signing import verify_pdf
    from motcua.results.verification import result_verify_file

    content = document.file.read()
    signature, whole = [], []
    verdict = None
    for _ in range(VERIFY_REPEAT):
        started = time.perf_counter()
        check = verify_pdf(content)
        signature.append(time.perf_counter() - started)
        started = time.perf_counter()
        verdict = result_verify_file(content=content, code=document.code)
        whole.append(time.perf_counter() - started)
    return {
        "signature_only": _figures(signature),
        "whole_check": _figures(whole),
        "valid": check.valid,
        "verdict": getattr(verdict, "reason", str(verdict)),
        "pdf_bytes": len(content),
    }


def multipart_body(content: bytes, name: str) -> tuple[bytes, str]:
    boundary = f"bench-{uuid.uuid4().hex}"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    return head + content + tail, f"multipart/form-data; boundary={boundary}"


def main_esign() -> None:
    results: dict[str, Any] = {"label": "esign"}
    url = demo_database(DB, results)
    django_setup(url)
    from motcua.documents.demo import demo_ca_create

    demo_ca_create()
    results["machine"] = machine()
    issued, document = issue_results(RESULTS)
    results.update(issued)
    print(f"issue: {results['issue']}", flush=True)
    results["verify_in_process"] = verify_in_process(document)
    print(f"verify in-process: {results['verify_in_process']}", flush=True)
    document.file.seek(0)
    body, content_type = multipart_body(document.file.read(), f"{document.code}.pdf")
    body_file = OUT / "esign-verify-body.bin"
    body_file.write_bytes(body)
    results["http_settings"] = {
        "threads": THREADS,
        "connections": CONNECTIONS,
        "duration": DURATION,
        "gunicorn_workers": GUNICORN_WORKERS,
    }
    web, worker = start_servers(url)
    try:
        neighbour = wrk("bare", "/bench/bare/", duration=BARE_DURATION)
        # Only the verification's run posts the file (bench/lua/bench.lua reads these).
        os.environ.update(BENCH_BODY_FILE=str(body_file), BENCH_CONTENT_TYPE=content_type)
        try:
            figures = wrk("verify", "/api/v1/verify")
        finally:
            del os.environ["BENCH_BODY_FILE"], os.environ["BENCH_CONTENT_TYPE"]
        figures["bare_before_rps"] = neighbour["rps"]
        figures["ratio"] = round(figures["rps"] / neighbour["rps"], 4)
        figures["load_average"] = os.getloadavg()
        results["http_verify"] = figures
        print(f"verify over HTTP: ratio {figures['ratio']} to the bare view", flush=True)
    finally:
        stop_servers(web, worker)
    path = OUT / "esign.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str))
    print(f"wrote {path}")
