"""Text normalisation for search: lower case, no diacritics, đ → d (docs/ARCHITECTURE.md §5)."""

import unicodedata


def normalise(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())
