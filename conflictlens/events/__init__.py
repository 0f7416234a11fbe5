"""conflictlens.events"""
