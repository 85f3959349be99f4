"""Plumbing shared by the platform's Python services (not domain code)."""
