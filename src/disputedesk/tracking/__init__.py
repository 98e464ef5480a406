"""Tracking: the carrier's words turned into facts. The taxonomy, the classifier and the
delivery facts are pure (no I/O, no clock); feeds and the shipment watch are shells in services."""
