"""Use cases: the only modules that combine the subsystems (pubmed, store, report)."""
