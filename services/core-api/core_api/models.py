"""Beanie documents owned by the core API (domain data, fragment registry, audit)."""

from beanie import Document

from core_api.audit import AuditEntry

DOCUMENTS: list[type[Document]] = [AuditEntry]
