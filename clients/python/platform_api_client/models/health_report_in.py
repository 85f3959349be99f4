from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.health_report_in_failure_type_0 import HealthReportInFailureType0
from ..models.health_report_in_outcome import HealthReportInOutcome
from ..types import UNSET, Unset

T = TypeVar("T", bound="HealthReportIn")


@_attrs_define
class HealthReportIn:
    """
    Attributes:
        fragment (str):
        version (str):
        outcome (HealthReportInOutcome):
        failure (HealthReportInFailureType0 | None | Unset): What went wrong, when outcome is failure
    """

    fragment: str
    version: str
    outcome: HealthReportInOutcome
    failure: HealthReportInFailureType0 | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        fragment = self.fragment

        version = self.version

        outcome = self.outcome.value

        failure: None | str | Unset
        if isinstance(self.failure, Unset):
            failure = UNSET
        elif isinstance(self.failure, HealthReportInFailureType0):
            failure = self.failure.value
        else:
            failure = self.failure

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "fragment": fragment,
                "version": version,
                "outcome": outcome,
            }
        )
        if failure is not UNSET:
            field_dict["failure"] = failure

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        fragment = d.pop("fragment")

        version = d.pop("version")

        outcome = HealthReportInOutcome(d.pop("outcome"))

        def _parse_failure(data: object) -> HealthReportInFailureType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                failure_type_0 = HealthReportInFailureType0(data)

                return failure_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(HealthReportInFailureType0 | None | Unset, data)

        failure = _parse_failure(d.pop("failure", UNSET))

        health_report_in = cls(
            fragment=fragment,
            version=version,
            outcome=outcome,
            failure=failure,
        )

        return health_report_in
