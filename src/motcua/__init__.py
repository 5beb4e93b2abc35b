"""motcua: an open electronic one-stop shop for Vietnamese provinces."""

__version__ = "0.1.0"
