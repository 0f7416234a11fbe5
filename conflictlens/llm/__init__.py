"""conflictlens.llm"""
