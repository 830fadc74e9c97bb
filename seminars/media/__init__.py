"""Photo uploads and their renditions."""
