"""conflictlens: conflict news in, verifiable ACLED-grade event data out."""
__version__ = "0.1.0"
