"""Where one worker's delivery time goes: `bench/profile_notify.py [sandbox|smtp] [N]` on the
bench's notify database (bench/bench.py notify makes it), under cProfile; the top functions by
cumulative and by own time. For smtp a sink must listen on EMAIL_HOST:EMAIL_PORT."""

from __future__ import annotations

import cProfile
import pstats
import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent)]

from bench.bench import django_setup  # noqa: E402 (after the path)
from bench.notify import DB, deliver, load  # noqa: E402

if __name__ == "__main__":
    provider = sys.argv[1] if len(sys.argv) > 1 else "sandbox"
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
    django_setup(f"postgres://postgres@127.0.0.1:5432/{DB}")
    from django.conf import settings

    from motcua.notifications.models import Message, SandboxDelivery

    settings.MOTCUA_NOTIFY_PROVIDERS = {"email": provider, "sms": "", "zalo": "", "inapp": ""}
    Message.objects.all().delete()
    SandboxDelivery.objects.all().delete()
    load("profile", count)
    profile = cProfile.Profile()
    profile.enable()
    result = deliver()
    profile.disable()
    print(result)
    stats = pstats.Stats(profile)
    stats.sort_stats("cumulative").print_stats(30)
    stats.sort_stats("tottime").print_stats(20)
