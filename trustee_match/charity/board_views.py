"""The board skills audit (filled in with the board feature)."""
