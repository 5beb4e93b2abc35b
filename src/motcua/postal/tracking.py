"""Tracking numbers in the UPU S10 form the national operator uses: two letters, eight digits, a
check digit and the country, e.g. ``EB123456785VN``."""

from __future__ import annotations

import re
import secrets

_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)
S10_RE = re.compile(r"^[A-Z]{2}[0-9]{9}[A-Z]{2}$")


def s10_check_digit(serial: str) -> int:
    """The check digit of an eight-digit serial number (UPU standard S10)."""
    if len(serial) != 8 or not serial.isdigit():
        raise ValueError("an S10 serial number has eight digits")
    remainder = sum(int(d) * w for d, w in zip(serial, _WEIGHTS, strict=True)) % 11
    check = 11 - remainder
    return {10: 0, 11: 5}.get(check, check)


def s10_valid(number: str) -> bool:
    return bool(S10_RE.match(number)) and s10_check_digit(number[2:10]) == int(number[10])


def s10_new(service: str = "EB", country: str = "VN") -> str:
    """A random S10 number (the sandbox operator's; a real one issues its own)."""
    serial = f"{secrets.randbelow(10**8):08d}"
    return f"{service}{serial}{s10_check_digit(serial)}{country}"
