"""Reading a backup: every member's size and SHA-256 checked against its manifest,
the compressed stream read to its end, without writing anything."""

import gzip
import hashlib
import json
import tarfile
import zlib
from datetime import datetime
from pathlib import Path, PurePosixPath

from .base import (
    CHUNK,
    DATABASE_FILES,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MEDIA,
    OWN_DIRECTORIES,
    BackupError,
    BackupInfo,
)

READ_ERRORS = (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile, OSError)


def read_backup(path):
    """Read the whole backup at `path` without writing anything; return what it holds.

    Every member's size and SHA-256 are checked against the manifest, the
    compressed stream is read to its end (its CRC and length), and nothing
    may be missing or extra. Raises BackupError otherwise.
    """
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No backup file at {path}.")
    found = {}
    manifest_data = None
    for name, chunks in members(path):
        if manifest_data is not None:
            raise BackupError(f"{path} is damaged: {name!r} follows the manifest.")
        if name == MANIFEST:
            manifest_data = b"".join(chunks)
            continue
        digest, size = hashlib.sha256(), 0
        for chunk in chunks:
            digest.update(chunk)
            size += len(chunk)
        found[name] = {"bytes": size, "sha256": digest.hexdigest()}
    if manifest_data is None:
        raise BackupError(f"{path} is not a cxcs backup, or is cut short: it has no {MANIFEST}.")
    info = _parse_manifest(path, manifest_data)
    for name, expected in info.members.items():
        if name not in found:
            raise BackupError(f"{path} is damaged: {name} is missing.")
        actual = found.pop(name)
        if actual["bytes"] != expected["bytes"]:
            raise BackupError(
                f"{path} is damaged: {name} holds {actual['bytes']} bytes, "
                f"the manifest says {expected['bytes']}."
            )
        if actual["sha256"] != expected["sha256"]:
            raise BackupError(f"{path} is damaged: {name} does not match its checksum.")
    if found:
        raise BackupError(f"{path} is damaged: {sorted(found)[0]} is not in its manifest.")
    return info


def members(path):
    """(name, chunks) for each regular file in the archive, then the stream read to its end.

    `chunks` iterates over the member's content, until the next member is asked for.
    """
    try:
        with (
            gzip.open(path, "rb") as stream,
            tarfile.open(fileobj=stream, mode="r|") as archive,
        ):
            for member in archive:
                if not member.isfile():
                    raise BackupError(f"{_damaged(path)}: unexpected entry {member.name!r}.")
                yield member.name, _chunks(path, archive.extractfile(member))
            # tarfile stops at the end-of-archive blocks; the gzip trailer (CRC
            # and length) after them is only checked when the stream is read out.
            while stream.read(CHUNK):
                pass
    except READ_ERRORS as error:
        raise BackupError(f"{_damaged(path)} ({error or type(error).__name__}).") from error


def _chunks(path, content):
    try:
        while chunk := content.read(CHUNK):
            yield chunk
    except READ_ERRORS as error:
        raise BackupError(f"{_damaged(path)} ({error or type(error).__name__}).") from error


def _damaged(path):
    return f"{path} is not a cxcs backup or is damaged"


def _parse_manifest(path, data):
    not_a_backup = f"{path} is not a cxcs backup"
    try:
        manifest = json.loads(data.decode("utf-8"))
        if manifest["format"] != FORMAT:
            raise ValueError(f"format {manifest['format']!r}")
        version = int(manifest["format_version"])
    except (ValueError, KeyError, TypeError) as error:
        raise BackupError(f"{not_a_backup}: its {MANIFEST} is not valid ({error}).") from error
    if version > FORMAT_VERSION:
        raise BackupError(f"{path} was made by a newer cxcs (format {version}); upgrade first.")
    if version < FORMAT_VERSION:
        raise BackupError(
            f"{path} was made by an older cxcs (format {version}), without checksums to verify "
            "it by; restore it with the version that made it."
        )
    try:
        database = manifest["database"]
        listed = {
            str(name): {"bytes": int(member["bytes"]), "sha256": str(member["sha256"])}
            for name, member in manifest["members"].items()
        }
        info = BackupInfo(
            Path(path),
            datetime.fromisoformat(manifest["created_at"]),
            str(database["vendor"]),
            int(database["bytes"]),
            int(manifest["media"]["files"]),
            int(manifest["media"]["bytes"]),
            frozenset(map(str, database["migrations"])),
            listed,
        )
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise BackupError(f"{not_a_backup}: its {MANIFEST} is not valid ({error}).") from error
    _check_listing(path, info)
    return info


def _check_listing(path, info):
    """Refuse a manifest whose members are not those of a backup, or disagree with its totals."""
    if info.vendor not in DATABASE_FILES:
        raise BackupError(f"{path} holds a {info.vendor} database, which cxcs cannot restore.")
    for name in info.members:
        if not _is_member_name(name, info.vendor):
            raise BackupError(f"{path} is not a cxcs backup: unexpected entry {name!r}.")
    database_member = info.members.get(DATABASE_FILES[info.vendor])
    if database_member is None or database_member["bytes"] != info.database_bytes:
        raise BackupError(f"{path} is damaged: its manifest does not list its database.")
    media = [member for name, member in info.members.items() if name.startswith(f"{MEDIA}/")]
    if len(media) != info.media_files or sum(m["bytes"] for m in media) != info.media_bytes:
        raise BackupError(
            f"{path} is damaged: {len(media)} media files, the manifest says {info.media_files}."
        )


def _is_member_name(name, vendor):
    if name == DATABASE_FILES[vendor]:
        return True
    parts = PurePosixPath(name).parts
    return (
        len(parts) > 1
        and parts[0] == MEDIA
        and "/".join(parts) == name
        and not any(part in ("", ".", "..") for part in parts)
        and parts[1] not in OWN_DIRECTORIES
    )
