from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="CanaryIn")


@_attrs_define
class CanaryIn:
    """
    Attributes:
        version (str):
        percentage (int): Share of signed-in users on the canary
    """

    version: str
    percentage: int

    def to_dict(self) -> dict[str, Any]:
        version = self.version

        percentage = self.percentage

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "version": version,
                "percentage": percentage,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        version = d.pop("version")

        percentage = d.pop("percentage")

        canary_in = cls(
            version=version,
            percentage=percentage,
        )

        return canary_in
