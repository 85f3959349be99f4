"""Backups of the embedded store taken through the wire protocol, and restoring them
(`make backup`, `make restore`; production backs MongoDB up with its own tools:
docs/deploy/backups.md).

A backup is a folder `<UTC timestamp>/` laid out as `mongodump` lays out a directory dump
(`<db>/<collection>.bson` of concatenated BSON documents, `<db>/<collection>.metadata.json`
with the indexes), so `mongorestore` can load it into MongoDB too, plus `manifest.json`: per
collection the document count, the indexes and the SHA-256 of its `.bson` file. It is written
under `<timestamp>.partial/` and renamed when complete, so a folder without that suffix is a
whole backup. Restoring checks every checksum and count before it drops anything.

Reading and writing collections is `platform_common.store_copy`'s: a backup is a copy from
the server into a `BackupFolder`, a restore a copy from a `BackupFolder` into the server.
"""

import argparse
import hashlib
import sys
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, TextIO

import bson
from bson import json_util
from bson.raw_bson import RawBSONDocument

from platform_common.store_copy import (
    BATCH_SIZE,
    EXIT_MISMATCH,
    RAW,
    CopyError,
    ServerStore,
    copy_all,
    decode,
    print_summary,
    redact,
    verify,
)

FORMAT = 1
# An online backup reads collections one after another while core-api writes. Tasks are
# read before core-api's write intents, and those before the audit log: a task write the
# backup caught half-way then has its audit entry or its intent in the backup, and core-api
# repairs the intent when it starts on the restored data (core_api/recovery.py). Left out:
# the statistics rollups, derived from the tasks and off by the writes made while the
# backup ran (core-api rebuilds missing rollups at start-up), and the version claims, which
# only matter to writers in flight (a restored store has none; one caught without its
# intent would refuse the next edit of its task).
READ_FIRST = ("tasks", "write_intents", "audit")
LEFT_OUT = frozenset({"stats_projects", "stats_days", "version_claims"})
MANIFEST = "manifest.json"
EXIT_REFUSED = 2
JSON_OPTIONS = json_util.JSONOptions(json_mode=json_util.JSONMode.RELAXED)


class BackupError(CopyError):
    exit_code = EXIT_REFUSED


def timestamp(now: datetime) -> str:
    return now.strftime("%Y%m%dT%H%M%SZ")


class BackupFolder:
    """A backup folder as a copy target (while it is being written) or source (restoring)."""

    def __init__(self, path: Path, manifest: dict[str, Any]) -> None:
        self.path = path
        self.manifest = manifest
        self._open: dict[tuple[str, str], tuple[IO[bytes], Any]] = {}

    @classmethod
    def create(cls, parent: Path, source: str, now: datetime | None = None) -> "BackupFolder":
        now = now or datetime.now(UTC)
        path = parent / f"{timestamp(now)}.partial"
        path.mkdir(parents=True)
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "source": redact(source),
            "collections": {},
        }
        return cls(path, manifest)

    @classmethod
    def open(cls, path: Path) -> "BackupFolder":
        manifest_file = path / MANIFEST
        if not manifest_file.is_file():
            raise BackupError(f"{path} is not a backup (no {MANIFEST}; was it complete?)")
        manifest = json_util.loads(manifest_file.read_text(), json_options=JSON_OPTIONS)
        if manifest.get("format") != FORMAT:
            raise BackupError(f"{path}: unknown backup format {manifest.get('format')!r}")
        return cls(path, manifest)

    def describe(self) -> str:
        return str(self.path)

    # As a source (restore).

    def _entry(self, database: str, collection: str) -> dict[str, Any]:
        entry: dict[str, Any] = self.manifest["collections"][f"{database}.{collection}"]
        return entry

    def _file(self, database: str, collection: str) -> Path:
        return self.path / database / f"{collection}.bson"

    def databases(self) -> list[str]:
        return sorted({e["database"] for e in self.manifest["collections"].values()})

    def collections(self, database: str) -> list[str]:
        entries = self.manifest["collections"].values()
        return sorted(e["collection"] for e in entries if e["database"] == database)

    def indexes(self, database: str, collection: str) -> list[dict[str, Any]]:
        return list(self._entry(database, collection)["indexes"])

    def count(self, database: str, collection: str) -> int:
        return int(self._entry(database, collection)["count"])

    def _documents(self, database: str, collection: str) -> Iterator[RawBSONDocument]:
        with self._file(database, collection).open("rb") as file:
            yield from bson.decode_file_iter(file, codec_options=RAW)

    def batches(self, database: str, collection: str) -> Iterator[list[RawBSONDocument]]:
        batch: list[RawBSONDocument] = []
        for document in self._documents(database, collection):
            batch.append(document)
            if len(batch) == BATCH_SIZE:
                yield batch
                batch = []
        if batch:
            yield batch

    def find(self, database: str, collection: str, ids: list[Any]) -> dict[Any, dict[str, Any]]:
        keys = {_key(i) for i in ids}
        return {
            document["_id"]: decode(document)
            for document in self._documents(database, collection)
            if _key(document["_id"]) in keys
        }

    def check(self) -> None:
        """Every collection file is whole: its checksum and document count are the
        manifest's. Raises BackupError naming the first that is not."""
        for name, entry in self.manifest["collections"].items():
            file = self._file(entry["database"], entry["collection"])
            if not file.is_file():
                raise BackupError(f"{self.path}: {name} is missing ({file.name})")
            if sha256_of(file) != entry["sha256"]:
                raise BackupError(f"{self.path}: {name} does not match its checksum")
            found = sum(1 for _ in self._documents(entry["database"], entry["collection"]))
            if found != entry["count"]:
                raise BackupError(
                    f"{self.path}: {name} holds {found} documents, not {entry['count']}"
                )

    # As a target (backup).

    def holds_documents(self, databases: Iterable[str]) -> list[str]:
        return []

    def drop(self, database: str) -> None:
        return None

    def create_collection(self, database: str, collection: str) -> None:
        (self.path / database).mkdir(exist_ok=True)
        file = self._file(database, collection).open("xb")
        self._open[(database, collection)] = (file, hashlib.sha256())
        self.manifest["collections"][f"{database}.{collection}"] = {
            "database": database,
            "collection": collection,
            "count": 0,
            "indexes": [],
        }

    def insert(self, database: str, collection: str, documents: list[RawBSONDocument]) -> None:
        file, digest = self._open[(database, collection)]
        for document in documents:
            file.write(document.raw)
            digest.update(document.raw)
        self._entry(database, collection)["count"] += len(documents)

    def create_index(self, database: str, collection: str, index: dict[str, Any]) -> str | None:
        self._entry(database, collection)["indexes"].append(index)
        return None

    def finish(self) -> Path:
        """Closes the files, writes the manifest and mongorestore's metadata, and gives the
        folder its final name."""
        for (database, collection), (file, digest) in self._open.items():
            file.close()
            entry = self._entry(database, collection)
            entry["sha256"] = digest.hexdigest()
            metadata = {
                "collectionName": collection,
                "indexes": [{"v": 2, "key": {"_id": 1}, "name": "_id_"}, *entry["indexes"]],
            }
            metadata_file = self.path / database / f"{collection}.metadata.json"
            metadata_file.write_text(json_util.dumps(metadata, json_options=JSON_OPTIONS))
        self.manifest["documents"] = sum(e["count"] for e in self.manifest["collections"].values())
        (self.path / MANIFEST).write_text(
            json_util.dumps(self.manifest, json_options=JSON_OPTIONS, indent=2)
        )
        final = self.path.with_name(self.path.name.removesuffix(".partial"))
        self.path.rename(final)
        self.path = final
        return final


