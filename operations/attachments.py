"""Evidence files (issue 14): the attachment store, the content check, and the case's list of files.

Design. A file is uploaded first (``POST /api/cases/{permit}/attachments``): its bytes are sniffed (the type is
what the content is, not what the name says), bounded (``MAX_ATTACHMENT_BYTES``), hashed (SHA-256) and written
to the store content-addressed — ``<data_dir>/attachments/ab/cdef…`` (mode 0600) by default — and a row of
``attachments`` in the case file says whose case it is, its name, type, size, who and when. The upload answers
with an ``AttachmentRef`` (sha256, name, media type, size). The act that rests on the file then names the ref
in its message's ``attachments``: the message, and so the workflow's history, carries the hash, never the bytes.

The workflow does no I/O, so it cannot look for the bytes: the desk (``check_refs``) refuses, before anything
is sent, a ref that is not stored for this case or whose name, type or size differ from the upload. Once the
act is accepted, ``link`` records what the file is attached to (``attachment_links``). The rows are the case
file's, not the workflow's: a case that continues as new keeps them, and ``case_attachments`` lists them for
the dossier (issue 17) with everything a binder needs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs, urlparse

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from casefile.tables import AttachmentLinkRecord, AttachmentRecord
from models.attachments import MAX_ATTACHMENT_BYTES, MEDIA_TYPES, SHA256, AttachmentRef
from models.bounds import echo
from models.errors import MinecaseError

OOXML = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
EXTENSIONS = {
    "application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp",
    OOXML["word/"]: ".docx", OOXML["xl/"]: ".xlsx", OOXML["ppt/"]: ".pptx",
    "application/msword": ".doc", "application/vnd.ms-excel": ".xls",
}


class AttachmentRefused(MinecaseError):
    """A file that may not be stored: too large, empty, or not of an accepted type (422)."""


class AttachmentTooLarge(AttachmentRefused):
    """Over the size limit (413)."""


class AttachmentNotStored(MinecaseError):
    """A ref whose bytes are not stored for this case (422 on an act; 404 on a download)."""


# --- what a file is, by its content ---------------------------------------------------------------------


def sniff(data: bytes, name: str = "") -> str | None:
    """The media type of ``data`` by its first bytes (and, for a ZIP, its members), or None when it is none of
    the accepted kinds. The name decides only between the two legacy Office formats (one container for both)."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
        if "[Content_Types].xml" not in names:
            return None
        for prefix, media_type in OOXML.items():
            if any(n.startswith(prefix) for n in names):
                return media_type
        return None
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # OLE2: .doc or .xls
        return "application/vnd.ms-excel" if name.lower().endswith(".xls") else "application/msword"
    return None


def clean_name(name: str | None, media_type: str) -> str:
    """The file's name as kept: its last path part, no control characters, at most 200 characters."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(c for c in base if c >= " " and c != "\x7f").strip()
    if not base:
        base = "附件" + EXTENSIONS.get(media_type, "")
    return base[-200:]


# --- the store ------------------------------------------------------------------------------------------


class AttachmentStore(Protocol):
    """Where the bytes are, addressed by their SHA-256. ``put`` is idempotent."""

    def put(self, sha256: str, data: bytes) -> None: ...
    def get(self, sha256: str) -> bytes | None: ...
    def has(self, sha256: str) -> bool: ...


class FileStore:
    """``<root>/ab/cdef…``: one file per hash, written whole (temp file, fsync, rename), mode 0600."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        if not SHA256.match(sha256):
            raise AttachmentNotStored("附件哈希无效", "not an attachment hash")
        return self.root / sha256[:2] / sha256[2:]

    def put(self, sha256: str, data: bytes) -> None:
        target = self.path(sha256)
        if target.exists():
            return
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    def get(self, sha256: str) -> bytes | None:
        target = self.path(sha256)
        try:
            data = target.read_bytes()
        except FileNotFoundError:
            return None
        return data if hashlib.sha256(data).hexdigest() == sha256 else None  # a damaged file is no evidence

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()


