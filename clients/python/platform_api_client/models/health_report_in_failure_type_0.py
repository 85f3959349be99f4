from enum import StrEnum


class HealthReportInFailureType0(StrEnum):
    INTEGRITY = "integrity"
    LOAD = "load"
    MOUNT = "mount"
    RUNTIME = "runtime"

    def __str__(self) -> str:
        return str(self.value)
