from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.project_role import ProjectRole

T = TypeVar("T", bound="MemberPut")


@_attrs_define
class MemberPut:
    """
    Attributes:
        role (ProjectRole):
    """

    role: ProjectRole

    def to_dict(self) -> dict[str, Any]:
        role = self.role.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "role": role,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        role = ProjectRole(d.pop("role"))

        member_put = cls(
            role=role,
        )

        return member_put