class S3Store:
    """An S3-compatible bucket (``s3://bucket/prefix?endpoint_url=http://host:port``): objects ``<prefix>/ab/cdef…``.
    Credentials come from the usual environment (``AWS_ACCESS_KEY_ID`` …), never from the URL."""

    def __init__(self, url: str) -> None:
        import boto3

        parsed = urlparse(url)
        query = parse_qs(parsed.query)
        self.bucket = parsed.netloc
        self.prefix = parsed.path.strip("/")
        endpoint = query.get("endpoint_url", [None])[0]
        region = query.get("region", [None])[0]
        self.client = boto3.client("s3", endpoint_url=endpoint, region_name=region)

    def key(self, sha256: str) -> str:
        if not SHA256.match(sha256):
            raise AttachmentNotStored("附件哈希无效", "not an attachment hash")
        return "/".join(p for p in (self.prefix, sha256[:2], sha256[2:]) if p)

    def put(self, sha256: str, data: bytes) -> None:
        if self.has(sha256):
            return
        self.client.put_object(Bucket=self.bucket, Key=self.key(sha256), Body=data,
                               ChecksumAlgorithm="SHA256")

    def get(self, sha256: str) -> bytes | None:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self.key(sha256))
        except self.client.exceptions.NoSuchKey:
            return None
        data: bytes = answer["Body"].read()
        return data if hashlib.sha256(data).hexdigest() == sha256 else None

    def has(self, sha256: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self.key(sha256))
        except ClientError:
            return False
        return True


def open_store(data_dir: Path, url: str | None = None) -> AttachmentStore:
    """The store the settings name: ``MINECASE_ATTACHMENTS_URL`` (``file:///path`` or ``s3://bucket/prefix``), else
    ``<data_dir>/attachments``."""
    if not url:
        return FileStore(Path(data_dir) / "attachments")
    parsed = urlparse(url)
    if parsed.scheme == "file":
        return FileStore(Path(parsed.path))
    if parsed.scheme == "s3":
        return S3Store(url)
    raise MinecaseError(f"不支持的附件存储地址：{echo(url)}", f"unsupported attachment store URL: {echo(url)}")


# --- the case file's rows -------------------------------------------------------------------------------


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def check_upload(filename: str | None, data: bytes) -> tuple[str, str]:
    """(media type, name) of an upload that may be stored; refused when empty, too large or not a PDF, an image or
    an Office document by its content."""
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise AttachmentTooLarge(f"附件 {echo(clean_name(filename, ''))} 超过 {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB",
                                 f"the file {echo(clean_name(filename, ''))} is over {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB")
    if not data:
        raise AttachmentRefused("附件是空文件", "the file is empty")
    media_type = sniff(data, filename or "")
    if media_type is None:
        kinds = "、".join(MEDIA_TYPES.values())
        raise AttachmentRefused(f"不接受此类文件（按内容识别）：{echo(clean_name(filename, ''))}；可上传：{kinds}",
                                f"this kind of file is not accepted (judged by its content): {echo(clean_name(filename, ''))}; "
                                "PDF, images (JPEG, PNG, GIF, WebP) and Office documents only")
    return media_type, clean_name(filename, media_type)


def store_upload(engine: Engine, store: AttachmentStore, permit_no: str, filename: str | None, data: bytes,
                 uploaded_by: str) -> AttachmentRef:
    """Check, store and record one uploaded file; its ref. Refused (nothing stored) by ``check_upload``."""
    return store_uploads(engine, store, permit_no, [(filename, data)], uploaded_by)[0]


def store_uploads(engine: Engine, store: AttachmentStore, permit_no: str, files: list[tuple[str | None, bytes]],
                  uploaded_by: str) -> list[AttachmentRef]:
    """Every file checked first, then all stored and recorded: one refused file stores none of them."""
    checked = [(check_upload(filename, data), data) for filename, data in files]
    refs = []
    for (media_type, name), data in checked:
        sha256 = hashlib.sha256(data).hexdigest()
        store.put(sha256, data)
        with Session(engine) as session:
            row = session.get(AttachmentRecord, (permit_no, sha256))
            if row is None:
                session.add(AttachmentRecord(permit_no=permit_no, sha256=sha256, name=name, media_type=media_type,
                                             size=len(data), uploaded_by=uploaded_by, uploaded_at=_now()))
                session.commit()
                refs.append(AttachmentRef(sha256=sha256, name=name, media_type=media_type, size=len(data)))
            else:  # the same bytes again: the first upload's row and name
                refs.append(AttachmentRef(sha256=sha256, name=row.name, media_type=row.media_type, size=row.size))
    return refs


