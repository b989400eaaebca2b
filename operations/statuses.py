"""The HTTP status of each refusal the desk can give: one table, so the API's JSON errors
(``api.errors``) and the web pages (``web.pages``) answer a refusal with the same status.

Only error classes and numbers here; user input never gives a 5xx (503 is a service the request
needs being down).
"""

from __future__ import annotations

from casefile.users import UserError
from models.errors import CalendarError, MinecaseError
from models.townships import UnknownTownship
from operations.attachments import AttachmentNotStored, AttachmentRefused, AttachmentTooLarge
from operations.bulletin import BadPeriod
from operations.cases import CaseNotFound, DateTooFar, InputRejected, SimulationOnly, TooLargeForCase
from operations.desk import BadInput, Unavailable
from operations.funds import FundRefused
from operations.inspections import InspectionError
from operations.ledger import LedgerError
from operations.ledger_upload import TooLarge
from operations.oplog import BadOplogRequest
from operations.permissions import Forbidden, NotSignedIn
from operations.reads import BadListRequest
from operations.throttle import Throttled

STATUS: tuple[tuple[type[MinecaseError], int], ...] = (
    (NotSignedIn, 401),
    (Forbidden, 403),
    (CaseNotFound, 404),
    (InputRejected, 409),  # a rule of the plan (stage, task owner): the case is unchanged
    (BadInput, 422),
    (FundRefused, 422),  # fund amounts that do not add up: nothing stored (issue 14)
    (BadPeriod, 422),
    (TooLargeForCase, 422),  # over Temporal's payload limit: refused before it reached the case
    (DateTooFar, 422),  # a last day more than ten years ahead: refused before it reached the case
    (BadListRequest, 422),  # a page, page size, sort field or light that does not exist
    (UserError, 422),
    (UnknownTownship, 422),  # a township outside the campaign's dictionary (did you mean …?)
    (BadOplogRequest, 422),  # a filter or page of the operation log that does not exist
    (CalendarError, 422),
    (SimulationOnly, 409),
    (LedgerError, 422),  # the uploaded file cannot be read as a ledger
    (TooLarge, 413),
    (AttachmentTooLarge, 413),  # a file over the attachment limit: nothing stored
    (AttachmentRefused, 422),  # empty, or not a PDF, image or Office document by its content
    (AttachmentNotStored, 422),  # a file named but not uploaded to the case: nothing sent
    (InspectionError, 422),  # an inspection or a closing refused as given: nothing stored
    (Throttled, 429),  # too many sign-ins; Retry-After says when to try again
    (Unavailable, 503),
)
"""First match wins; any other ``MinecaseError`` is a 400."""


def status_for(error: MinecaseError) -> int:
    return next((code for cls, code in STATUS if isinstance(error, cls)), 400)
