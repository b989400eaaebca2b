"""Evidence files (issue 14): what a message carries of a file — its SHA-256, name, media type and size —
never its bytes. The bytes live in an attachment store (``operations.attachments``), addressed by the hash.

A message that carries evidence (any act: a submission, a review, an acceptance, an inspection, a decision)
names its files in ``attachments``; the desk checks that every named file is stored for the case before the
message is sent (the workflow does no I/O, so it cannot look)."""

from __future__ import annotations

import re

from pydantic import BaseModel, Field, field_validator

from models.bounds import Line

SHA256 = re.compile(r"^[0-9a-f]{64}$")

MEDIA_TYPES: dict[str, str] = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/gif": "GIF",
    "image/webp": "WebP",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word (.docx)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel (.xlsx)",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint (.pptx)",
    "application/msword": "Word 97-2003 (.doc)",
    "application/vnd.ms-excel": "Excel 97-2003 (.xls)",
}
"""The files evidence may be: PDF, images, Office documents. Found by their content, not their name."""

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
"""One file: at most 20 MB."""

MAX_ATTACHMENTS = 20
"""Files one message may carry."""


class AttachmentRef(BaseModel):
    """A stored file as a message names it."""

    sha256: str = Field(min_length=64, max_length=64, description="SHA-256 of the bytes, lowercase hex",
                        json_schema_extra={"pattern": "^[0-9a-fA-F]{64}$"})
    name: Line = Field(min_length=1, max_length=200, description="文件名 the uploaded file's name")
    media_type: str = Field(max_length=100, description="类型 found by content sniffing",
                            json_schema_extra={"enum": list(MEDIA_TYPES)})
    size: int = Field(ge=1, le=MAX_ATTACHMENT_BYTES)

    @field_validator("sha256")
    @classmethod
    def _hex(cls, value: str) -> str:
        value = value.lower()
        if not SHA256.match(value):
            raise ValueError("附件哈希应为 64 位十六进制 / an attachment's sha256 is 64 hex digits")
        return value

    @field_validator("media_type")
    @classmethod
    def _allowed(cls, value: str) -> str:
        if value not in MEDIA_TYPES:
            raise ValueError("不接受此类型的附件 / this kind of file is not accepted")
        return value

    @property
    def is_image(self) -> bool:
        return self.media_type.startswith("image/")
