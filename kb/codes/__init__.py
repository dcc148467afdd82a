"""Error codes: the registry of Firefox certificate error codes (content/codes.yaml)."""

from kb.codes.registry import CodeEntry, Registry, RegistryError

__all__ = ["CodeEntry", "Registry", "RegistryError"]
