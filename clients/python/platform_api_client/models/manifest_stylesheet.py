from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="ManifestStylesheet")


@_attrs_define
class ManifestStylesheet:
    """A stylesheet, pinned like the entry by SRI; null only for a local override's.

    Attributes:
        url (str):
        integrity (None | str):
    """

    url: str
    integrity: None | str

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        integrity: None | str
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

        def _parse_integrity(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        integrity = _parse_integrity(d.pop("integrity"))

        manifest_stylesheet = cls(
            url=url,
            integrity=integrity,
        )

        return manifest_stylesheet
