"""Beanie documents owned by the core API (domain data, fragment registry, audit)."""

from beanie import Document

DOCUMENTS: list[type[Document]] = []
