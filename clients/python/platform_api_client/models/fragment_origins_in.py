from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="FragmentOriginsIn")


@_attrs_define
class FragmentOriginsIn:
    """
    Attributes:
        origins (list[str]): Origins its files may be served from besides the platform's, e.g.
            ["https://cdn.reports.example.com"]: origins only (no path), https outside development; replaces the list ([]
            removes them all)
    """

    origins: list[str]

    def to_dict(self) -> dict[str, Any]:
        origins = self.origins

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "origins": origins,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        origins = cast(list[str], d.pop("origins"))

        fragment_origins_in = cls(
            origins=origins,
        )

        return fragment_origins_in
