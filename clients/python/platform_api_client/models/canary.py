from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Canary")


@_attrs_define
class Canary:
    """
    Attributes:
        version (str):
        percentage (int):
        started_at (datetime.datetime):
        started_by (str):
    """

    version: str
    percentage: int
    started_at: datetime.datetime
    started_by: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        version = self.version

        percentage = self.percentage

        started_at = self.started_at.isoformat()

        started_by = self.started_by

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "version": version,
                "percentage": percentage,
                "started_at": started_at,
                "started_by": started_by,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        version = d.pop("version")

        percentage = d.pop("percentage")

        started_at = datetime.datetime.fromisoformat(d.pop("started_at"))

        started_by = d.pop("started_by")

        canary = cls(
            version=version,
            percentage=percentage,
            started_at=started_at,
            started_by=started_by,
        )

        canary.additional_properties = d
        return canary

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
