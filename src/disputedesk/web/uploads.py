"""Evidence from the pages: files stored by the services (checked first, then type sniffed,
size capped, content-addressed) and sent as `submit_evidence`, or a video link."""

from __future__ import annotations

from datetime import datetime
from typing import BinaryIO

from fastapi import Request, UploadFile

from disputedesk.services import commands, evidence_files
from disputedesk.services.commands import ServiceError
from disputedesk.web.render import View


def upload_limit_text(request: Request) -> str:
    limit = request.app.state.settings.max_upload_bytes
    return f"{limit / (1024 * 1024):.0f} MB" if limit >= 1024 * 1024 else f"{limit} B"


def _has_content(upload: UploadFile) -> bool:
    return bool(upload.filename) or bool(upload.size)


def submit(
    request: Request,
    view: View,
    order_id: str,
    *,
    kind: str,
    description: str,
    upload: UploadFile | None,
    link: str,
    at: datetime,
) -> commands.CommandResult:
    """One piece of evidence: a file and/or a link, checked before the file is stored (a
    refused one leaves no file behind). Raises ServiceError for a file that is refused (too
    large, a type we do not accept, empty) or a link that is not http(s)."""
    settings = request.app.state.settings
    file: BinaryIO | None = None
    filename: str | None = None
    if upload is not None and _has_content(upload):
        file, filename = upload.file, upload.filename
    return evidence_files.submit(
        request.app.state.db,
        order_id,
        str(view.role),
        kind=kind,
        description=description,
        link=link.strip() or None,
        file=file,
        filename=filename,
        at=at,
        data_dir=settings.data_dir,
        limit=settings.max_upload_bytes,
        live=True,
    )


def attach_files(
    request: Request,
    view: View,
    order_id: str,
    files: list[UploadFile],
    link: str,
    note: str,
    at: datetime,
) -> str | None:
    """The photos and video link sent with a new dispute, each as buyer evidence. Returns the
    error code of the first refused one (the dispute itself stands), or None."""
    description = note.strip() or "Sent with the dispute"
    work: list[tuple[str, UploadFile | None, str]] = [
        ("video" if (f.content_type or "").startswith("video/") else "photo", f, "")
        for f in files
        if _has_content(f)
    ]
    if link.strip():
        work.append(("video", None, link))
    for kind, upload, one_link in work:
        try:
            result = submit(
                request,
                view,
                order_id,
                kind=kind,
                description=description,
                upload=upload,
                link=one_link,
                at=at,
            )
        except ServiceError as exc:
            return exc.code
        if result.refusal is not None:
            return result.refusal.code.value
    return None
