"""Sealed payloads (issue 18, items 2 and 6): every payload the product's clients and worker send to Temporal
is encrypted and authenticated with AES-256-GCM under a key of the deployment's key ring.

- **Personal data**: names, holders, comments and reasons sit in workflow inputs, updates, activity arguments
  and results. Sealed, Temporal's histories, its SQLite file and its Web UI hold only ciphertext.
- **Who is speaking**: authenticated encryption is the signature. A payload that was not sealed with a key of
  the ring (an update forged by anyone who reaches the Temporal port without the key) does not decode: the
  codec hands the workflow a *refused* payload, which no converter reads, so the update's arguments fail to
  convert and the update is rejected before its validator — nothing is recorded, and the workflow task does
  not fail (the case keeps taking proper inputs). A codec that raised instead would fail the whole workflow
  task, and with it every input of the case until the forged update went away.

Each sealed payload names its key (``minecase-key-id``, a fingerprint of the key, never the key): new payloads
are sealed with the ring's first key, and every key of the ring opens what it sealed, so keys can rotate.

Plaintext payloads are refused unless the ring accepts them (``MINECASE_PAYLOAD_ACCEPT_PLAINTEXT``): cases
started before the codec have plaintext histories their worker must replay. Even then they are read marked
(``UNSEALED``): the case workflow refuses a marked message as a new input (its validators, and a start that is not
a replay), so only replays take them. See docs/security.md.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import functools
import hashlib
import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import structlog
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pydantic import BaseModel
from temporalio.api.common.v1 import Payload
from temporalio.contrib.pydantic import PydanticPayloadConverter, pydantic_data_converter
from temporalio.converter import (
    CompositePayloadConverter,
    DataConverter,
    DefaultFailureConverterWithEncodedAttributes,
    EncodingPayloadConverter,
    PayloadCodec,
)

from models.errors import MinecaseError

log = structlog.get_logger("minecase.payloads")

SEALED = b"binary/minecase-aes256gcm"
"""The encoding of a sealed payload: 12-byte nonce + AES-256-GCM of the original payload (protobuf)."""
REFUSED = b"binary/minecase-refused"
"""What an unsealed or unopenable payload decodes to: no converter reads it, so its value is never used."""
KEY_ID = "minecase-key-id"
NONCE_BYTES = 12
KEY_FILE_NAME = "payload.key"
PLAINTEXT_MARKER = "payload-plaintext-cases"
"""In the data dir: the key was made for a data dir whose Temporal already held cases (sealed plaintext)."""


class PayloadKeyError(MinecaseError):
    """A payload key that cannot be used (not base64, not 32 bytes, an unreadable key file)."""


def key_id(key: bytes) -> str:
    """A key's public name: 16 hex digits of a hash of it (tells keys apart, reveals nothing of the key)."""
    return hashlib.sha256(b"minecase payload key id\x00" + key).hexdigest()[:16]


def parse_key(text: str) -> bytes:
    """A key as written in settings or a key file: 32 random bytes in base64 (standard or URL-safe)."""
    value = text.strip()
    try:
        key = base64.b64decode(value + "=" * (-len(value) % 4), altchars=b"-_" if ("-" in value or "_" in value) else None,
                               validate=True)
    except (binascii.Error, ValueError):
        raise PayloadKeyError("负载密钥应为 base64 编码的 32 字节（openssl rand -base64 32）",
                              "a payload key is 32 bytes in base64 (openssl rand -base64 32)") from None
    if len(key) != 32:
        raise PayloadKeyError(f"负载密钥应为 32 字节，而不是 {len(key)} 字节（openssl rand -base64 32）",
                              f"a payload key is 32 bytes, not {len(key)} (openssl rand -base64 32)")
    return key


def new_key_text() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


