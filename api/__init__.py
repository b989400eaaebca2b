"""HTTP API and web desk: ``create_app(runtime)``."""

from api.app import create_app

__all__ = ["create_app"]
