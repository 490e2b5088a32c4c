"""Marsad: an observatory for human-rights monitoring in Libya."""

from __future__ import annotations

__version__ = "0.1.0"
