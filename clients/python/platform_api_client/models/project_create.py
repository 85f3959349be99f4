from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ProjectCreate")


@_attrs_define
class ProjectCreate:
    """
    Attributes:
        name (str):
        key (str):
        description (str | Unset):  Default: ''.
    """

    name: str
    key: str
    description: str | Unset = ""

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        key = self.key

        description = self.description

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "key": key,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        key = d.pop("key")

        description = d.pop("description", UNSET)

        project_create = cls(
            name=name,
            key=key,
            description=description,
        )

        return project_create
