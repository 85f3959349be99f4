from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.task_status import TaskStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.bulk_status_change_expected_versions import BulkStatusChangeExpectedVersions


T = TypeVar("T", bound="BulkStatusChange")


@_attrs_define
class BulkStatusChange:
    """
    Attributes:
        ids (list[str]):
        status (TaskStatus):
        expected_versions (BulkStatusChangeExpectedVersions | Unset):
    """

    ids: list[str]
    status: TaskStatus
    expected_versions: BulkStatusChangeExpectedVersions | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        ids = self.ids

        status = self.status.value

        expected_versions: dict[str, Any] | Unset = UNSET
        if not isinstance(self.expected_versions, Unset):
            expected_versions = self.expected_versions.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "ids": ids,
                "status": status,
            }
        )
        if expected_versions is not UNSET:
            field_dict["expected_versions"] = expected_versions

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.bulk_status_change_expected_versions import BulkStatusChangeExpectedVersions  # noqa: PLC0415

        d = dict(src_dict)
        ids = cast(list[str], d.pop("ids"))

        status = TaskStatus(d.pop("status"))

        _expected_versions = d.pop("expected_versions", UNSET)
        expected_versions: BulkStatusChangeExpectedVersions | Unset
        if isinstance(_expected_versions, Unset):
            expected_versions = UNSET
        else:
            expected_versions = BulkStatusChangeExpectedVersions.from_dict(_expected_versions)

        bulk_status_change = cls(
            ids=ids,
            status=status,
            expected_versions=expected_versions,
        )

        return bulk_status_change
