"""Messages in the buyer's language: templates as data, rendered in a sandbox; which templates
fit a case; when a trigger, a reminder or an auto-reply is due. Pure: no I/O, no clock (the
services read and write the tables, `services/messaging.py` and `services/notifications.py`)."""
