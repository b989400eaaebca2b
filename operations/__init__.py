"""What people do with cases — register, act, read, simulate — shared by the CLI and the web API."""
