"""The worker in a thread of the server's process (for `disputedesk demo` and one-machine
installs): every `interval` seconds it fires what is due and delivers due webhooks, and runs the
shipment watch and the red-line assessment when those are due (`DISPUTEDESK_WATCH_*`,
`DISPUTEDESK_REDLINE_INTERVAL_SECONDS`). Several of these, or a separate
`disputedesk worker`, can run at once: claims never fire a step twice, alerts are raised once."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime

from disputedesk.services import webhooks, worker
from disputedesk.services.commands import utc_now
from disputedesk.services.notifications import MessagingJob, Options
from disputedesk.services.redlines import ScheduledAssessment
from disputedesk.services.shipment_watch import ScheduledWatch, WatchSettings
from disputedesk.store.db import Database

log = logging.getLogger("disputedesk.worker")


class BackgroundWorker:
    def __init__(
        self,
        db: Database,
        *,
        interval: float = 5.0,
        clock: Callable[[], datetime] = utc_now,
        webhook_timeout: float = 10.0,
        webhook_allow_private_targets: bool = False,
        watch: WatchSettings | None = None,
        messaging: Options | None = None,
    ) -> None:
        self.db = db
        self.interval = interval
        self.clock = clock
        self.webhook_timeout = webhook_timeout
        self.webhook_allow_private_targets = webhook_allow_private_targets
        self.watch = ScheduledWatch(db, watch)
        # notices, reminders, email: as `messaging` says (the demo: its own mail server), else
        # DISPUTEDESK_SMTP_*
        self.messaging = MessagingJob(db, messaging)
        self.red_lines = ScheduledAssessment(db)  # alerts and penalties, hourly
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="disputedesk-worker", daemon=True)
        self.sweeps = 0
        self.steps = 0

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        allow_private = self.webhook_allow_private_targets
        post = webhooks.http_poster(self.webhook_timeout, allow_private=allow_private)
        while not self._stop.is_set():
            try:
                report = worker.sweep(self.db, self.clock())
                self.sweeps += 1
                self.steps += report.steps
                if report.steps:
                    log.info("worker: %d automatic steps on %d orders", report.steps, report.orders)
                webhooks.run_once(self.db, self.clock(), post, allow_private=allow_private)
                self.watch.run(self.clock())
                self.messaging.run(self.clock())
                self.red_lines.run(self.clock())
            except Exception:  # keep the desk's worker alive; the next sweep retries
                log.exception("worker sweep failed")
            self._stop.wait(self.interval)
