"""distillguard: an ASGI gateway that stops LLM distillation campaigns."""

__version__ = "0.1.0"
