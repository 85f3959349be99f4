from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="FragmentIn")


@_attrs_define
class FragmentIn:
    """
    Attributes:
        name (str):
        publisher_role (None | str | Unset): Role whose holders may publish and operate it; "publisher:<name>" by
            default
        description (str | Unset):  Default: ''.
        roles (list[str] | Unset): "public" means everyone
    """

    name: str
    publisher_role: None | str | Unset = UNSET
    description: str | Unset = ""
    roles: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        publisher_role: None | str | Unset
        if isinstance(self.publisher_role, Unset):
            publisher_role = UNSET
        else:
            publisher_role = self.publisher_role

        description = self.description

        roles: list[str] | Unset = UNSET
        if not isinstance(self.roles, Unset):
            roles = self.roles

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
            }
        )
        if publisher_role is not UNSET:
            field_dict["publisher_role"] = publisher_role
        if description is not UNSET:
            field_dict["description"] = description
        if roles is not UNSET:
            field_dict["roles"] = roles

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        def _parse_publisher_role(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        publisher_role = _parse_publisher_role(d.pop("publisher_role", UNSET))

        description = d.pop("description", UNSET)

        roles = cast(list[str], d.pop("roles", UNSET))

        fragment_in = cls(
            name=name,
            publisher_role=publisher_role,
            description=description,
            roles=roles,
        )

        return fragment_in
