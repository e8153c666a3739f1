"""The WSGI entry point for gunicorn and `flask --app app`."""
from factcheck import create_app

app = create_app()
