"""``python -m pipeline`` runs the gongwen CLI."""

from .cli import app

if __name__ == "__main__":  # not when a worker process (spawned by ingest) imports it
    app(prog_name="gongwen")
