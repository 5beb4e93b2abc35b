"""Byte-identical fast paths for the simulator's hot loop (checked by tests/simulator).

- `event_hash`: the same SHA-256 as `motcua.dossiers.audit.compute_hash`, over the same canonical
  JSON, but assembled from pieces: the document's keys are fixed, so their sorted order is known;
  only the payload goes through a (reused) sorted-keys encoder, and its text is returned too so
  the bulk load writes it as is instead of encoding the payload a second time.
- `chain_rows`: a dossier's events with their hash chain, `event_hash` inlined.
- `js`: a datetime as `DjangoJSONEncoder` writes it (what the JSON column reads back).
- `search_text`: the officers' search column (`dossiers.search.search_text_for`), field by field.
- `timing`: `motcua.workcal.classify` without the thread-local current-time-zone lookup: the
  local date is taken in the calendar's own zone, passed in (Asia/Ho_Chi_Minh, the only zone the
  project runs in; `classify` uses the current time zone, which is settings.TIME_ZONE there).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from motcua.catalog.search import normalise
from motcua.dossiers.audit import GENESIS_HASH

_UTC = dt.UTC
_encode = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode
_sha256 = hashlib.sha256
_strings: dict[str, str] = {}


def _string(value: str) -> str:
    found = _strings.get(value)
    if found is None:
        found = _strings[value] = _encode(value)
    return found


def payload_json(payload: dict[str, Any]) -> str:
    """The payload's canonical JSON (sorted keys, no spaces, not ASCII-escaped)."""
    return _encode(payload)


def event_hash(
    *,
    dossier_uuid: str,
    seq: int,
    action: str,
    from_status: str,
    to_status: str,
    actor_id: int | None,
    created_at: dt.datetime,
    payload_text: str,
    prev_hash: str,
) -> str:
    """compute_hash(...) for a payload already encoded by `payload_json`."""
    canonical = "".join(
        (
            '{"action":',
            _string(action),
            ',"actor":',
            "null" if actor_id is None else str(int(actor_id)),
            ',"at":"',
            created_at.astimezone(_UTC).isoformat(timespec="microseconds"),
            '","dossier":"',
            str(dossier_uuid),  # hex digits and dashes: nothing to escape
            '","from":',
            _string(from_status or ""),
            ',"payload":',
            payload_text,
            ',"prev":"',
            prev_hash,  # hex digits
            '","seq":',
            str(int(seq)),
            ',"to":',
            _string(to_status),
            "}",
        )
    )
    return _sha256(canonical.encode("utf-8")).hexdigest()


def chain_rows(index: int, dossier_uuid: str, events: list[tuple], out: list[tuple]) -> None:
    """Append a dossier's event rows, hash-chained, to `out`: `event_hash` for each event of
    `events` ((action, from, to, actor id, label, at, payload) in order), without a call per
    event. Rows are (index, seq, action, from, to, actor id, label, at, payload text, prev, hash).
    """
    prev = GENESIS_HASH
    encode, string, sha256, utc = _encode, _string, _sha256, _UTC
    head = '","dossier":"' + dossier_uuid + '","from":'
    append = out.append
    for seq, (action, frm, to, actor_id, label, at, payload) in enumerate(events, start=1):
        text = encode(payload)
        canonical = "".join(
            (
                '{"action":',
                string(action),
                ',"actor":',
                "null" if actor_id is None else str(int(actor_id)),
                ',"at":"',
                at.astimezone(utc).isoformat(timespec="microseconds"),
                head,
                string(frm or ""),
                ',"payload":',
                text,
                ',"prev":"',
                prev,
                '","seq":',
                str(seq),
                ',"to":',
                string(to),
                "}",
            )
        )
        digest = sha256(canonical.encode("utf-8")).hexdigest()
        append((index, seq, action, frm, to, actor_id, label, at, text, prev, digest))
        prev = digest


def js(moment: dt.datetime | None) -> str | None:
    """DjangoJSONEncoder().default(moment) for an aware or naive datetime (or None)."""
    if moment is None:
        return None
    text = moment.isoformat()
    if moment.microsecond:
        text = text[:23] + text[26:]
    if text.endswith("+00:00"):
        text = text[:-6] + "Z"
    return text


def timing(finished_at: dt.datetime, due_at: dt.datetime, tz: dt.tzinfo) -> str:
    """str(classify(finished_at, due_at)) with local dates in `tz`."""
    if finished_at.astimezone(tz).date() < due_at.astimezone(tz).date():
        return "early"
    if finished_at <= due_at:
        return "on_time"
    return "late"


_normalised_words: dict[str, list[str]] = {}


def search_text(values: dict[str, Any], fields: tuple[str, ...]) -> str:
    """`dossiers.search.search_text_for` of a dossier given as a dict, word by word.

    normalise() maps `đ`, decomposes, drops the combining marks, lowers and joins the words with
    one space: done on each field alone and the words joined, the result is the same (the fields
    are joined with a space, which no step carries across). An ASCII field only needs lowering;
    the others (names, organisations) repeat a lot and are normalised once.
    """
    words: list[str] = []
    for name in fields:
        value = values.get(name)
        if not value:
            continue
        text = value if type(value) is str else str(value)
        if text.isascii():
            words += text.lower().split()
            continue
        found = _normalised_words.get(text)
        if found is None:
            found = _normalised_words[text] = normalise(text).split()
        words += found
    return " ".join(words)
