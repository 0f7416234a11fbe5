"""conflictlens.ingest"""
