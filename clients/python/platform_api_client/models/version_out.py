from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.nav import Nav
    from ..models.stylesheet import Stylesheet
    from ..models.version_out_shared import VersionOutShared


T = TypeVar("T", bound="VersionOut")


@_attrs_define
class VersionOut:
    """One published build (FragmentVersion.public()).

    Attributes:
        fragment (str):
        version (str):
        origin (str): Its entry's origin, where all its files are served from
        entry (str):
        integrity (str):
        css (list[Stylesheet]):
        preload (list[str]):
        routes (list[str]):
        nav (Nav | None):
        roles (list[str]):
        contract (str):
        shared (VersionOutShared):
        created_by (str):
        created_at (datetime.datetime):
    """

    fragment: str
    version: str
    origin: str
    entry: str
    integrity: str
    css: list[Stylesheet]
    preload: list[str]
    routes: list[str]
    nav: Nav | None
    roles: list[str]
    contract: str
    shared: VersionOutShared
    created_by: str
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.nav import Nav  # noqa: PLC0415

        fragment = self.fragment

        version = self.version

        origin = self.origin

        entry = self.entry

        integrity = self.integrity

        css = []
        for css_item_data in self.css:
            css_item = css_item_data.to_dict()
            css.append(css_item)

        preload = self.preload

        routes = self.routes

        nav: dict[str, Any] | None
        if isinstance(self.nav, Nav):
            nav = self.nav.to_dict()
        else:
            nav = self.nav

        roles = self.roles

        contract = self.contract

        shared = self.shared.to_dict()

        created_by = self.created_by

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "fragment": fragment,
                "version": version,
                "origin": origin,
                "entry": entry,
                "integrity": integrity,
                "css": css,
                "preload": preload,
                "routes": routes,
                "nav": nav,
                "roles": roles,
                "contract": contract,
                "shared": shared,
                "created_by": created_by,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.nav import Nav  # noqa: PLC0415
        from ..models.stylesheet import Stylesheet  # noqa: PLC0415
        from ..models.version_out_shared import VersionOutShared  # noqa: PLC0415

        d = dict(src_dict)
        fragment = d.pop("fragment")

        version = d.pop("version")

        origin = d.pop("origin")

        entry = d.pop("entry")

        integrity = d.pop("integrity")

        css = []
        _css = d.pop("css")
        for css_item_data in _css:
            css_item = Stylesheet.from_dict(css_item_data)

            css.append(css_item)

        preload = cast(list[str], d.pop("preload"))

        routes = cast(list[str], d.pop("routes"))

        def _parse_nav(data: object) -> Nav | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                nav_type_0 = Nav.from_dict(data)

                return nav_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Nav | None, data)

        nav = _parse_nav(d.pop("nav"))

        roles = cast(list[str], d.pop("roles"))

        contract = d.pop("contract")

        shared = VersionOutShared.from_dict(d.pop("shared"))

        created_by = d.pop("created_by")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        version_out = cls(
            fragment=fragment,
            version=version,
            origin=origin,
            entry=entry,
            integrity=integrity,
            css=css,
            preload=preload,
            routes=routes,
            nav=nav,
            roles=roles,
            contract=contract,
            shared=shared,
            created_by=created_by,
            created_at=created_at,
        )

        version_out.additional_properties = d
        return version_out

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
