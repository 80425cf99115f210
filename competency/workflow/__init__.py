"""One function per CLI verb: load what the verb needs, call the core, store."""
