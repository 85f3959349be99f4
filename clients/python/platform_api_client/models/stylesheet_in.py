from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="StylesheetIn")


@_attrs_define
class StylesheetIn:
    """
    Attributes:
        url (str):
        integrity (str): "sha384-<base64>" of the file's bytes, checked at publish and by the browser
    """

    url: str
    integrity: str

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        integrity = self.integrity

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "url": url,
                "integrity": integrity,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        url = d.pop("url")

        integrity = d.pop("integrity")

        stylesheet_in = cls(
            url=url,
            integrity=integrity,
        )

        return stylesheet_in
