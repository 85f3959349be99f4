from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.manifest_fragment import ManifestFragment
    from ..models.manifest_shared import ManifestShared


T = TypeVar("T", bound="Manifest")


@_attrs_define
class Manifest:
    """What the registry tells a shell to compose, for the user asking.

    Attributes:
        contract (str): The fragment contract version
        shared (ManifestShared): npm ranges of the libraries the shell provides through its import map
        fragments (list[ManifestFragment]):
    """

    contract: str
    shared: ManifestShared
    fragments: list[ManifestFragment]

    def to_dict(self) -> dict[str, Any]:
        contract = self.contract

        shared = self.shared.to_dict()

        fragments = []
        for fragments_item_data in self.fragments:
            fragments_item = fragments_item_data.to_dict()
            fragments.append(fragments_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "contract": contract,
                "shared": shared,
                "fragments": fragments,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.manifest_fragment import ManifestFragment  # noqa: PLC0415
        from ..models.manifest_shared import ManifestShared  # noqa: PLC0415

        d = dict(src_dict)
        contract = d.pop("contract")

        shared = ManifestShared.from_dict(d.pop("shared"))

        fragments = []
        _fragments = d.pop("fragments")
        for fragments_item_data in _fragments:
            fragments_item = ManifestFragment.from_dict(fragments_item_data)

            fragments.append(fragments_item)

        manifest = cls(
            contract=contract,
            shared=shared,
            fragments=fragments,
        )

        return manifest
