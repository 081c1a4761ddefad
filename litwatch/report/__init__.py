"""Turning stored data into what people read: terminal tables (rich) and files (pandas)."""
