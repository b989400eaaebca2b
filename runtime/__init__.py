"""Runtime plumbing: settings, logging, the Temporal server and client."""
