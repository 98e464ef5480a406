"""Evidence from the pages: files stored by the services (checked first, then type sniffed,
size capped, content-addressed) and sent as `submit_evidence`, or a video link.

Forms tell the truth: every file of a form is checked (size, type, not empty) and every typed
field against its limit before anything is sent, so a refused file refuses the whole form (a
dispute is never opened with its photos refused), and the reason names the file or the field
and its limit in words ("20 MB", "at most 5,000 characters")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

from fastapi import Request, UploadFile

from disputedesk.api.edge import human_bytes
from disputedesk.services import commands, evidence_files, permissions
from disputedesk.services.commands import ServiceError
from disputedesk.web.render import View

# The typed fields of the desk's evidence and dispute forms, and their limits in characters.
DESCRIPTION_LIMIT = 5000
NOTE_LIMIT = 5000
LINK_LIMIT = 2000
SNIFF_BYTES = 8192


def upload_limit_text(request: Request) -> str:
    """The largest file a form takes, in words: "20 MB"."""
    return human_bytes(int(request.app.state.settings.max_upload_bytes))


def _has_content(upload: UploadFile) -> bool:
    return bool(upload.filename) or bool(upload.size)


@dataclass(frozen=True, slots=True)
class FormRefusal:
    """Why a form is refused, in the reader's words, and the page's status."""

    message: str
    status: int = 422


class Refused(Exception):
    def __init__(self, refusal: FormRefusal) -> None:
        super().__init__(refusal.message)
        self.refusal = refusal


def too_long(view: View, values: dict[str, str], limits: dict[str, int]) -> FormRefusal | None:
    """The first field longer than its limit, in words: "“Note” is too long: at most 5,000
    characters (this one has 5,012)."; None when every field fits."""
    for name, limit in limits.items():
        length = len(values.get(name) or "")
        if length > limit:
            return FormRefusal(
                view.t(
                    "check.too_long",
                    field=view.t(f"check.field.{name}"),
                    limit=f"{limit:,}",
                    length=f"{length:,}",
                )
            )
    return None


def _file_name(view: View, upload: UploadFile) -> str:
    return evidence_files.clean_filename(upload.filename) or view.t("check.this_file")


def check_file(view: View, upload: UploadFile, limit: int) -> str:
    """Read an upload through once (nothing is written) and say whether it would be taken:
    its sniffed content type, or `Refused` naming the file (too large, empty, a type we do not
    accept). The stream is back at its start afterwards."""
    stream = upload.file
    stream.seek(0)
    size = 0
    head = b""
    while chunk := stream.read(1024 * 1024):
        size += len(chunk)
        if size > limit:
            stream.seek(0)
            message = view.t(
                "check.file_too_large", name=_file_name(view, upload), limit=human_bytes(limit)
            )
            raise Refused(FormRefusal(message, 413))
        if len(head) < SNIFF_BYTES:
            head += chunk[: SNIFF_BYTES - len(head)]
    stream.seek(0)
    if size == 0:
        raise Refused(FormRefusal(view.t("check.file_empty", name=_file_name(view, upload))))
    content_type = evidence_files.sniff(head)
    if content_type is None:
        message = view.t("check.file_type", name=_file_name(view, upload))
        raise Refused(FormRefusal(message, 415))
    return content_type


def check_link(view: View, link: str) -> None:
    """A link must be a web address (http:// or https://); `Refused` otherwise."""
    link = link.strip()
    if link and not link.lower().startswith(("http://", "https://")):
        raise Refused(FormRefusal(view.t("check.link")))


def remember_evidence_form(request: Request, *, kind: str, description: str, link: str) -> None:
    """What was typed in the dispute page's evidence form: a refused form shows it again."""
    request.state.evidence_form = {"kind": kind, "description": description, "link": link}


def evidence_refusal(
    request: Request,
    view: View,
    *,
    description: str,
    upload: UploadFile | None,
    link: str,
) -> FormRefusal | None:
    """Why the dispute page's evidence form cannot be sent as it is, or None: a description
    is required (evidence says what it shows), the fields fit their limits, the link is a web
    address and the file would be taken. Checked before anything is stored or sent."""
    refused = too_long(
        view,
        {"description": description, "link": link},
        {"description": DESCRIPTION_LIMIT, "link": LINK_LIMIT},
    )
    if refused is not None:
        return refused
    if not description.strip():
        has_file = upload is not None and _has_content(upload)
        key = "check.evidence_empty" if not has_file and not link.strip() else "check.describe"
        return FormRefusal(view.t(key))
    try:
        check_link(view, link)
        if upload is not None and _has_content(upload):
            check_file(view, upload, int(request.app.state.settings.max_upload_bytes))
    except Refused as exc:
        return exc.refusal
    return None


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
        **(permissions.performer(view.session.principal) if view.session else {}),
    )


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file or a link sent with a new dispute, checked: its evidence kind and source."""

    kind: str
    upload: UploadFile | None
    link: str


def check_attachments(
    request: Request, view: View, files: list[UploadFile], link: str
) -> list[Attachment]:
    """The photos, videos and video link of "Open a dispute", each checked before the dispute
    is opened: `Refused` for too many files, any file that would not be taken, or a link that
    is not a web address."""
    settings = request.app.state.settings
    chosen = [f for f in files if _has_content(f)]
    most = max(1, int(settings.max_files_per_form))
    if len(chosen) > most:
        message = view.t("check.too_many_files", most=most, chosen=len(chosen))
        raise Refused(FormRefusal(message, 413))
    check_link(view, link)
    work: list[Attachment] = []
    for upload in chosen:
        content_type = check_file(view, upload, int(settings.max_upload_bytes))
        kind = "photo" if content_type.startswith("image/") else "other"
        if content_type.startswith("video/"):
            kind = "video"
        work.append(Attachment(kind, upload, ""))
    if link.strip():
        work.append(Attachment("video", None, link.strip()))
    return work


def attach_files(
    request: Request,
    view: View,
    order_id: str,
    attachments: list[Attachment],
    note: str,
    at: datetime,
) -> str | None:
    """The checked attachments of a new dispute, each as buyer evidence. Returns the error code
    of the first one refused (only a race can refuse them now: the dispute itself stands), or
    None."""
    description = note.strip() or view.t("check.sent_with_dispute")
    for one in attachments:
        try:
            result = submit(
                request,
                view,
                order_id,
                kind=one.kind,
                description=description,
                upload=one.upload,
                link=one.link,
                at=at,
            )
        except ServiceError as exc:
            return exc.code
        if result.refusal is not None:
            return result.refusal.code.value
    return None
