"""Marsad: an observatory for human-rights monitoring in Libya."""
