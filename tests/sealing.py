"""The test session's payload key: one key, in ``MINECASE_PAYLOAD_KEY`` for every ``Settings()`` and every
``minecase`` or worker subprocess the tests start, and in the session client (``tests/conftest.py``), so that
every test goes through the sealing codec as the product does."""

from __future__ import annotations

import os

from runtime.payloads import KeyRing, data_converter, new_key_text, parse_key

os.environ.setdefault("MINECASE_PAYLOAD_KEY", new_key_text())
TEST_KEY = parse_key(os.environ["MINECASE_PAYLOAD_KEY"])
TEST_RING = KeyRing((TEST_KEY,))


def sealed():
    """The product's data converter under the session's key."""
    return data_converter(TEST_RING)
