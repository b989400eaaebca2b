"""Server-rendered pages (Jinja2) for the desk; Chinese by default, English on request."""
