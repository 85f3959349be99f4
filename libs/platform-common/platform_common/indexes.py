"""Creating each Beanie document's indexes one command at a time.

FerretDB v1 drops the connection ("slice bounds out of range") when a single createIndexes
command names several indexes that already exist — which is what Beanie sends on every start
after the first. So services initialise Beanie with `skip_indexes=True` and call
`ensure_indexes`, which declares the same indexes (Indexed() fields and Settings.indexes)
one by one; re-creating an existing index alone is a no-op on MongoDB and FerretDB alike.
"""

from collections.abc import Sequence

from beanie import Document
from beanie.odm.settings.document import IndexModelField
from beanie.odm.utils.pydantic import get_model_fields
from beanie.odm.utils.typing import get_index_attributes
from pymongo import IndexModel


def declared_indexes(document: type[Document]) -> list[IndexModel]:
    from_fields = [
        IndexModelField(IndexModel([(field.alias or name, attributes[0])], **attributes[1]))
        for name, field in get_model_fields(document).items()
        if (attributes := get_index_attributes(field)) is not None
    ]
    merged = IndexModelField.merge_indexes(from_fields, document.get_settings().indexes or [])
    return IndexModelField.list_to_index_model(merged)


async def ensure_indexes(documents: Sequence[type[Document]]) -> None:
    for document in documents:
        collection = document.get_pymongo_collection()
        for index in declared_indexes(document):
            await collection.create_indexes([index])
