"""Copies the platform's data between MongoDB-wire stores and backup folders, and checks it.

One way to read and write collections, used three ways:

- `python -m platform_common.store_copy FROM_URI TO_URI` (`make store-copy`): server to server,
  e.g. from the embedded FerretDB to MongoDB Atlas;
- `platform_common.store_backup` (`make backup`, `make restore`): server to backup folder and
  back.

Documents travel as raw BSON (`RawBSONDocument`): nothing is decoded and re-encoded, so types
(int32/int64, dates, binary subtypes, field order) arrive exactly as they left. Every database
but MongoDB's own (admin, local, config) is copied, with its collections and indexes.
"""

import argparse
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TextIO

import bson
from bson.codec_options import DEFAULT_CODEC_OPTIONS, CodecOptions, DatetimeConversion
from bson.raw_bson import RawBSONDocument
from pymongo import MongoClient
from pymongo.errors import OperationFailure, PyMongoError

SYSTEM_DATABASES = frozenset({"admin", "local", "config"})
BATCH_SIZE = 1000
SAMPLE_SIZE = 100
# What every MongoDB-wire store understands of an index. FerretDB v1 answers "not
# implemented" (code 238) to other options (collation, partialFilterExpression,
# expireAfterSeconds: docs/store.md); the index is then created without them, and the copy
# says so.
PORTABLE_INDEX_FIELDS = frozenset({"key", "name", "unique", "v"})
NOT_IMPLEMENTED = 238

RAW = CodecOptions(document_class=RawBSONDocument)
# Comparing documents: decoded, dates kept whatever their range.
DECODED = DEFAULT_CODEC_OPTIONS.with_options(datetime_conversion=DatetimeConversion.DATETIME_AUTO)

EXIT_NOT_EMPTY = 2
EXIT_MISMATCH = 3


class CopyError(Exception):
    """A copy that cannot go on; the message says what to do."""

    exit_code = 1


class TargetNotEmpty(CopyError):
    exit_code = EXIT_NOT_EMPTY


class Source(Protocol):
    """Where collections are read from: a server or a backup folder."""

    def databases(self) -> list[str]: ...
    def collections(self, database: str) -> list[str]: ...
    def indexes(self, database: str, collection: str) -> list[dict[str, Any]]: ...
    def count(self, database: str, collection: str) -> int: ...
    def batches(self, database: str, collection: str) -> Iterator[list[RawBSONDocument]]: ...
    def find(self, database: str, collection: str, ids: list[Any]) -> dict[Any, dict[str, Any]]: ...


class Target(Source, Protocol):
    """Where collections are written to."""

    def describe(self) -> str: ...
    def holds_documents(self, databases: Iterable[str]) -> list[str]: ...
    def drop(self, database: str) -> None: ...
    def create_collection(self, database: str, collection: str) -> None: ...
    def create_index(self, database: str, collection: str, index: dict[str, Any]) -> str | None: ...
    def insert(self, database: str, collection: str, documents: list[RawBSONDocument]) -> None: ...


def user_databases(names: Iterable[str]) -> list[str]:
    return sorted(name for name in names if name not in SYSTEM_DATABASES)


def user_collections(names: Iterable[str]) -> list[str]:
    return sorted(name for name in names if not name.startswith("system."))