def _key(value: Any) -> bytes:
    """A hashable, exact form of any `_id` (dicts and lists included)."""
    return bson.encode({"_id": value})


def sha256_of(file: Path) -> str:
    digest = hashlib.sha256()
    with file.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def backup_plan(collections: list[str]) -> list[str]:
    """The collections a backup reads, in the order it reads them (see READ_FIRST)."""
    kept = [c for c in collections if c not in LEFT_OUT]
    first = [c for c in READ_FIRST if c in kept]
    return first + sorted(set(kept) - set(first))


def backup(uri: str, parent: Path, out: TextIO = sys.stderr) -> Path:
    """Copies every database of the server at `uri` into a new folder under `parent`."""
    server = ServerStore(uri)
    try:
        server.ping()
        folder = BackupFolder.create(parent, uri)
        print(f"Backing up {server.describe()} into {folder.path.parent}/", file=out)
        report = copy_all(server, folder, out=out, plan=backup_plan)
        path = folder.finish()
    finally:
        server.close()
    BackupFolder.open(path).check()
    print_summary(report, out)
    return path


def restore(
    uri: str, path: Path, *, confirmed: bool, out: TextIO = sys.stderr, ask: Any = input
) -> int:
    """Replaces the backed-up databases on the server at `uri` with the backup's content,
    after checking the backup and asking (unless `confirmed`). Returns the exit code."""
    folder = BackupFolder.open(path)
    folder.check()
    server = ServerStore(uri)
    try:
        server.ping()
        databases = folder.databases()
        question = (
            f"Restore {path} (taken {folder.manifest['created_at']}, "
            f"{folder.manifest['documents']:,} documents) into {server.describe()}?\n"
            f"This DROPS {', '.join(databases)} there first. Type 'restore' to go on: "
        )
        if not confirmed and not _agreed(question, ask, out):
            print("Nothing was changed.", file=out)
            return EXIT_REFUSED
        report = copy_all(folder, server, force=True, out=out)
        verify(folder, server, report)
    finally:
        server.close()
    print_summary(report, out)
    return EXIT_MISMATCH if report.mismatches else 0


def _agreed(question: str, ask: Any, out: TextIO) -> bool:
    if not sys.stdin.isatty() and ask is input:
        print("Refusing to restore without confirmation: pass --yes (YES=1).", file=out)
        return False
    try:
        return bool(ask(question).strip() == "restore")
    except EOFError:
        return False


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m platform_common.store_backup")
    commands = parser.add_subparsers(dest="command", required=True)
    take = commands.add_parser("backup", help="write a backup folder of every database")
    take.add_argument("--uri", required=True)
    take.add_argument("--into", type=Path, required=True, help="parent folder of backups")
    put = commands.add_parser("restore", help="replace the backed-up databases with a backup")
    put.add_argument("--uri", required=True)
    put.add_argument("backup", type=Path, help="a backup folder (with manifest.json)")
    put.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    arguments = parser.parse_args(argv)
    try:
        if arguments.command == "backup":
            print(backup(arguments.uri, arguments.into))
            return 0
        return restore(arguments.uri, arguments.backup, confirmed=arguments.yes)
    except CopyError as error:
        print(f"error: {error}", file=sys.stderr)
        return error.exit_code


if __name__ == "__main__":
    sys.exit(main())
