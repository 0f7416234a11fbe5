"""Lexicon access for the NLP stage."""
from ..lexicons import actor_patterns

__all__ = ["actor_patterns"]
