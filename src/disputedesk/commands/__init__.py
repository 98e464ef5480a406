"""The `disputedesk` sub-commands that live in their own modules (registered in cli.py)."""
