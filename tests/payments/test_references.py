"""Invoice references: their shape, and finding them in the notes banks hand back."""

from __future__ import annotations

import pytest

from motcua.payments.references import (
    CROCKFORD_ALPHABET,
    REFERENCE_RE,
    reference_find,
    reference_new,
)

REF = "TT4K7Q2M9XHD"
OTHER = "TT0ABCDEFGH1"


def test_new_reference_shape_and_alphabet() -> None:
    refs = {reference_new() for _ in range(500)}
    assert len(refs) == 500
    for ref in refs:
        assert len(ref) == 12
        assert ref.startswith("TT")
        assert REFERENCE_RE.fullmatch(ref)
        assert set(ref[2:]) <= set(CROCKFORD_ALPHABET)
    assert not set("ILOU") & set(CROCKFORD_ALPHABET)
    # every alphabet character is drawn at some point (not a fixed subset)
    assert set("".join(r[2:] for r in refs)) == set(CROCKFORD_ALPHABET)


def test_regex_rejects_letters_outside_crockford() -> None:
    for bad in ("TT4K7Q2M9XHI", "TT4K7Q2M9XHL", "TT4K7Q2M9XHO", "TT4K7Q2M9XHU", "TT4K7Q2M9XH"):
        assert not REFERENCE_RE.fullmatch(bad)


@pytest.mark.parametrize(
    "note",
    [
        REF,
        f"MBVCB.123.{REF}.CT tu 0011001234567 NGUYEN VAN A",
        f"thanh toan {REF.lower()} le phi",  # the citizen typed lower case
        f"CT {REF[:6]} {REF[6:]} NGUYEN VAN A",  # the bank inserted a space inside
        f"ND-{REF[:4]}-{REF[4:8]}-{REF[8:]}",  # dashes inside
        f"MBVCB{REF}CT",  # glued to the bank's prefix and suffix
        f"MBVCB123{REF}",
        f"{REF} ... {REF}",  # the same reference twice is not ambiguous
    ],
)
def test_find_reference_in_bank_notes(note: str) -> None:
    assert reference_find(note) == REF


def test_a_t_before_the_reference_does_not_shift_it() -> None:
    # "CT" (chuyển tiền) followed by a space-split reference: "CTTT4K…" compacted would mislead
    assert reference_find(f"ND CT {REF[:7]} {REF[7:]}") == REF


def test_glued_t_before_the_reference_is_ambiguous() -> None:
    # "IBFT" + "TT4K…": "TTT4K7Q2M9XH" is as well-formed as "TT4K7Q2M9XHD"; guessing would be wrong
    # half the time, so the line is left for a person to match
    assert reference_find(f"IBFT{REF}CT") is None
    assert reference_find(f"IBFT {REF} CT") == REF


@pytest.mark.parametrize(
    "note",
    [
        "",
        "CHUYEN TIEN LE PHI",
        "TT4K7Q2M9",
        f"{REF} {OTHER}",
        f"{REF[:6]} {REF[6:]} {OTHER[:5]}-{OTHER[5:]}",
    ],
)
def test_none_when_absent_or_ambiguous(note: str) -> None:
    assert reference_find(note) is None
