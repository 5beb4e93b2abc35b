"""Jobs the scheduler tests name by dotted path (as settings.MOTCUA_JOBS does): each records
that it ran, in this process, so a test can count runs across schedulers."""

from __future__ import annotations

import threading

_lock = threading.Lock()
calls: list[str] = []


def record(*, label: str = "run") -> int:
    with _lock:
        calls.append(label)
        return len(calls)


def fail() -> None:
    record(label="fail")
    raise RuntimeError("Tác vụ thử nghiệm lỗi có chủ ý")


def enqueue_probe() -> str:
    """Put a task on the database queue, for the worker that runs this scheduler to pick up."""
    from motcua.ops.tasks import probe

    record(label="probe")
    return probe.using(backend="default").enqueue("từ bộ lập lịch").id


def append_pid(*, path: str) -> int:
    """Write this process's id as one line of `path` (appends of a short line are atomic, so
    several processes can count their runs in one file)."""
    import os

    with open(path, "a", encoding="utf-8") as out:
        out.write(f"{os.getpid()}\n")
    return os.getpid()
