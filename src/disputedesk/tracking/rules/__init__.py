"""The tracking classifier's rules, as data: carrier code tables (`codes`) and phrase patterns per
meaning and language (`phrases`). `disputedesk.tracking.classifier` compiles them once; nothing
here runs at import but building tuples."""
