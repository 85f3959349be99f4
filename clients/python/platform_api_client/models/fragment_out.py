from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.canary import Canary


T = TypeVar("T", bound="FragmentOut")


@_attrs_define
class FragmentOut:
    """A fragment's registry entry and what is live (Fragment.public()).

    Attributes:
        name (str):
        publisher_role (str):
        description (str):
        roles (list[str]):
        enabled (bool):
        origins (list[str]): Origins an admin registered for its files besides the platform's
        active_version (None | str):
        previous_version (None | str):
        canary (Canary | None):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
    """

    name: str
    publisher_role: str
    description: str
    roles: list[str]
    enabled: bool
    origins: list[str]
    active_version: None | str
    previous_version: None | str
    canary: Canary | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.canary import Canary  # noqa: PLC0415

        name = self.name

        publisher_role = self.publisher_role

        description = self.description

        roles = self.roles

        enabled = self.enabled

        origins = self.origins

        active_version: None | str
        active_version = self.active_version

        previous_version: None | str
        previous_version = self.previous_version

        canary: dict[str, Any] | None
        if isinstance(self.canary, Canary):
            canary = self.canary.to_dict()
        else:
            canary = self.canary

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "publisher_role": publisher_role,
                "description": description,
                "roles": roles,
                "enabled": enabled,
                "origins": origins,
                "active_version": active_version,
                "previous_version": previous_version,
                "canary": canary,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.canary import Canary  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        publisher_role = d.pop("publisher_role")

        description = d.pop("description")

        roles = cast(list[str], d.pop("roles"))

        enabled = d.pop("enabled")

        origins = cast(list[str], d.pop("origins"))

        def _parse_active_version(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        active_version = _parse_active_version(d.pop("active_version"))

        def _parse_previous_version(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        previous_version = _parse_previous_version(d.pop("previous_version"))

        def _parse_canary(data: object) -> Canary | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                canary_type_0 = Canary.from_dict(data)

                return canary_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Canary | None, data)

        canary = _parse_canary(d.pop("canary"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        fragment_out = cls(
            name=name,
            publisher_role=publisher_role,
            description=description,
            roles=roles,
            enabled=enabled,
            origins=origins,
            active_version=active_version,
            previous_version=previous_version,
            canary=canary,
            created_at=created_at,
            updated_at=updated_at,
        )

        fragment_out.additional_properties = d
        return fragment_out

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
