"""Talking to PubMed: E-utilities transport, streaming XML parsing, PubMed query syntax."""