@dataclass(frozen=True)
class KeyRing:
    """The deployment's payload keys: the first seals, all open. ``accept_plaintext`` lets unsealed payloads
    through (cases started before the codec; never set it without such cases)."""

    keys: tuple[bytes, ...]
    accept_plaintext: bool = False
    created: Path | None = dataclasses.field(default=None, compare=False)
    """The key file this ring's loading made (first run), if it did."""

    def __post_init__(self) -> None:
        if not self.keys:
            raise PayloadKeyError("没有负载密钥", "no payload key")

    @property
    def current_id(self) -> str:
        return key_id(self.keys[0])

    @property
    def ids(self) -> list[str]:
        return [key_id(k) for k in self.keys]

    def seal(self, payload: Payload) -> Payload:
        key = self.keys[0]
        kid = key_id(key)
        nonce = secrets.token_bytes(NONCE_BYTES)
        sealed = AESGCM(key).encrypt(nonce, payload.SerializeToString(), _aad(kid))
        return Payload(metadata={"encoding": SEALED, KEY_ID: kid.encode()}, data=nonce + sealed)

    def open(self, payload: Payload) -> Payload | None:
        """The original payload, or ``None`` when it is not sealed with a key of this ring (or was altered)."""
        if payload.metadata.get("encoding") != SEALED:
            return None
        kid = payload.metadata.get(KEY_ID, b"").decode(errors="replace")
        key = next((k for k in self.keys if key_id(k) == kid), None)
        if key is None or len(payload.data) <= NONCE_BYTES:
            return None
        try:
            plain = AESGCM(key).decrypt(payload.data[:NONCE_BYTES], payload.data[NONCE_BYTES:], _aad(kid))
        except InvalidTag:
            return None
        return Payload.FromString(plain)


def _aad(kid: str) -> bytes:
    return b"minecase-payload-v1:" + kid.encode()


def refused(reason: str) -> Payload:
    return Payload(metadata={"encoding": REFUSED, "minecase-refused": reason.encode()})


class SealedPayloadCodec(PayloadCodec):
    """Temporal's payload codec over a ``KeyRing``. Decoding never raises: what cannot be opened becomes a
    refused payload (see the module's text for why)."""

    def __init__(self, ring: KeyRing) -> None:
        self.ring = ring

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self.ring.seal(p) for p in payloads]

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self.decode_one(p) for p in payloads]

    def decode_one(self, payload: Payload) -> Payload:
        encoding = payload.metadata.get("encoding")
        if encoding == SEALED:
            opened = self.ring.open(payload)
            return opened if opened is not None else refused("not sealed with a known key")
        if encoding == REFUSED:
            return payload
        if not self.ring.accept_plaintext:
            return refused("plaintext")
        if encoding == b"json/plain":
            return Payload(metadata={**payload.metadata, "encoding": UNSEALED}, data=payload.data)
        return payload


UNSEALED = b"json/minecase-unsealed"
"""A plaintext JSON payload let through by a ring that accepts plaintext: read as JSON, and the message it makes
is marked (``_unsealed``), so that the case workflow refuses it as a new input while still replaying it."""


class _UnsealedJSON(EncodingPayloadConverter):
    def __init__(self, json: EncodingPayloadConverter) -> None:
        self.json = json

    @property
    def encoding(self) -> str:
        return UNSEALED.decode()

    def to_payload(self, value: Any) -> Payload | None:
        return None  # never written: only what the codec let through is read this way

    def from_payload(self, payload: Payload, type_hint: type | None = None) -> Any:
        plain = Payload(metadata={**payload.metadata, "encoding": b"json/plain"}, data=payload.data)
        value = self.json.from_payload(plain, type_hint)
        if isinstance(value, BaseModel) and "_unsealed" in type(value).__private_attributes__:
            value._unsealed = True  # type: ignore[attr-defined]  # a PrivateAttr of models.messages
        return value


class SealedPayloadConverter(CompositePayloadConverter):
    """Pydantic JSON, and JSON the codec let through unsealed (``UNSEALED``), marked as such."""

    def __init__(self) -> None:
        super().__init__(*_sealed_converters())


@functools.cache
def _sealed_converters() -> tuple[EncodingPayloadConverter, ...]:
    """The converters, built once: the SDK makes a new payload converter for every workflow activation (a data converter
    with the activation's context, whose ``__post_init__`` instantiates the class), and building the pydantic ones each
    time was 3–4 % of a worker's Python time (issue 16). They hold no state of a conversion."""
    pydantic = PydanticPayloadConverter()
    return (*pydantic.converters.values(), _UnsealedJSON(pydantic.converters[b"json/plain"]))


def data_converter(ring: KeyRing | None) -> DataConverter:
    """The product's data converter: pydantic JSON, sealed by the ring's codec; failure messages and stack
    traces are sealed too (they may quote a name). ``None``: plain pydantic JSON (recorded histories, tools)."""
    if ring is None:
        return pydantic_data_converter
    return dataclasses.replace(pydantic_data_converter, payload_converter_class=SealedPayloadConverter,
                               payload_codec=SealedPayloadCodec(ring),
                               failure_converter_class=DefaultFailureConverterWithEncodedAttributes)


