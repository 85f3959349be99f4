from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SessionRead")


@_attrs_define
class SessionRead:
    """One signed-in session of the caller's.

    Attributes:
        id (str):
        device (str): Browser and system, e.g. "Firefox on Windows"
        created_at (datetime.datetime): When it signed in
        last_used_at (datetime.datetime): Its last sign-in or token renewal
        current (bool): Whether it is the session making this request
    """

    id: str
    device: str
    created_at: datetime.datetime
    last_used_at: datetime.datetime
    current: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        device = self.device

        created_at = self.created_at.isoformat()

        last_used_at = self.last_used_at.isoformat()

        current = self.current

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "device": device,
                "created_at": created_at,
                "last_used_at": last_used_at,
                "current": current,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        device = d.pop("device")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        last_used_at = datetime.datetime.fromisoformat(d.pop("last_used_at"))

        current = d.pop("current")

        session_read = cls(
            id=id,
            device=device,
            created_at=created_at,
            last_used_at=last_used_at,
            current=current,
        )

        session_read.additional_properties = d
        return session_read

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
