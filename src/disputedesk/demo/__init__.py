"""A generated demo marketplace for trying the desk (`make demo`)."""
