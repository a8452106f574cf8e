"""The example reports: read → clean → split → embedding → index (with its text store) → ingest → retrieve."""
