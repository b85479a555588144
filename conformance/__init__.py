"""handoff-conformance: conformance suite and interop harness for chat-vendor customer-context handoff schemes."""

__version__ = "0.1.0"