def secondary_indexes(indexes: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Every index but the `_id` one each collection has anyway, as plain dicts."""
    return [dict(index) for index in indexes if index.get("name") != "_id_"]


class ServerStore:
    """A MongoDB-wire server (FerretDB, MongoDB, Atlas) as a source or a target."""

    def __init__(self, uri: str) -> None:
        self.uri = uri
        # Documents are read and written raw (`_collection`); commands answer plain dicts.
        self.client: MongoClient[dict[str, Any]] = MongoClient(uri, serverSelectionTimeoutMS=5000)

    def describe(self) -> str:
        return redact(self.uri)

    def close(self) -> None:
        self.client.close()

    def ping(self) -> None:
        try:
            self.client.admin.command("ping")
        except PyMongoError as error:
            raise CopyError(f"{self.describe()} does not answer: {error}") from error

    def _collection(self, database: str, collection: str) -> Any:
        return self.client[database].get_collection(collection, codec_options=RAW)

    def databases(self) -> list[str]:
        return user_databases(self.client.list_database_names())

    def collections(self, database: str) -> list[str]:
        return user_collections(self.client[database].list_collection_names())

    def indexes(self, database: str, collection: str) -> list[dict[str, Any]]:
        return secondary_indexes(self.client[database][collection].list_indexes())

    def count(self, database: str, collection: str) -> int:
        return self._collection(database, collection).count_documents({})

    def batches(self, database: str, collection: str) -> Iterator[list[RawBSONDocument]]:
        cursor = self._collection(database, collection).find({}, batch_size=BATCH_SIZE)
        batch: list[RawBSONDocument] = []
        for document in cursor:
            batch.append(document)
            if len(batch) == BATCH_SIZE:
                yield batch
                batch = []
        if batch:
            yield batch

    def find(self, database: str, collection: str, ids: list[Any]) -> dict[Any, dict[str, Any]]:
        found = self._collection(database, collection).find({"_id": {"$in": ids}})
        return {decoded["_id"]: decoded for decoded in map(decode, found)}

    def holds_documents(self, databases: Iterable[str]) -> list[str]:
        present = set(self.databases())
        return [
            f"{database}.{collection}"
            for database in databases
            if database in present
            for collection in self.collections(database)
            if self._collection(database, collection).find_one({}, projection={"_id": 1})
        ]

    def drop(self, database: str) -> None:
        self.client.drop_database(database)

    def create_collection(self, database: str, collection: str) -> None:
        if collection not in self.client[database].list_collection_names():
            self.client[database].create_collection(collection)

    def create_index(self, database: str, collection: str, index: dict[str, Any]) -> str | None:
        """Creates one index (one per command: FerretDB v1 mishandles several). Returns a
        warning when an option had to be left out or the index could not be created."""
        plain = self.client[database][collection]
        name = f"{database}.{collection} index {index['name']}"
        options = {k: v for k, v in index.items() if k not in ("key", "v", "ns")}
        try:
            plain.create_index(list(index["key"].items()), **options)
            return None
        except OperationFailure as error:
            refused = error
        dropped = sorted(set(index) - PORTABLE_INDEX_FIELDS - {"ns"})
        if refused.code != NOT_IMPLEMENTED or not dropped:
            return f"{name} NOT created: {refused.details and refused.details.get('errmsg')}"
        portable = {k: v for k, v in options.items() if k in PORTABLE_INDEX_FIELDS}
        try:
            plain.create_index(list(index["key"].items()), **portable)
        except OperationFailure as error:
            return f"{name} NOT created ({', '.join(dropped)} unsupported here, and without: {error.details and error.details.get('errmsg')})"
        return f"{name} created WITHOUT {', '.join(dropped)} (the target does not support it)"

    def insert(self, database: str, collection: str, documents: list[RawBSONDocument]) -> None:
        self._collection(database, collection).insert_many(documents, ordered=True)


def decode(document: RawBSONDocument) -> dict[str, Any]:
    return bson.decode(document.raw, codec_options=DECODED)


def redact(uri: str) -> str:
    """The URI without its password, for messages and manifests."""
    scheme, _, rest = uri.partition("://")
    credentials, at, hosts = rest.rpartition("@")
    if not at:
        return uri
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:***@{hosts}"


class Progress:
    """One line per collection: rewritten in place on a terminal, printed once otherwise."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.live = out.isatty()
        self.shown_at = 0.0

    def update(self, label: str, done: int, total: int, *, final: bool = False) -> None:
        if not (final or self.live) or (not final and time.monotonic() - self.shown_at < 0.2):
            return
        self.shown_at = time.monotonic()
        percent = f"{100 * done // total:3d}%" if total else "100%"
        line = f"  {label:<48} {done:>10,}/{total:,} documents {percent}"
        self.out.write(("\r" if self.live else "") + line + ("\n" if final else ""))
        self.out.flush()


@dataclass
class CollectionReport:
    database: str
    collection: str
    copied: int
    indexes: list[dict[str, Any]]
    sample_ids: list[Any] = field(default_factory=list)


@dataclass
class CopyReport:
    collections: list[CollectionReport] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)

    @property
    def documents(self) -> int:
        return sum(c.copied for c in self.collections)


def check_target(source: Source, target: Target, databases: Sequence[str], force: bool) -> None:
    """Refuses to write into databases that hold data, unless forced (then drops them)."""
    occupied = target.holds_documents(databases)
    if occupied and not force:
        shown = ", ".join(occupied[:5]) + (" ..." if len(occupied) > 5 else "")
        raise TargetNotEmpty(
            f"{target.describe()} already holds documents ({shown}). Copying into it would "
            "mix two data sets; use --force (FORCE=1) to replace the databases it copies."
        )
    if force:
        for database in databases:
            target.drop(database)


