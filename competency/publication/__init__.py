"""What may leave the tool: anonymity decisions as data, and the gate every output reads through."""