# -- the deployment's key ring --------------------------------------------------------------------


def create_private_file(path: Path, content: bytes) -> bool:
    """Write ``content`` to a new file with mode 0600, atomically; False when the file already exists."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.link(temp, path)  # fails if another process made it first: then theirs is the key
        return True
    except FileExistsError:
        return False
    finally:
        temp.unlink(missing_ok=True)


def read_key_file(path: Path) -> list[bytes]:
    """A key file: one key a line, the sealing key first, older keys after it; ``#`` lines are comments."""
    try:
        lines = path.read_text().splitlines()
    except OSError as error:
        raise PayloadKeyError(f"无法读取负载密钥文件 {path}：{error.strerror}",
                              f"cannot read the payload key file {path}: {error.strerror}") from None
    keys = [parse_key(line) for line in lines if line.strip() and not line.lstrip().startswith("#")]
    if not keys:
        raise PayloadKeyError(f"负载密钥文件 {path} 中没有密钥", f"the payload key file {path} holds no key")
    return keys


def _temporal_has_history(data_dir: Path) -> bool:
    """Whether the embedded server's SQLite file already existed with content (cases from before the codec)."""
    db = data_dir / "temporal.db"
    return db.exists() and db.stat().st_size > 0


def load_keyring(*, payload_key: str | None, payload_old_keys: str | None, payload_key_file: Path | None,
                 accept_plaintext: bool | None, data_dir: Path, may_create: bool = True) -> KeyRing:
    """The key ring from settings: ``payload_key`` (+ ``payload_old_keys``, comma-separated), else the key file
    (``payload_key_file``, default ``<data_dir>/payload.key``, made with a new key and mode 0600 when missing and
    ``may_create``: the embedded default, where every process shares the data dir).

    ``accept_plaintext`` unset: plaintext is accepted only in a data dir whose key was made when its Temporal
    file already held cases (the marker file ``payload-plaintext-cases``), with a warning at every start."""
    old = [parse_key(k) for k in (payload_old_keys or "").split(",") if k.strip()]
    created: Path | None = None
    if payload_key:
        keys = [parse_key(payload_key), *old]
    else:
        path = payload_key_file or data_dir / KEY_FILE_NAME
        if payload_key_file is None and not path.exists() and not may_create:
            raise PayloadKeyError(
                "未设置负载密钥：使用远程 Temporal 时，请为网页、命令行和 worker 设置同一个 MINECASE_PAYLOAD_KEY"
                "（openssl rand -base64 32）",
                "no payload key: with a remote Temporal, give the desk, the CLI and the worker the same "
                "MINECASE_PAYLOAD_KEY (openssl rand -base64 32)")
        if payload_key_file is None and not path.exists():
            had_cases = _temporal_has_history(data_dir)
            if create_private_file(path, f"# minecase payload key (AES-256-GCM); keep it secret and backed up\n"
                                         f"{new_key_text()}\n".encode()):
                created = path
                if had_cases:
                    create_private_file(data_dir / PLAINTEXT_MARKER,
                                        b"cases started before the payload key: their plaintext histories are accepted\n")
        keys = [*read_key_file(path), *old]
    if accept_plaintext is None:
        accept_plaintext = (data_dir / PLAINTEXT_MARKER).exists()
    return KeyRing(tuple(dict.fromkeys(keys)), accept_plaintext=accept_plaintext, created=created)


def log_keyring(ring: KeyRing) -> None:
    """Say at a service's start (``up``, the worker) which key seals, and warn while plaintext is accepted."""
    if ring.created is not None:
        log.warning("payload key created: back it up, no case can be read or replayed without it", file=str(ring.created),
                    key_id=ring.current_id)
    if ring.accept_plaintext:
        log.warning("plaintext payloads read (cases started before the payload key replay them; a new plaintext input "
                    "is still refused, their histories stay in clear); set MINECASE_PAYLOAD_ACCEPT_PLAINTEXT=false once "
                    "those cases have ended (docs/security.md)", key_id=ring.current_id)
    else:
        log.info("payloads sealed", key_id=ring.current_id, keys=len(ring.keys))
