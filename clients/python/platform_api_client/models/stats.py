from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.day_count import DayCount
    from ..models.stats_by_priority import StatsByPriority
    from ..models.stats_by_status import StatsByStatus
    from ..models.stats_open_by_assignee import StatsOpenByAssignee


T = TypeVar("T", bound="Stats")


@_attrs_define
class Stats:
    """
    Attributes:
        projects (list[str]):
        range_from (datetime.date):
        range_to (datetime.date):
        by_status (StatsByStatus):
        by_priority (StatsByPriority):
        open_by_assignee (StatsOpenByAssignee):
        per_day (list[DayCount]):
        median_cycle_time_s (float | None):
        completed_in_range (int):
        overdue (int):
    """

    projects: list[str]
    range_from: datetime.date
    range_to: datetime.date
    by_status: StatsByStatus
    by_priority: StatsByPriority
    open_by_assignee: StatsOpenByAssignee
    per_day: list[DayCount]
    median_cycle_time_s: float | None
    completed_in_range: int
    overdue: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        projects = self.projects

        range_from = self.range_from.isoformat()

        range_to = self.range_to.isoformat()

        by_status = self.by_status.to_dict()

        by_priority = self.by_priority.to_dict()

        open_by_assignee = self.open_by_assignee.to_dict()

        per_day = []
        for per_day_item_data in self.per_day:
            per_day_item = per_day_item_data.to_dict()
            per_day.append(per_day_item)

        median_cycle_time_s: float | None
        median_cycle_time_s = self.median_cycle_time_s

        completed_in_range = self.completed_in_range

        overdue = self.overdue

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "projects": projects,
                "range_from": range_from,
                "range_to": range_to,
                "by_status": by_status,
                "by_priority": by_priority,
                "open_by_assignee": open_by_assignee,
                "per_day": per_day,
                "median_cycle_time_s": median_cycle_time_s,
                "completed_in_range": completed_in_range,
                "overdue": overdue,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.day_count import DayCount  # noqa: PLC0415
        from ..models.stats_by_priority import StatsByPriority  # noqa: PLC0415
        from ..models.stats_by_status import StatsByStatus  # noqa: PLC0415
        from ..models.stats_open_by_assignee import StatsOpenByAssignee  # noqa: PLC0415

        d = dict(src_dict)
        projects = cast(list[str], d.pop("projects"))

        range_from = datetime.date.fromisoformat(d.pop("range_from"))

        range_to = datetime.date.fromisoformat(d.pop("range_to"))

        by_status = StatsByStatus.from_dict(d.pop("by_status"))

        by_priority = StatsByPriority.from_dict(d.pop("by_priority"))

        open_by_assignee = StatsOpenByAssignee.from_dict(d.pop("open_by_assignee"))

        per_day = []
        _per_day = d.pop("per_day")
        for per_day_item_data in _per_day:
            per_day_item = DayCount.from_dict(per_day_item_data)

            per_day.append(per_day_item)

        def _parse_median_cycle_time_s(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        median_cycle_time_s = _parse_median_cycle_time_s(d.pop("median_cycle_time_s"))

        completed_in_range = d.pop("completed_in_range")

        overdue = d.pop("overdue")

        stats = cls(
            projects=projects,
            range_from=range_from,
            range_to=range_to,
            by_status=by_status,
            by_priority=by_priority,
            open_by_assignee=open_by_assignee,
            per_day=per_day,
            median_cycle_time_s=median_cycle_time_s,
            completed_in_range=completed_in_range,
            overdue=overdue,
        )

        stats.additional_properties = d
        return stats

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
