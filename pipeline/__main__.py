"""``python -m pipeline`` runs the gongwen CLI."""

from .cli import app

app(prog_name="gongwen")
