"""Claims: the catalogue (data/claims.toml), the tagger, and study-design grading."""
