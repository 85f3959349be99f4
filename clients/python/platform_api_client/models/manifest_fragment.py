from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.manifest_stylesheet import ManifestStylesheet
    from ..models.nav import Nav


T = TypeVar("T", bound="ManifestFragment")


@_attrs_define
class ManifestFragment:
    """One fragment version this user's page composes.

    Attributes:
        name (str):
        version (str):
        origin (str): Where its entry, stylesheets and modules are served from, checked by the registry; the page's CSP
            admits it
        entry (str): URL of the ES module exporting mount()
        integrity (None | str): "sha384-<base64>"; null for a local override
        css (list[ManifestStylesheet]):
        preload (list[str]):
        routes (list[str]): "/page" or "/subtree/*"; the longest match wins
        nav (Nav | None):
        canary (bool): This user is served the canary version
        override (bool | Unset): A developer's local build (no integrity) Default: False.
    """

    name: str
    version: str
    origin: str
    entry: str
    integrity: None | str
    css: list[ManifestStylesheet]
    preload: list[str]
    routes: list[str]
    nav: Nav | None
    canary: bool
    override: bool | Unset = False

    def to_dict(self) -> dict[str, Any]:
        from ..models.nav import Nav  # noqa: PLC0415

        name = self.name

        version = self.version

        origin = self.origin

        entry = self.entry

        integrity: None | str
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

        canary = self.canary

        override = self.override

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "version": version,
                "origin": origin,
                "entry": entry,
                "integrity": integrity,
                "css": css,
                "preload": preload,
                "routes": routes,
                "nav": nav,
                "canary": canary,
            }
        )
        if override is not UNSET:
            field_dict["override"] = override

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.manifest_stylesheet import ManifestStylesheet  # noqa: PLC0415
        from ..models.nav import Nav  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        version = d.pop("version")

        origin = d.pop("origin")

        entry = d.pop("entry")

        def _parse_integrity(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        integrity = _parse_integrity(d.pop("integrity"))

        css = []
        _css = d.pop("css")
        for css_item_data in _css:
            css_item = ManifestStylesheet.from_dict(css_item_data)

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

        canary = d.pop("canary")

        override = d.pop("override", UNSET)

        manifest_fragment = cls(
            name=name,
            version=version,
            origin=origin,
            entry=entry,
            integrity=integrity,
            css=css,
            preload=preload,
            routes=routes,
            nav=nav,
            canary=canary,
            override=override,
        )

        return manifest_fragment
