"""disputedesk: a dispute and after-sales desk built on the AliExpress dispute rules."""

__version__ = "0.1.0"
