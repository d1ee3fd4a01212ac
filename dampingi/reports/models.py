"""The reports app reads other apps' records; it has no models of its own yet."""
