"""What people do with cases — register, act, read, simulate — shared by the CLI, the HTTP API and
the web pages; and the desk (``desk``, ``permissions``, ``session``) the API and the pages both serve."""
