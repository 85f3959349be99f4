from enum import StrEnum


class TaskSort(StrEnum):
    CREATED = "created"
    DUE = "due"
    PRIORITY = "priority"
    UPDATED = "updated"
    VALUE_1 = "-created"
    VALUE_3 = "-updated"
    VALUE_5 = "-due"
    VALUE_7 = "-priority"

    def __str__(self) -> str:
        return str(self.value)
