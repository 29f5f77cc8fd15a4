"""Roles are Django groups (see roles.py); this app has no models of its own."""
