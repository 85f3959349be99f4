from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="Nav")


@_attrs_define
class Nav:
    """
    Attributes:
        label (str):
        icon (None | str | Unset):
        order (int | Unset):  Default: 100.
    """

    label: str
    icon: None | str | Unset = UNSET
    order: int | Unset = 100

    def to_dict(self) -> dict[str, Any]:
        label = self.label

        icon: None | str | Unset
        if isinstance(self.icon, Unset):
            icon = UNSET
        else:
            icon = self.icon

        order = self.order

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "label": label,
            }
        )
        if icon is not UNSET:
            field_dict["icon"] = icon
        if order is not UNSET:
            field_dict["order"] = order

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        label = d.pop("label")

        def _parse_icon(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        icon = _parse_icon(d.pop("icon", UNSET))

        order = d.pop("order", UNSET)

        nav = cls(
            label=label,
            icon=icon,
            order=order,
        )

        return nav
