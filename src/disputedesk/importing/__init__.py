"""`disputedesk import`: orders and shipments from CSV or JSON Lines, all or nothing, idempotent.

The columns (documented in `disputedesk import --help`) are `ORDER_COLUMNS` and
`SHIPMENT_COLUMNS`; `import_file` runs one import and returns its `ImportReport`.
"""

from disputedesk.importing.base import BadRow
from disputedesk.importing.orders import ORDER_COLUMNS, ORDER_REQUIRED
from disputedesk.importing.run import KINDS, ImportReport, import_file
from disputedesk.importing.shipments import SHIPMENT_COLUMNS
from disputedesk.importing.source import Format, ImportFileError

__all__ = [
    "KINDS",
    "ORDER_COLUMNS",
    "ORDER_REQUIRED",
    "SHIPMENT_COLUMNS",
    "BadRow",
    "Format",
    "ImportFileError",
    "ImportReport",
    "import_file",
]