def check_refs(engine: Engine, store: AttachmentStore, permit_no: str, refs: list[AttachmentRef]) -> None:
    """Refuse (``AttachmentNotStored``) any ref not uploaded to this case, whose bytes are not in the store, or
    whose type or size differ from the upload. Called by the desk before a message is sent."""
    with Session(engine) as session:
        for ref in refs:
            row = session.get(AttachmentRecord, (permit_no, ref.sha256))
            if row is None or not store.has(ref.sha256):
                raise AttachmentNotStored(f"附件 {echo(ref.name)} 未上传到本案件，请先上传",
                                          f"the file {echo(ref.name)} was not uploaded to this case: upload it first")
            if (row.media_type, row.size) != (ref.media_type, ref.size):
                raise AttachmentNotStored(f"附件 {echo(ref.name)} 的类型或大小与上传的不符",
                                          f"the file {echo(ref.name)} differs in type or size from its upload")


def link(engine: Engine, permit_no: str, refs: list[AttachmentRef], attached_to: str, label_zh: str, by: str) -> None:
    """Record that these files are attached to ``attached_to`` (idempotent)."""
    if not refs:
        return
    with Session(engine) as session:
        for ref in refs:
            if session.get(AttachmentLinkRecord, (permit_no, ref.sha256, attached_to)) is None:
                session.add(AttachmentLinkRecord(permit_no=permit_no, sha256=ref.sha256, attached_to=attached_to,
                                                 label_zh=label_zh, by=by, at=_now()))
        session.commit()


def case_attachments(engine: Engine, permit_no: str) -> list[dict[str, Any]]:
    """Every file of a case, oldest first: ``sha256``, ``name``, ``media_type``, ``size``, ``uploaded_by``,
    ``uploaded_at`` and ``attached_to`` (a list of ``{"attached_to", "label_zh", "by", "at"}``; empty when
    uploaded but not yet used). The one function the dossier (issue 17) binds from."""
    with Session(engine) as session:
        rows = session.exec(select(AttachmentRecord).where(AttachmentRecord.permit_no == permit_no)
                            .order_by(AttachmentRecord.uploaded_at, AttachmentRecord.sha256)).all()  # type: ignore[arg-type]
        links = session.exec(select(AttachmentLinkRecord).where(AttachmentLinkRecord.permit_no == permit_no)
                             .order_by(AttachmentLinkRecord.at)).all()  # type: ignore[arg-type]
    uses: dict[str, list[dict[str, Any]]] = {}
    for link_row in links:
        uses.setdefault(link_row.sha256, []).append({"attached_to": link_row.attached_to, "label_zh": link_row.label_zh,
                                                     "by": link_row.by, "at": link_row.at.isoformat()})
    return [{"sha256": r.sha256, "name": r.name, "media_type": r.media_type, "size": r.size,
             "uploaded_by": r.uploaded_by, "uploaded_at": r.uploaded_at.isoformat(),
             "is_image": r.media_type.startswith("image/"), "attached_to": uses.get(r.sha256, [])} for r in rows]


def read_attachment(engine: Engine, store: AttachmentStore, permit_no: str, sha256: str) -> tuple[bytes, dict[str, Any]]:
    """The bytes and the row of one file of a case; ``AttachmentNotStored`` when it is not this case's."""
    sha256 = sha256.lower()
    with Session(engine) as session:
        row = session.get(AttachmentRecord, (permit_no, sha256)) if SHA256.match(sha256) else None
        info = row.model_dump() if row else None
    data = store.get(sha256) if info else None
    if info is None or data is None:
        from operations.cases import CaseNotFound

        raise CaseNotFound("本案没有此附件", "no such file on this case")
    return data, info
