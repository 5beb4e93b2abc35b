"""Invoice references: the code a citizen writes in a bank transfer note, and finding it again.

A reference is "TT" followed by 10 characters of Crockford base32 (no I, L, O, U), drawn from
`secrets`: 50 random bits, so guessing another citizen's reference is hopeless.
"""

from __future__ import annotations

import re
import secrets

CROCKFORD_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_PREFIX = "TT"
REFERENCE_LENGTH = 10  # characters after the prefix

_CHAR = "[0-9A-HJKMNP-TV-Z]"  # the Crockford alphabet as a character class
_SEP = r"[\s.\-]"

REFERENCE_RE = re.compile(f"{REFERENCE_PREFIX}{_CHAR}{{{REFERENCE_LENGTH}}}")

# Pass 1: the reference as a whole word of the upper-cased note ("MBVCB.123.TT4K7Q2M9XHD.CT tu").
_WORD_RE = re.compile(f"(?<![0-9A-Z]){REFERENCE_RE.pattern}(?![0-9A-Z])")
# Pass 2: the same word with spaces, dots or dashes inserted inside it ("TT4K7Q-2M9XHD").
_SPLIT_RE = re.compile(
    f"(?<![0-9A-Z])T{_SEP}*T((?:{_SEP}*{_CHAR}){{{REFERENCE_LENGTH}}})(?![0-9A-Z])"
)
_SEPS_RE = re.compile(_SEP)
# Pass 3: every candidate of the compacted note, overlapping ones included: in "IBFTTT4K…" both
# "TTT4K…" and "TT4K…" are well-formed references, and nothing says which one the citizen wrote.
_OVERLAP_RE = re.compile(f"(?=({REFERENCE_RE.pattern}))")


def reference_new() -> str:
    """A fresh random reference, e.g. "TT4K7Q2M9XHD"."""
    body = "".join(secrets.choice(CROCKFORD_ALPHABET) for _ in range(REFERENCE_LENGTH))
    return REFERENCE_PREFIX + body


def _one(found: set[str]) -> str | None:
    return next(iter(found)) if len(found) == 1 else None


def reference_find(text: str) -> str | None:
    """The reference inside a bank transfer note, or None when there is none or two different ones.

    Searches the upper-cased note for the reference as a word, then as a word with spaces, dots
    or dashes inside it, then the note with all spaces, dots and dashes removed (a bank that glued
    the reference to its own prefix). The first pass that finds anything decides; in the last
    one, overlapping candidates ("IBFTTT4K…") are two different references, hence None.
    """
    upper = text.upper()
    found = set(_WORD_RE.findall(upper))
    if found:
        return _one(found)
    found = {REFERENCE_PREFIX + _SEPS_RE.sub("", m) for m in _SPLIT_RE.findall(upper)}
    if found:
        return _one(found)
    return _one(set(_OVERLAP_RE.findall(_SEPS_RE.sub("", upper))))
