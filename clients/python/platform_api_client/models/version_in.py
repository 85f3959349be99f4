from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.nav import Nav
    from ..models.stylesheet_in import StylesheetIn
    from ..models.version_in_shared import VersionInShared


T = TypeVar("T", bound="VersionIn")


@_attrs_define
class VersionIn:
    """
    Attributes:
        version (str):
        entry (str):
        integrity (str):
        routes (list[str]):
        contract (str):
        css (list[StylesheetIn] | Unset):
        preload (list[str] | Unset):
        nav (Nav | None | Unset):
        roles (list[str] | None | Unset): The fragment's roles when omitted
        shared (VersionInShared | Unset): npm ranges of the shared libraries it was built against, e.g.
            {"@platform/sdk": "^1.0.0"}; the SDK's must admit the platform's SDK version
    """

    version: str
    entry: str
    integrity: str
    routes: list[str]
    contract: str
    css: list[StylesheetIn] | Unset = UNSET
    preload: list[str] | Unset = UNSET
    nav: Nav | None | Unset = UNSET
    roles: list[str] | None | Unset = UNSET
    shared: VersionInShared | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.nav import Nav  # noqa: PLC0415

        version = self.version

        entry = self.entry

        integrity = self.integrity

        routes = self.routes

        contract = self.contract

        css: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.css, Unset):
            css = []
            for css_item_data in self.css:
                css_item = css_item_data.to_dict()
                css.append(css_item)

        preload: list[str] | Unset = UNSET
        if not isinstance(self.preload, Unset):
            preload = self.preload

        nav: dict[str, Any] | None | Unset
        if isinstance(self.nav, Unset):
            nav = UNSET
        elif isinstance(self.nav, Nav):
            nav = self.nav.to_dict()
        else:
            nav = self.nav

        roles: list[str] | None | Unset
        if isinstance(self.roles, Unset):
            roles = UNSET
        elif isinstance(self.roles, list):
            roles = self.roles

        else:
            roles = self.roles

        shared: dict[str, Any] | Unset = UNSET
        if not isinstance(self.shared, Unset):
            shared = self.shared.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "version": version,
                "entry": entry,
                "integrity": integrity,
                "routes": routes,
                "contract": contract,
            }
        )
        if css is not UNSET:
            field_dict["css"] = css
        if preload is not UNSET:
            field_dict["preload"] = preload
        if nav is not UNSET:
            field_dict["nav"] = nav
        if roles is not UNSET:
            field_dict["roles"] = roles
        if shared is not UNSET:
            field_dict["shared"] = shared

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.nav import Nav  # noqa: PLC0415
        from ..models.stylesheet_in import StylesheetIn  # noqa: PLC0415
        from ..models.version_in_shared import VersionInShared  # noqa: PLC0415

        d = dict(src_dict)
        version = d.pop("version")

        entry = d.pop("entry")

        integrity = d.pop("integrity")

        routes = cast(list[str], d.pop("routes"))

        contract = d.pop("contract")

        _css = d.pop("css", UNSET)
        css: list[StylesheetIn] | Unset = UNSET
        if _css is not UNSET:
            css = []
            for css_item_data in _css:
                css_item = StylesheetIn.from_dict(css_item_data)

                css.append(css_item)

        preload = cast(list[str], d.pop("preload", UNSET))

        def _parse_nav(data: object) -> Nav | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                nav_type_0 = Nav.from_dict(data)

                return nav_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Nav | None | Unset, data)

        nav = _parse_nav(d.pop("nav", UNSET))

        def _parse_roles(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                roles_type_0 = cast(list[str], data)

                return roles_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        roles = _parse_roles(d.pop("roles", UNSET))

        _shared = d.pop("shared", UNSET)
        shared: VersionInShared | Unset
        if isinstance(_shared, Unset):
            shared = UNSET
        else:
            shared = VersionInShared.from_dict(_shared)

        version_in = cls(
            version=version,
            entry=entry,
            integrity=integrity,
            routes=routes,
            contract=contract,
            css=css,
            preload=preload,
            nav=nav,
            roles=roles,
            shared=shared,
        )

        return version_in
