"""Local HTTP doubles of the remote services the Duret addons talk to.

Start it with ``python -m tests.sandbox --port 8899`` or, in Python,
``Sandbox().start()``. See ``core.py`` for the routing, fault injection and
request log shared by every emulated service.
"""

from .core import Sandbox, SandboxRequest, SandboxResponse

__all__ = ["Sandbox", "SandboxRequest", "SandboxResponse"]
