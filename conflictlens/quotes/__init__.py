"""conflictlens.quotes"""