def copy_collection(
    source: Source, target: Target, database: str, collection: str, progress: Progress
) -> CollectionReport:
    label = f"{database}.{collection}"
    total = source.count(database, collection)
    target.create_collection(database, collection)
    copied, ids = 0, list[Any]()
    progress.update(label, 0, total)
    for batch in source.batches(database, collection):
        target.insert(database, collection, batch)
        ids.extend(document["_id"] for document in batch)
        copied += len(batch)
        progress.update(label, copied, max(total, copied))
    progress.update(label, copied, max(total, copied), final=True)
    return CollectionReport(
        database, collection, copied, source.indexes(database, collection), evenly_spaced(ids)
    )


def evenly_spaced(ids: list[Any], size: int = SAMPLE_SIZE) -> list[Any]:
    if len(ids) <= size:
        return ids
    step = len(ids) / size
    return [ids[int(i * step)] for i in range(size)]


# Which collections of a database to copy, in which order (default: all, by name).
Plan = Callable[[list[str]], list[str]]


def copy_all(
    source: Source,
    target: Target,
    *,
    force: bool = False,
    out: TextIO = sys.stderr,
    plan: Plan = sorted,
) -> CopyReport:
    """Copies every database of `source` with its collections (those `plan` picks, in its
    order), documents and indexes. Indexes are created after the documents (faster, and a
    unique index that the data violates is reported instead of stopping the copy half-way)."""
    databases = source.databases()
    check_target(source, target, databases, force)
    report = CopyReport()
    progress = Progress(out)
    for database in databases:
        for collection in plan(source.collections(database)):
            copied = copy_collection(source, target, database, collection, progress)
            report.collections.append(copied)
            for index in copied.indexes:
                if warning := target.create_index(database, collection, index):
                    report.warnings.append(warning)
    return report


def verify(source: Source, target: Target, report: CopyReport) -> list[str]:
    """Counts per collection, and a sample of up to SAMPLE_SIZE documents compared field by
    field. Returns what differs (empty when the copy is faithful)."""
    mismatches: list[str] = []
    for copied in report.collections:
        where = (copied.database, copied.collection)
        name = ".".join(where)
        expected, found = source.count(*where), target.count(*where)
        if expected != found:
            mismatches.append(f"{name}: {expected} documents in the source, {found} in the target")
        wanted = source.find(*where, copied.sample_ids)
        got = target.find(*where, copied.sample_ids)
        for document_id, document in wanted.items():
            if got.get(document_id) != document:
                fields = differing_fields(document, got.get(document_id))
                mismatches.append(f"{name} _id={document_id!r}: differs in {fields}")
        wanted_names = {i["name"] for i in copied.indexes}
        missing = wanted_names - {i["name"] for i in target.indexes(*where)}
        mismatches += [f"{name}: index {index} is missing" for index in sorted(missing)]
    report.mismatches = mismatches
    return mismatches


def differing_fields(wanted: dict[str, Any], got: dict[str, Any] | None) -> str:
    if got is None:
        return "everything (missing in the target)"
    keys = sorted({*wanted, *got}, key=str)
    return ", ".join(k for k in keys if wanted.get(k) != got.get(k)) or "field order"


def print_summary(report: CopyReport, out: TextIO) -> None:
    out.write(f"Copied {report.documents:,} documents in {len(report.collections)} collections.\n")
    for warning in report.warnings:
        out.write(f"WARNING: {warning}\n")
    for mismatch in report.mismatches:
        out.write(f"MISMATCH: {mismatch}\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m platform_common.store_copy",
        description="Copy every database (but admin/local/config), collection, document and "
        "index from one MongoDB-wire server to another, then verify counts and a sample.",
    )
    # Defaults from the environment, so a password in a URI need not be an argument (ps).
    parser.add_argument(
        "source",
        metavar="FROM",
        nargs="?",
        default=os.environ.get("FROM"),
        help="source URI, e.g. mongodb://127.0.0.1:27017 (default: $FROM)",
    )
    parser.add_argument(
        "target",
        metavar="TO",
        nargs="?",
        default=os.environ.get("TO"),
        help="target URI, e.g. mongodb+srv://user@cluster.example.net (default: $TO)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace the databases being copied when the target already holds them",
    )
    arguments = parser.parse_args(argv)
    if not (arguments.source and arguments.target):
        parser.error("name both stores: FROM and TO (arguments or environment variables)")
    source, target = ServerStore(arguments.source), ServerStore(arguments.target)
    try:
        source.ping()
        target.ping()
        print(f"Copying {source.describe()} -> {target.describe()}", file=sys.stderr)
        report = copy_all(source, target, force=arguments.force)
        print("Verifying counts and a sample of each collection...", file=sys.stderr)
        verify(source, target, report)
    except CopyError as error:
        print(f"error: {error}", file=sys.stderr)
        return error.exit_code
    finally:
        source.close()
        target.close()
    print_summary(report, sys.stderr)
    return EXIT_MISMATCH if report.mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
