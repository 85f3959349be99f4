from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="OverrideIn")


@_attrs_define
class OverrideIn:
    """
    Attributes:
        origin (str): Where the local build is served, e.g. "http://localhost:5173"
        entry (None | str | Unset): Its entry module; "<origin>/entry.js" by default
        css (list[str] | Unset): Its stylesheets, on the same origin; linked without integrity, like the entry
        subject (None | str | Unset): The user id the token is for; the caller by default
        ttl_s (int | Unset): Lifetime, at most CORE_FRAGMENT_OVERRIDE_MAX_TTL_S Default: 3600.
    """

    origin: str
    entry: None | str | Unset = UNSET
    css: list[str] | Unset = UNSET
    subject: None | str | Unset = UNSET
    ttl_s: int | Unset = 3600

    def to_dict(self) -> dict[str, Any]:
        origin = self.origin

        entry: None | str | Unset
        if isinstance(self.entry, Unset):
            entry = UNSET
        else:
            entry = self.entry

        css: list[str] | Unset = UNSET
        if not isinstance(self.css, Unset):
            css = self.css

        subject: None | str | Unset
        if isinstance(self.subject, Unset):
            subject = UNSET
        else:
            subject = self.subject

        ttl_s = self.ttl_s

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "origin": origin,
            }
        )
        if entry is not UNSET:
            field_dict["entry"] = entry
        if css is not UNSET:
            field_dict["css"] = css
        if subject is not UNSET:
            field_dict["subject"] = subject
        if ttl_s is not UNSET:
            field_dict["ttl_s"] = ttl_s

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        origin = d.pop("origin")

        def _parse_entry(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        entry = _parse_entry(d.pop("entry", UNSET))

        css = cast(list[str], d.pop("css", UNSET))

        def _parse_subject(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        subject = _parse_subject(d.pop("subject", UNSET))

        ttl_s = d.pop("ttl_s", UNSET)

        override_in = cls(
            origin=origin,
            entry=entry,
            css=css,
            subject=subject,
            ttl_s=ttl_s,
        )

        return override_in
