"""The staff screens of reception and the work order; one module per screen (board, detail, check-in, estimate)."""
