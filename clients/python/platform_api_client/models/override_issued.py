from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="OverrideIssued")


@_attrs_define
class OverrideIssued:
    """
    Attributes:
        token_id (str):
        fragment (str):
        origin (str):
        entry (str):
        css (list[str]):
        subject (str):
        issued_by (str):
        issued_at (datetime.datetime):
        expires_at (datetime.datetime):
        revoked_at (datetime.datetime | None):
        uses (int):
        first_used_at (datetime.datetime | None):
        last_used_at (datetime.datetime | None):
        token (str): The signed token itself: shown in this answer only
    """

    token_id: str
    fragment: str
    origin: str
    entry: str
    css: list[str]
    subject: str
    issued_by: str
    issued_at: datetime.datetime
    expires_at: datetime.datetime
    revoked_at: datetime.datetime | None
    uses: int
    first_used_at: datetime.datetime | None
    last_used_at: datetime.datetime | None
    token: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        token_id = self.token_id

        fragment = self.fragment

        origin = self.origin

        entry = self.entry

        css = self.css

        subject = self.subject

        issued_by = self.issued_by

        issued_at = self.issued_at.isoformat()

        expires_at = self.expires_at.isoformat()

        revoked_at: None | str
        if isinstance(self.revoked_at, datetime.datetime):
            revoked_at = self.revoked_at.isoformat()
        else:
            revoked_at = self.revoked_at

        uses = self.uses

        first_used_at: None | str
        if isinstance(self.first_used_at, datetime.datetime):
            first_used_at = self.first_used_at.isoformat()
        else:
            first_used_at = self.first_used_at

        last_used_at: None | str
        if isinstance(self.last_used_at, datetime.datetime):
            last_used_at = self.last_used_at.isoformat()
        else:
            last_used_at = self.last_used_at

        token = self.token

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "token_id": token_id,
                "fragment": fragment,
                "origin": origin,
                "entry": entry,
                "css": css,
                "subject": subject,
                "issued_by": issued_by,
                "issued_at": issued_at,
                "expires_at": expires_at,
                "revoked_at": revoked_at,
                "uses": uses,
                "first_used_at": first_used_at,
                "last_used_at": last_used_at,
                "token": token,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        token_id = d.pop("token_id")

        fragment = d.pop("fragment")

        origin = d.pop("origin")

        entry = d.pop("entry")

        css = cast(list[str], d.pop("css"))

        subject = d.pop("subject")

        issued_by = d.pop("issued_by")

        issued_at = datetime.datetime.fromisoformat(d.pop("issued_at"))

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        def _parse_revoked_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                revoked_at_type_0 = datetime.datetime.fromisoformat(data)

                return revoked_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        revoked_at = _parse_revoked_at(d.pop("revoked_at"))

        uses = d.pop("uses")

        def _parse_first_used_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                first_used_at_type_0 = datetime.datetime.fromisoformat(data)

                return first_used_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        first_used_at = _parse_first_used_at(d.pop("first_used_at"))

        def _parse_last_used_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_used_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_used_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        last_used_at = _parse_last_used_at(d.pop("last_used_at"))

        token = d.pop("token")

        override_issued = cls(
            token_id=token_id,
            fragment=fragment,
            origin=origin,
            entry=entry,
            css=css,
            subject=subject,
            issued_by=issued_by,
            issued_at=issued_at,
            expires_at=expires_at,
            revoked_at=revoked_at,
            uses=uses,
            first_used_at=first_used_at,
            last_used_at=last_used_at,
            token=token,
        )

        override_issued.additional_properties = d
        return override_issued

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
