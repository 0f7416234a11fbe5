"""conflictlens.llm — the optional LLM extractor stage (never in the default pipeline).

* :mod:`.stage` registers ``llm`` and validates the model's answer;
* :mod:`.models` derives the LLM-facing JSON Schema from :mod:`conflictlens.schema`;
* :mod:`.prompt` holds the coding rules sent as the system message;
* :mod:`.client` talks to any OpenAI-compatible chat-completions endpoint;
* :mod:`.evidence` finds quoted evidence in the article and computes offsets.

See ``docs/llm.md``.
"""
