"""conflictlens.eval"""
